import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One PostgreSQL session over libpq, driven through its asynchronous API so that every
/// call is bounded by a client-side deadline.
///
/// Not `Sendable`: a connection is used by one thread at a time (the pool hands it out
/// exclusively). It is the sole owner of its `PGconn`, which it closes in `deinit` or as
/// soon as it breaks.
///
/// Every session runs with `DateStyle=ISO`, `TimeZone=UTC`, `client_encoding=UTF8`,
/// `application_name=findash` (unless the connection string names another) and TCP
/// keepalives on. Statements go through prepared statements, one per distinct SQL text,
/// prepared on first use and reused for the life of the connection.
public final class PQConnection {
    /// `nil` once closed; every path that breaks the session closes it at once.
    var raw: OpaquePointer?
    /// SQL text → server-side prepared statement name.
    private var statements: [String: String] = [:]

    /// Beyond this many distinct SQL texts new ones run unprepared, so a caller that
    /// (wrongly) builds unbounded SQL variety cannot grow server memory without limit.
    private static let maxPreparedStatements = 500

    /// The server's version as libpq reports it, e.g. `150004` for 15.4.
    public let serverVersion: Int

    /// True once the session is unusable (lost, timed out, or closed). A broken
    /// connection answers every call with `.unavailable`; discard it.
    public var isBroken: Bool { raw == nil }

    /// Connects, waiting at most `timeoutSeconds` in total.
    ///
    /// With a single host the connection is made with `PQconnectStartParams` and
    /// `PQconnectPoll` under `poll()`, so the deadline is exact. With several hosts libpq's
    /// own loop is used, because only it can abandon a silent host and move to the next;
    /// each host then gets `connect_timeout` = the budget divided by the host count (libpq's
    /// minimum is 2 s).
    ///
    /// - Parameter statementTimeoutSeconds: when set, the session's `statement_timeout`,
    ///   a server-side backstop for the client-side deadlines of `query`.
    /// - Parameter settings: further session settings (`-c name=value`), e.g. `work_mem`.
    public init(conninfo: String, timeoutSeconds: Double, statementTimeoutSeconds: Double? = nil,
                settings: [(String, String)] = []) throws(PQError) {
        let deadline = PQDeadline(secondsFromNow: timeoutSeconds)
        let info = try PQConnInfo(conninfo: conninfo, connectTimeoutSeconds: timeoutSeconds,
                                  statementTimeoutSeconds: statementTimeoutSeconds, settings: settings)
        let conn = try PQConnection.connect(info, deadline: deadline)
        raw = conn
        serverVersion = Int(PQserverVersion(conn))
        // libpq prints server NOTICEs to stderr by default; findash logs only structured lines.
        PQsetNoticeReceiver(conn, { _, _ in }, nil)
        // Non-blocking from here on: sends never stall in the kernel; we poll instead.
        guard PQsetnonblocking(conn, 1) == 0 else {
            close()
            throw .unavailable
        }
        if serverVersion >= 140_000 {
            // PG 14+: a backend whose client went away (our deadline dropped it) stops its
            // query within 2 s instead of running it to the end.
            // A pooler or managed service may refuse the setting: only a lost session matters.
            do {
                try execute("SET client_connection_check_interval = 2000", timeoutSeconds: max(deadline.remainingSeconds, 0.05))
            } catch {
                if isBroken { throw error }
            }
        }
    }

    deinit {
        if let raw { PQfinish(raw) }
    }

    private static func connect(_ info: PQConnInfo, deadline: PQDeadline) throws(PQError) -> OpaquePointer {
        if info.hostCount > 1 {
            let conn = withCStringArray(info.keywords) { keys in
                withCStringArray(info.values) { values in PQconnectdbParams(keys, values, 1) }
            }
            guard let conn else { throw .unavailable }
            guard PQstatus(conn) == CONNECTION_OK else {
                PQfinish(conn)
                throw .unavailable
            }
            return conn
        }
        let started = withCStringArray(info.keywords) { keys in
            withCStringArray(info.values) { values in PQconnectStartParams(keys, values, 1) }
        }
        guard let conn = started else { throw .unavailable }
        guard PQstatus(conn) != CONNECTION_BAD else {
            PQfinish(conn)
            throw .unavailable
        }
        // Per libpq's docs: behave as if the last poll said "writing", then follow its lead.
        var state = PGRES_POLLING_WRITING
        while state != PGRES_POLLING_OK {
            let events: Int16
            switch state {
            case PGRES_POLLING_READING: events = Int16(POLLIN)
            case PGRES_POLLING_WRITING: events = Int16(POLLOUT)
            case PGRES_POLLING_FAILED:
                PQfinish(conn)
                throw .unavailable
            default: events = Int16(POLLIN | POLLOUT)
            }
            // The socket can change between polls (next address, next host): re-read it.
            if pqWait(fd: PQsocket(conn), events: events, until: deadline) == .timedOut {
                PQfinish(conn)
                throw .unavailable
            }
            state = PQconnectPoll(conn)
        }
        return conn
    }

    /// Runs one parameterised statement and returns its rows (text format).
    ///
    /// The first use of an SQL text on this connection prepares it (`PQsendPrepare`), later
    /// uses only bind and execute (`PQsendQueryPrepared`). Waiting happens in `poll()` on
    /// the connection's socket; when the deadline passes the connection is closed on the
    /// spot and `.timeout` thrown, so a hung or stopped server cannot hold the caller.
    /// A statement error leaves the connection usable (`.queryFailed`).
    public func query(_ q: PQQuery, timeoutSeconds: Double) throws(PQError) -> PQRows {
        let deadline = PQDeadline(secondsFromNow: timeoutSeconds)
        let conn = try live()
        let count = Int32(q.params.count)
        let sent: Int32
        if let name = try statementName(for: q, deadline: deadline) {
            sent = withCStringArray(q.params) { values in
                PQsendQueryPrepared(conn, name, count, values, nil, nil, 0)
            }
        } else {
            sent = withCStringArray(q.params) { values in
                PQsendQueryParams(conn, q.sql, count, nil, values, nil, nil, 0)
            }
        }
        guard sent == 1 else { throw fail() }
        let result = try finish(until: deadline)
        return result?.rows() ?? PQRows(columns: [], rows: [])
    }

    /// Runs simple-protocol SQL without parameters (`BEGIN`, `COMMIT`, `SET …`, DDL; several
    /// statements separated by `;` are allowed and run as one implicit transaction unless
    /// they contain their own `BEGIN`/`COMMIT`). Never pass request data here.
    public func execute(_ sql: String, timeoutSeconds: Double) throws(PQError) {
        let deadline = PQDeadline(secondsFromNow: timeoutSeconds)
        let conn = try live()
        guard PQsendQuery(conn, sql) == 1 else { throw fail() }
        _ = try finish(until: deadline)
    }

    /// The prepared statement for `q.sql`, preparing it first if this connection has not
    /// seen the text yet; `nil` once the per-connection cap is reached (run unprepared).
    private func statementName(for q: PQQuery, deadline: PQDeadline) throws(PQError) -> String? {
        if let name = statements[q.sql] { return name }
        guard statements.count < PQConnection.maxPreparedStatements else { return nil }
        let conn = try live()
        let name = "findash_\(statements.count + 1)"
        // Parameter types are left to the server to infer from context (as with $n in psql).
        guard PQsendPrepare(conn, name, q.sql, Int32(q.params.count), nil) == 1 else { throw fail() }
        _ = try finish(until: deadline)
        statements[q.sql] = name
        return name
    }
}
