import PQ
import Synchronization

/// `/health/dashboard`: a real database round trip and a cache probe, each bounded, on a
/// dedicated thread with a dedicated connection — so a replica whose workers and pool are all
/// busy with heavy dashboards still answers its load balancer within 2 s.
public final class HealthChecker: Sendable {
    public typealias Completion = @Sendable (_ status: Int, _ body: [UInt8]) -> Void

    private let conninfo: String
    private let shared: (any SharedResponseCache)?
    private let settings: DashboardSettings
    private let runner: JobRunner
    /// Only touched on the health thread (the runner is a single-thread pool).
    private let connection = Mutex<PQConnection?>(nil)
    private let flights = SingleFlight<(Int, [UInt8])>()

    /// - Parameter runner: a pool of its own (one thread), never the dashboard's workers.
    public init(conninfo: String, shared: (any SharedResponseCache)?, settings: DashboardSettings, runner: @escaping JobRunner) {
        self.conninfo = conninfo
        self.shared = shared
        self.settings = settings
        self.runner = runner
    }

    /// Concurrent probes share one check.
    public func check(_ complete: @escaping Completion) {
        guard flights.join("health", { complete($0.0, $0.1) }) else { return }
        runner { self.flights.finish("health", self.run()) }
    }

    private func run() -> (Int, [UInt8]) {
        let (databaseUp, databaseMs) = timed { probeDatabase() }
        let (cacheUp, cacheMs) = timed { shared?.ping() ?? true }
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
        let deadline = MonotonicNow.nanoseconds() + 1_500_000_000
        return connection.withLock { slot in
            if slot == nil || slot!.isBroken {
                slot = try? PQConnection(conninfo: conninfo, timeoutSeconds: 1.0)
            }
            guard let conn = slot else { return false }
            let remaining = Double(deadline - MonotonicNow.nanoseconds()) / 1e9
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
        let start = MonotonicNow.nanoseconds()
        let ok = body()
        return (ok, MonotonicNow.nanoseconds() - start)
    }

    /// Nanoseconds as milliseconds with one decimal ("1.2").
    static func milliseconds(_ ns: Int64) -> String {
        let tenths = (ns + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
