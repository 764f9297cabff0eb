import Basics
import Glibc
import HTTP1
import Telemetry

/// What is known about one request as it is handled, for its access-log line and metrics.
/// One per request; filled in by the handler as it learns the tenant and the cache outcome.
final class RequestContext: @unchecked Sendable {
    // Written on the event loop before any asynchronous work starts, except `cacheHit`,
    // which the single completing thread sets before `finish`.
    let requestID: String
    let method: String
    let path: String
    let started: Int64
    var endpoint: String
    var tenant: Tenant?
    var subject: String?
    var cacheHit: Bool?
    /// Headers every dashboard answer to this request carries (rate limit).
    var dashboardHeaders: [UInt8] = []
    /// Nanoseconds spent per stage, for `Server-Timing`.
    var authNs: Int64 = 0
    var cacheNs: Int64 = 0
    var dbNs: Int64 = 0
    var encodeNs: Int64 = 0

    /// `Server-Timing` (W3C) in milliseconds, so a browser's network panel shows where the
    /// time went.
    func appendServerTiming(to bytes: inout [UInt8]) {
        bytes.append(ascii: "auth;dur=")
        bytes.append(millisecondsFromNanoseconds: authNs)
        bytes.append(ascii: ", cache;dur=")
        bytes.append(millisecondsFromNanoseconds: cacheNs)
        bytes.append(ascii: ", db;dur=")
        bytes.append(millisecondsFromNanoseconds: dbNs)
        bytes.append(ascii: ", encode;dur=")
        bytes.append(millisecondsFromNanoseconds: encodeNs)
        bytes.append(ascii: ", total;dur=")
        bytes.append(millisecondsFromNanoseconds: MonotonicClock.now() - started)
    }

    init(head: HTTPRequestHead) {
        requestID = RequestID.resolve(head.headers.first("x-request-id"))
        method = head.method.name
        path = head.path
        started = MonotonicClock.now()
        endpoint = RequestContext.routeTemplate(head.path)
    }

    /// The route template used as the metrics label: bounded, never a raw path.
    static func routeTemplate(_ path: String) -> String {
        switch path {
        case "/health", "/health/dashboard", "/metrics", "/openapi.json", "/financial/dashboard", "/financial/dashboard/summary",
             "/financial/dashboard/accounts", "/financial/dashboard/transactions", "/financial/dashboard/budgets":
            return path
        default:
            return "other"
        }
    }
}
