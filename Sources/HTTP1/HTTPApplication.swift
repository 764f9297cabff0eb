// The seam between the wire (Reactor) and the application (Dashboard): value types only, no I/O.
// Owned by the server lead; the parser files do not depend on it.

/// A response as the application produces it. The server adds the status line, `Date`,
/// `Content-Length` and `Connection`; everything else (request id, content type …) is the
/// application's.
public struct HTTPServerResponse: Sendable {
    public var status: Int
    /// Pre-encoded header lines, each `Name: value\r\n`, written as they are.
    public var headerBytes: [UInt8]
    /// The body; not written for `HEAD` requests nor for 1xx/204/304 responses.
    public var body: [UInt8]
    /// Forces `Connection: close` after this response (protocol errors, draining).
    public var closeConnection: Bool

    public init(status: Int, headerBytes: [UInt8] = [], body: [UInt8] = [], closeConnection: Bool = false) {
        self.status = status
        self.headerBytes = headerBytes
        self.body = body
        self.closeConnection = closeConnection
    }

    /// Appends one header line; names and values must already be valid field text.
    public mutating func addHeader(_ name: String, _ value: String) {
        headerBytes.append(contentsOf: name.utf8)
        headerBytes.append(UInt8(ascii: ":"))
        headerBytes.append(UInt8(ascii: " "))
        headerBytes.append(contentsOf: value.utf8)
        headerBytes.append(13)
        headerBytes.append(10)
    }
}

/// What the application does with a request head.
public enum HTTPHandlerResult: Sendable {
    /// Answered at once, on the event loop (must not block).
    case respond(HTTPServerResponse)
    /// Answered later: `start` is called on the event loop, must return quickly, and must call
    /// `complete` exactly once from any thread (typically a worker pool thread).
    case async(@Sendable (_ complete: @escaping @Sendable (HTTPServerResponse) -> Void) -> Void)
}

/// Facts about the connection a request arrived on.
public struct HTTPConnectionInfo: Sendable {
    /// The peer's IP address as text ("127.0.0.1", "::1"), or "" when unknown.
    public var remoteAddress: String
    public init(remoteAddress: String) { self.remoteAddress = remoteAddress }
}

/// An application served by the HTTP server. Called on event-loop threads.
public protocol HTTPApplication: Sendable {
    /// Routes a complete request (its body already read and discarded).
    func handle(_ head: HTTPRequestHead, connection: HTTPConnectionInfo) -> HTTPHandlerResult
    /// The response for a request the parser rejected; the server closes the connection after it.
    /// `head` is the request's head when the error came after it (in the body, or a timeout);
    /// otherwise `requestBytes` is the start of the rejected request as received (at most
    /// 32 KiB), for best-effort use such as echoing a valid `X-Request-ID`.
    func errorResponse(status: Int, reason: String, head: HTTPRequestHead?, requestBytes: ArraySlice<UInt8>) -> HTTPServerResponse
}

/// Finds the value of a header in raw, possibly malformed request bytes: the first line of the
/// head that starts with `name:` (ASCII case-insensitive), up to the line end, trimmed. Only the
/// head is searched — it ends at the first line without a colon — so bytes pipelined behind a rejected
/// request (a smuggling attempt's second request) are never read. Best effort only.
public func rawHeaderValue(_ name: String, in bytes: ArraySlice<UInt8>) -> String? {
    let wanted = Array(name.lowercased().utf8) + [UInt8(ascii: ":")]
    var lineStart = bytes.startIndex
    var first = true
    while lineStart < bytes.endIndex {
        var next = lineStart
        while next < bytes.endIndex && bytes[next] != 10 { next += 1 }
        var lineEnd = next
        if lineEnd > lineStart && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }  // CRLF
        // After the request line, a line that is not `name: value` (the empty line, or junk
        // such as a lone CR) ends the search: nothing past the head is ever read.
        if !first && !bytes[lineStart..<lineEnd].contains(UInt8(ascii: ":")) { return nil }
        first = false
        if lineEnd - lineStart > wanted.count {
            var matches = true
            for i in 0..<wanted.count {
                var b = bytes[lineStart + i]
                if b >= 0x41 && b <= 0x5A { b += 0x20 }
                if b != wanted[i] { matches = false; break }
            }
            if matches {
                var value = bytes[(lineStart + wanted.count)..<lineEnd]
                while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
                while let l = value.last, l == 0x20 || l == 0x09 || l == 13 { value = value.dropLast() }
                return String(decoding: value, as: UTF8.self)
            }
        }
        lineStart = next + 1
    }
    return nil
}
