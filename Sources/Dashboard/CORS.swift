import HTTP1

/// CORS (Fetch standard) for `CORS_ALLOWED_ORIGINS`: only listed origins are echoed back.
enum CORS {
    /// Headers for an actual request: `Access-Control-Allow-Origin` only for a listed origin;
    /// `Vary: Origin` whenever CORS is configured, since the answer depends on it.
    static func headers(origin: String?, allowed: [String]) -> [UInt8] {
        guard !allowed.isEmpty else { return [] }
        var response = HTTPServerResponse(status: 200)
        response.addHeader("Vary", "Origin")
        if let origin, allowed.contains(origin) {
            response.addHeader("Access-Control-Allow-Origin", origin)
            response.addHeader("Timing-Allow-Origin", origin)
            response.addHeader("Access-Control-Expose-Headers", "ETag, X-Cache, X-Request-ID, Retry-After, Server-Timing, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
        }
        return response.headerBytes
    }

    /// The answer to a preflight `OPTIONS`.
    static func preflight(_ head: HTTPRequestHead, allowed: [String], common: [UInt8]) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: 204, headerBytes: common + headers(origin: head.headers.first("origin"), allowed: allowed))
        if let origin = head.headers.first("origin"), allowed.contains(origin) {
            response.addHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
            response.addHeader("Access-Control-Allow-Headers", "Authorization, If-None-Match, X-Request-ID")
            response.addHeader("Access-Control-Max-Age", "600")
        }
        return response
    }
}
