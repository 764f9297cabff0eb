/// Counts describing a pool at one instant, for health checks and metrics.
public struct PQPoolStats: Sendable, Equatable {
    /// Connections lent out right now.
    public var inUse: Int
    /// Open connections waiting to be borrowed.
    public var idle: Int
    /// Callers blocked waiting for a connection.
    public var waiting: Int

    public init(inUse: Int, idle: Int, waiting: Int) {
        self.inUse = inUse
        self.idle = idle
        self.waiting = waiting
    }
}

/// A bounded pool of `PQConnection`s shared by threads.
///
/// Connections are made lazily, on demand, up to `size`. A borrower that finds all of them
/// lent out waits (condition variable) up to `acquireTimeoutSeconds`, then gets
/// `.poolTimeout`. A connection that broke while borrowed (lost, timed out) is dropped
/// rather than returned, and its slot freed: the next borrower connects anew. That is
/// what lets service resume by itself after a database restart. Idle connections are
/// checked for a pending disconnect before being lent (no round trip), and a borrower's
/// unfinished transaction is rolled back before the connection is reused.
public final class PQPool: Sendable {
    private let conninfo: String
    private let size: Int
    private let connectTimeoutSeconds: Double
    private let acquireTimeoutSeconds: Double
    private let statementTimeoutSeconds: Double?
    private let settings: [(String, String)]
    private let lock = PQConditionLock()
    /// Guarded by `lock`.
    private nonisolated(unsafe) var state = State()

    private struct State {
        /// Most recently returned last (LIFO keeps few connections warm under light load).
        var idle: [PQConnection] = []
        /// Lent out, plus slots reserved by borrowers that are connecting.
        var inUse = 0
        var waiting = 0
        /// Monotonic ns before which no new connect is tried after a failure (0: none).
        var retryConnectAfter: UInt64 = 0
    }

    /// - Parameters:
    ///   - conninfo: a libpq connection string or URI, passed through as is (multi-host lists work).
    ///   - size: the most connections open at once (at least 1).
    ///   - connectTimeoutSeconds: bound on making one new connection.
    ///   - acquireTimeoutSeconds: how long a borrower waits for a free connection.
    ///   - statementTimeoutSeconds: optional server-side `statement_timeout` for every
    ///     session (default none), a backstop behind the per-query client deadlines.
    public init(conninfo: String, size: Int, connectTimeoutSeconds: Double, acquireTimeoutSeconds: Double,
                statementTimeoutSeconds: Double? = nil, settings: [(String, String)] = []) {
        self.settings = settings
        self.conninfo = conninfo
        self.size = max(1, size)
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.acquireTimeoutSeconds = acquireTimeoutSeconds
        self.statementTimeoutSeconds = statementTimeoutSeconds
    }

    /// Borrows a connection, runs `body` with it, and gives it back.
    ///
    /// Throws `.poolTimeout` when none is free within the acquire timeout, `.unavailable`
    /// when a new connection cannot be made, or whatever `body` throws. The connection must
    /// not escape `body`.
    /// - Parameter timeoutSeconds: when set, the most this call may spend waiting for and
    ///   making a connection (the caller's remaining request budget), if shorter than the
    ///   pool's own timeouts.
    public func withConnection<T>(timeoutSeconds: Double? = nil, _ body: (PQConnection) throws(PQError) -> T) throws(PQError) -> T {
        let connection = try acquire(within: timeoutSeconds)
        do {
            let value = try body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    /// A snapshot of the pool's counters.
    public var stats: PQPoolStats {
        lock.withLock { PQPoolStats(inUse: state.inUse, idle: state.idle.count, waiting: state.waiting) }
    }

    private enum Slot {
        case reused(PQConnection)
        case reserved
    }

    private func acquire(within budget: Double?) throws(PQError) -> PQConnection {
        let deadline = PQDeadline(secondsFromNow: min(acquireTimeoutSeconds, budget ?? .infinity))
        while true {
            switch try reserve(until: deadline) {
            case .reused(let connection):
                // Outside the lock: a dead idle connection is discarded and we try again.
                if connection.looksAlive() { return connection }
                giveBack(nil)
            case .reserved:
                // Fail fast while the server is known to be unreachable: one caller at a time
                // probes it (after a pause), instead of every request waiting out a connect.
                let now = PQDeadline.nowNanoseconds()
                let recentFailure = lock.withLock { () -> Bool in
                    guard state.retryConnectAfter != 0 else { return false }  // healthy: connect freely
                    if now < state.retryConnectAfter { return true }
                    // This caller probes; the others keep failing fast while it tries.
                    state.retryConnectAfter = now + PQPool.connectRetryPause
                    return false
                }
                if recentFailure {
                    giveBack(nil)
                    throw .unavailable
                }
                // The caller's budget bounds the connect too: a request never outlives it.
                let remaining = Double(deadline.remainingMilliseconds) / 1000
                guard remaining >= PQPool.shortestConnectSeconds else {
                    giveBack(nil)
                    throw .timeout
                }
                do {
                    let connection = try PQConnection(conninfo: conninfo, timeoutSeconds: min(connectTimeoutSeconds, remaining),
                                                      statementTimeoutSeconds: statementTimeoutSeconds, settings: settings)
                    lock.withLock { state.retryConnectAfter = 0 }
                    return connection
                } catch {
                    // A connect that only ran out of the caller's budget says nothing about the
                    // database: others keep connecting freely.
                    let cutShortByBudget = remaining < connectTimeoutSeconds && deadline.hasPassed
                    if !cutShortByBudget {
                        lock.withLock { state.retryConnectAfter = PQDeadline.nowNanoseconds() + PQPool.connectRetryPause }
                    }
                    giveBack(nil)
                    throw error
                }
            }
        }
    }

    /// Less time than this left: not worth starting a connection (a loopback connect and
    /// handshake alone take milliseconds).
    static let shortestConnectSeconds = 0.05

    /// After a failed connect, other callers fail at once for this long (then one retries).
    static let connectRetryPause: UInt64 = 500_000_000

    /// Takes an idle connection or a free slot, waiting for one until the deadline.
    private func reserve(until deadline: PQDeadline) throws(PQError) -> Slot {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let connection = state.idle.popLast() {
                state.inUse += 1
                return .reused(connection)
            }
            if state.inUse < size {
                state.inUse += 1
                return .reserved
            }
            state.waiting += 1
            let signalled = lock.wait(until: deadline)
            state.waiting -= 1
            if !signalled && state.idle.isEmpty && state.inUse >= size {
                throw .poolTimeout
            }
        }
    }

    private func release(_ connection: PQConnection) {
        // Housekeeping (a possible ROLLBACK round trip) happens outside the lock.
        giveBack(connection.resetForReuse() ? connection : nil)
    }

    /// Returns a slot, with its connection when that is still usable; wakes one waiter.
    private func giveBack(_ connection: PQConnection?) {
        lock.withLock {
            state.inUse -= 1
            if let connection { state.idle.append(connection) }
        }
        lock.signal()
    }
}
