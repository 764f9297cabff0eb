import Basics
import Synchronization

/// The process's counters and histograms, rendered in the Prometheus text format (0.0.4).
/// Label values are bounded by construction: endpoints are route templates, tenant types are
/// `user` / `organization` / `none`, statuses are HTTP codes; tenant ids never become labels.
public final class Metrics: Sendable {
    public let cacheHits = Atomic<Int>(0)
    public let cacheMisses = Atomic<Int>(0)
    public let cacheErrors = Atomic<Int>(0)
    public let cacheInvalidations = Atomic<Int>(0)
    public let databaseComputations = Atomic<Int>(0)

    /// Upper bounds (seconds) of the request duration histogram.
    public static let durationBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct RequestKey: Hashable {
        let endpoint: String
        let tenantType: String
        let status: Int
    }
    private struct Histogram {
        var buckets = [Int](repeating: 0, count: Metrics.durationBuckets.count)
        var count = 0
        var sum = 0.0
    }
    private struct State: ~Copyable {
        var requests: [RequestKey: Int] = [:]
        var durations: [String: Histogram] = [:]
        /// Tenant key → last seen (monotonic seconds); pruned to the last 5 minutes.
        var tenants: [String: Int64] = [:]
    }
    private let state = Locked(State())

    /// Gauges read at scrape time (pool, connections, …): name, help, value.
    private let gauges: Locked<[@Sendable () -> [(String, String, Double)]]> = Locked([])

    public init() {}

    public func addGauges(_ read: @escaping @Sendable () -> [(name: String, help: String, value: Double)]) {
        gauges.withLock { $0.append({ read().map { ($0.name, $0.help, $0.value) } }) }
    }

    /// Records one finished request.
    public func observe(endpoint: String, tenantType: String?, tenantKey: String?, status: Int, seconds: Double, nowSeconds: Int64) {
        state.withLock { s in
            s.requests[RequestKey(endpoint: endpoint, tenantType: tenantType ?? "none", status: status), default: 0] += 1
            var h = s.durations[endpoint] ?? Histogram()
            for (i, bound) in Metrics.durationBuckets.enumerated() where seconds <= bound { h.buckets[i] += 1 }
            h.count += 1
            h.sum += seconds
            s.durations[endpoint] = h
            if let tenantKey {
                s.tenants[tenantKey] = nowSeconds
                if s.tenants.count > 200_000 { s.tenants = s.tenants.filter { nowSeconds - $0.value <= 300 } }
            }
        }
    }

    public func render(nowSeconds: Int64) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        let (requests, durations, active) = state.withLock { s -> ([RequestKey: Int], [String: Histogram], Int) in
            s.tenants = s.tenants.filter { nowSeconds - $0.value <= 300 }
            return (s.requests, s.durations, s.tenants.count)
        }
        out += "# HELP dashboard_requests_total HTTP requests by endpoint, tenant type and status.\n# TYPE dashboard_requests_total counter\n"
        for (key, value) in requests.sorted(by: { ($0.key.endpoint, $0.key.tenantType, $0.key.status) < ($1.key.endpoint, $1.key.tenantType, $1.key.status) }) {
            out += "dashboard_requests_total{endpoint=\"\(key.endpoint)\",tenant_type=\"\(key.tenantType)\",status=\"\(key.status)\"} \(value)\n"
        }
        out += "# HELP dashboard_request_duration_seconds Request duration by endpoint.\n# TYPE dashboard_request_duration_seconds histogram\n"
        for (endpoint, h) in durations.sorted(by: { $0.key < $1.key }) {
            for (i, bound) in Metrics.durationBuckets.enumerated() {
                out += "dashboard_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"\(bound)\"} \(h.buckets[i])\n"
            }
            out += "dashboard_request_duration_seconds_bucket{endpoint=\"\(endpoint)\",le=\"+Inf\"} \(h.count)\n"
            out += "dashboard_request_duration_seconds_sum{endpoint=\"\(endpoint)\"} \(h.sum)\n"
            out += "dashboard_request_duration_seconds_count{endpoint=\"\(endpoint)\"} \(h.count)\n"
        }
        counter("dashboard_cache_hits_total", "Dashboard answers served from the cache.", cacheHits.load(ordering: .relaxed))
        counter("dashboard_cache_misses_total", "Dashboard answers computed because the cache had none.", cacheMisses.load(ordering: .relaxed))
        counter("dashboard_cache_errors_total", "Failed memcached operations (answered from PostgreSQL).", cacheErrors.load(ordering: .relaxed))
        counter("dashboard_cache_invalidations_total", "Change notifications that invalidated cached answers.", cacheInvalidations.load(ordering: .relaxed))
        counter("dashboard_db_computations_total", "Dashboard statements run against PostgreSQL.", databaseComputations.load(ordering: .relaxed))
        out += "# HELP dashboard_active_tenants Distinct tenants served in the last 5 minutes.\n# TYPE dashboard_active_tenants gauge\ndashboard_active_tenants \(active)\n"
        out += "# HELP process_resident_memory_bytes Resident memory size in bytes.\n# TYPE process_resident_memory_bytes gauge\n"
        out += "process_resident_memory_bytes \(Self.number(ProcessStats.residentBytes()))\n"
        out += "# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\n"
        out += "process_open_fds \(Self.number(ProcessStats.openFileDescriptors()))\n"
        out += "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n# TYPE process_cpu_seconds_total counter\n"
        out += "process_cpu_seconds_total \(ProcessStats.cpuSeconds())\n"
        for read in gauges.withLock({ $0 }) {
            for (name, help, value) in read() {
                out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(Self.number(value))\n"
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
