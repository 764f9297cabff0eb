import Basics
import Dispatch
import PQ

/// `/health/dashboard`: a real database round trip and a cache probe, each bounded, on a
/// dedicated thread with a dedicated connection — so a replica whose workers and pool are all
/// busy with heavy dashboards still answers its load balancer within 2 s.
public final class HealthChecker: Sendable {
    public typealias Completion = @Sendable (_ status: Int, _ body: [UInt8]) -> Void

    private let conninfo: String
    private let sessionSettings: [(String, String)]
    private let shared: (any SharedResponseCache)?
    private let settings: DashboardSettings
    private let runner: JobRunner
    /// Only touched on the health thread (the runner is a single-thread pool).
    private let connection = Locked<PQConnection?>(nil)
    private struct Rounds: ~Copyable {
        var number = 0
        var running = false
        var waiters: [Completion] = []
    }
    private let rounds = Locked(Rounds())

    /// - Parameter runner: a pool of its own (one thread), never the dashboard's workers.
    /// - Parameter sessionSettings: the dashboard pool's session settings (its role included), so
    ///   a database the dashboard cannot use does not look healthy.
    public init(conninfo: String, sessionSettings: [(String, String)] = [], shared: (any SharedResponseCache)?,
                settings: DashboardSettings, runner: @escaping JobRunner) {
        self.conninfo = conninfo
        self.sessionSettings = sessionSettings
        self.shared = shared
        self.settings = settings
        self.runner = runner
    }

    /// Concurrent probes share one check. Whatever the probes do (a multi-host connect string
    /// makes libpq wait at least 2 s per host), the answer leaves within `answerWithin`: a
    /// watchdog answers "unhealthy" first, and the late result then finds nobody waiting.
    public func check(_ complete: @escaping Completion) {
        let round: Int? = rounds.withLock { r in
            r.waiters.append(complete)
            guard !r.running else { return nil }
            r.running = true
            r.number += 1
            return r.number
        }
        guard let round else { return }
        runner { self.finish(round, self.run()) }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.answerWithin) {
            self.finish(round, self.report(databaseUp: false, databaseNs: Int64(Self.answerWithin * 1e9), cacheUp: false, cacheNs: 0))
        }
    }

    /// Answers the waiters of `round`, unless that round was already answered.
    private func finish(_ round: Int, _ result: (Int, [UInt8])) {
        let waiters = rounds.withLock { r -> [Completion] in
            guard r.running, r.number == round else { return [] }
            r.running = false
            defer { r.waiters.removeAll() }
            return r.waiters
        }
        for waiter in waiters { waiter(result.0, result.1) }
    }

    /// The contract's bound is 2 s; keep a margin for the network.
    static let answerWithin = 1.8

    private func run() -> (Int, [UInt8]) {
        let (databaseUp, databaseNs) = timed { probeDatabase() }
        let (cacheUp, cacheNs) = timed { shared?.ping() ?? true }
        return report(databaseUp: databaseUp, databaseNs: databaseNs, cacheUp: cacheUp, cacheNs: cacheNs)
    }

    private func report(databaseUp: Bool, databaseNs databaseMs: Int64, cacheUp: Bool, cacheNs cacheMs: Int64) -> (Int, [UInt8]) {
        let status = !databaseUp ? "unhealthy" : cacheUp ? "healthy" : "degraded"
        var json = JSONWriter(capacity: 320)
        json.beginObject()
        json.key("status"); json.string(status)
        json.key("timestamp"); json.string(WallClock.rfc3339(epochSeconds: WallClock.now()))
        json.key("version"); json.string(settings.version)
        json.key("services"); json.beginObject()
        json.key("database"); json.beginObject()
        json.key("status"); json.string(databaseUp ? "up" : "down")
        json.key("latency_ms"); json.rawNumber(Self.milliseconds(databaseMs))
        json.endObject()
        json.key("cache"); json.beginObject()
        json.key("status"); json.string(shared == nil ? "up" : cacheUp ? "up" : "down")
        json.key("kind"); json.string(shared == nil ? "in-process" : "memcached")
        json.key("latency_ms"); json.rawNumber(Self.milliseconds(cacheMs))
        json.endObject()
        json.key("dashboard"); json.beginObject()
        json.key("status"); json.string(settings.enabled ? "enabled" : "disabled")
        json.endObject()
        json.endObject()
        json.endObject()
        return (databaseUp ? 200 : 503, json.bytes)
    }

    /// `SELECT 1` on the dedicated connection, reconnecting when needed; 1.5 s in all at most.
    private func probeDatabase() -> Bool {
        let deadline = MonotonicClock.now() + 1_500_000_000
        return connection.withLock { slot in
            // A session ended by a database restart is noticed here, not by a failed probe.
            if slot == nil || !slot!.looksAlive() {
                slot = try? PQConnection(conninfo: conninfo, timeoutSeconds: 1.0, settings: sessionSettings)
            }
            guard let conn = slot else { return false }
            let remaining = Double(deadline - MonotonicClock.now()) / 1e9
            guard remaining > 0.05 else { return false }
            do {
                _ = try conn.query("SELECT 1", timeoutSeconds: min(1.0, remaining))
                return true
            } catch {
                return false
            }
        }
    }

    private func timed(_ body: () -> Bool) -> (Bool, Int64) {
        let start = MonotonicClock.now()
        let ok = body()
        return (ok, MonotonicClock.now() - start)
    }

    /// Nanoseconds as milliseconds with one decimal ("1.2").
    static func milliseconds(_ ns: Int64) -> String {
        let tenths = (ns + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
