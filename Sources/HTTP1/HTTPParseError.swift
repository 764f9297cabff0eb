/// Why a request was refused. Each case maps to one status (`status`); the connection answers
/// with it, `Connection: close`, and closes without reading further (STYLE habit 3), so bytes
/// after a bad request are never taken as another request — that is what defeats smuggling.
public enum HTTPParseError: Error, Sendable, Equatable, Hashable {
    /// `400 Bad Request`; the reason is a short fixed text for logs, never client bytes.
    case badRequest(String)
    /// `414 URI Too Long`: the request-target exceeds `HTTPLimits.maxTargetBytes`.
    case uriTooLong
    /// `431 Request Header Fields Too Large`: head or trailers over `maxHeadBytes` or `maxHeaderFields`.
    case headersTooLarge
    /// `413 Content Too Large`: body over `maxBodyBytes`, or chunk extensions over their bound.
    case payloadTooLarge
    /// `501 Not Implemented`: an unknown method, CONNECT, or a transfer coding other than chunked.
    case notImplemented
    /// `505 HTTP Version Not Supported`: a well-formed `HTTP/d.d` other than 1.0 and 1.1.
    case versionNotSupported

    /// The response status for this error.
    public var status: Int {
        switch self {
        case .badRequest: 400
        case .uriTooLong: 414
        case .headersTooLarge: 431
        case .payloadTooLarge: 413
        case .notImplemented: 501
        case .versionNotSupported: 505
        }
    }
}

/// What `HTTPRequestParser.next(_:)` found in the bytes it was given.
public enum HTTPParseEvent: Sendable, Equatable {
    /// The bytes end before the next event; append more input and call again.
    case needMore
    /// A complete, validated request head.
    case head(HTTPRequestHead)
    /// The body of the current request has been consumed (or there was none).
    case messageEnd
    /// The request is invalid; terminal for the connection.
    case error(HTTPParseError)
}
