import HTTP1

/// RFC 9457 problem details: the only error shape clients ever see. Titles are fixed per status;
/// details never carry SQL, hosts, credentials or stack traces.
public struct Problem: Sendable, Error {
    public var status: Int
    public var detail: String
    /// Extra header lines (`WWW-Authenticate`, `Allow`, `Retry-After`).
    public var headers: [(String, String)] = []

    public init(status: Int, detail: String, headers: [(String, String)] = []) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// The status's reason phrase (RFC 9110 §15), the same for every problem of that status.
    public var title: String { HTTPStatusLine.reason(status) }

    public var body: [UInt8] {
        var json = JSONWriter(capacity: 160)
        json.beginObject()
        json.key("type"); json.string("about:blank")
        json.key("title"); json.string(title)
        json.key("status"); json.int(status)
        json.key("detail"); json.string(detail)
        json.endObject()
        return json.bytes
    }

    // The catalogue, so every instance of one problem reads the same.

    /// Every 401 looks the same whatever the reason (CONTRACT §3).
    public static let unauthorized = Problem(
        status: 401, detail: "A valid bearer token is required.",
        headers: [("WWW-Authenticate", "Bearer error=\"invalid_token\"")])
    public static let forbidden = Problem(
        status: 403, detail: "The token's scope does not include dashboard:read.",
        headers: [("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"dashboard:read\"")])
    public static let notFound = Problem(status: 404, detail: "No such resource.")
    public static let dashboardDisabled = Problem(status: 404, detail: "The dashboard is not enabled.")
    public static let databaseUnavailable = Problem(
        status: 503, detail: "The database is unavailable; try again shortly.", headers: [("Retry-After", "5")])
    public static let overloaded = Problem(
        status: 503, detail: "The server is busy; try again shortly.", headers: [("Retry-After", "1")])
    public static let internalError = Problem(status: 500, detail: "An unexpected error occurred.")

    public static func rateLimited(retryAfter: Int) -> Problem {
        Problem(status: 429, detail: "Too many requests for this tenant; retry after \(retryAfter) s.",
                headers: [("Retry-After", String(retryAfter))])
    }

    public static func methodNotAllowed(allow: String) -> Problem {
        Problem(status: 405, detail: "This resource supports \(allow).", headers: [("Allow", allow)])
    }

    public static func invalidParameter(_ invalid: DashboardParameters.Invalid) -> Problem {
        Problem(status: 400, detail: "Invalid parameter '\(invalid.parameter)': \(invalid.reason).")
    }
}
