/// A validated request head: request line, header fields, and what the connection needs to
/// know about persistence. Strings are created once, here, from the parsed byte ranges.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request-target exactly as sent (RFC 9112 §3.2), e.g. `/a%20b?x=1`.
    public var target: String
    /// The percent-decoded path without the query: valid UTF-8 without NUL (otherwise the
    /// request was refused with 400). `%2F` decodes to `/`, so route on segments with care.
    /// For the absolute-form `http://host/p?q` this is `/p`; for `OPTIONS *` it is `*`.
    public var path: String
    /// The text after the first `?`, not decoded (see `QueryParameters`); empty if none.
    public var rawQuery: Substring
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection persists after the response (RFC 9112 §9.3): HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive` (and no `close`).
    public var keepAlive: Bool
    /// `Expect: 100-continue` (case-insensitive) on an HTTP/1.1 request that has a body:
    /// the server should send `100 Continue` before reading it (RFC 9110 §10.1.1). Other
    /// expectations are ignored rather than answered 417, and HTTP/1.0 expectations are ignored
    /// as that section requires.
    public var expectsContinue: Bool

    public init(
        method: HTTPMethod,
        target: String,
        path: String? = nil,
        rawQuery: Substring = "",
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        keepAlive: Bool = true,
        expectsContinue: Bool = false
    ) {
        self.method = method
        self.target = target
        self.path = path ?? target
        self.rawQuery = rawQuery
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
