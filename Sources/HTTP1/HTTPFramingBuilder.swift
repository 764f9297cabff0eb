/// Collects, field by field, what decides a request's framing and persistence: Content-Length,
/// Transfer-Encoding, Host, Connection and Expect. The framing rules are where request smuggling
/// lives (RFC 9112 §6.3, §11.2), so every ambiguity is refused rather than resolved.
struct HTTPFramingBuilder {
    let version: HTTPVersion
    private var contentLength: Int?
    private var hostCount = 0
    private var transferEncodingSeen = false
    /// `chunked` has been seen; any coding after it makes the framing invalid.
    private var chunkedSeen = false
    private var codingAfterChunked = false
    /// A coding other than chunked before it: valid framing, but we do not decode it.
    private var otherCodingSeen = false
    private var connectionClose = false
    private var connectionKeepAlive = false
    private(set) var expectsContinue = false

    init(version: HTTPVersion) { self.version = version }

    /// RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
    var keepAlive: Bool {
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }

    /// Takes note of one field; returns an error when the field alone is already fatal.
    mutating func observe(_ p: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>) -> HTTPParseError? {
        switch name.count {
        case 4 where ASCII.equalsIgnoringCase(p, name, "host"):
            hostCount += 1
            // RFC 9112 §3.2: more than one Host is a 400, and so is a value that is not
            // `uri-host [":" port]` (empty is allowed: a target without authority).
            if hostCount > 1 { return .badRequest("duplicate Host") }
            if !value.allSatisfy({ ASCII.isAuthorityByte(p[$0]) }) { return .badRequest("invalid Host") }
        case 6 where ASCII.equalsIgnoringCase(p, name, "expect"):
            if ASCII.equalsIgnoringCase(p, value, "100-continue") { expectsContinue = true }
        case 10 where ASCII.equalsIgnoringCase(p, name, "connection"):
            Self.forEachElement(p, value) { r in
                if ASCII.equalsIgnoringCase(p, r, "close") { connectionClose = true }
                if ASCII.equalsIgnoringCase(p, r, "keep-alive") { connectionKeepAlive = true }
                return true
            }
        case 14 where ASCII.equalsIgnoringCase(p, name, "content-length"):
            return observeContentLength(p, value)
        case 17 where ASCII.equalsIgnoringCase(p, name, "transfer-encoding"):
            transferEncodingSeen = true
            let ok = Self.forEachElement(p, value) { r in
                // Codings are tokens; parameters (`;`) and empty elements are refused.
                guard !r.isEmpty, r.allSatisfy({ ASCII.isTchar(p[$0]) }) else { return false }
                if chunkedSeen { codingAfterChunked = true }
                if ASCII.equalsIgnoringCase(p, r, "chunked") { chunkedSeen = true } else { otherCodingSeen = true }
                return true
            }
            if !ok { return .badRequest("invalid Transfer-Encoding") }
        default:
            break
        }
        return nil
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). A list of identical values ("5, 5") or repeated
    /// identical fields count as one value, as §8.6 allows; differing values are a 400.
    private mutating func observeContentLength(_ p: UnsafeRawBufferPointer, _ value: Range<Int>) -> HTTPParseError? {
        var error: HTTPParseError?
        Self.forEachElement(p, value) { r in
            guard !r.isEmpty else {
                error = .badRequest("invalid Content-Length")
                return false
            }
            var n = 0
            for i in r {
                let b = p[i]
                guard ASCII.isDigit(b) else {
                    error = .badRequest("invalid Content-Length")
                    return false
                }
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(b &- 0x30))
                guard !o1, !o2 else {
                    error = .badRequest("Content-Length overflow")
                    return false
                }
                n = s
            }
            if let previous = contentLength, previous != n {
                error = .badRequest("conflicting Content-Length")
                return false
            }
            contentLength = n
            return true
        }
        return error
    }

    /// Decides the body framing once every field has been seen (RFC 9112 §6.3).
    func finish(limits: HTTPLimits) -> Result<HTTPHeadParser.BodyFraming, HTTPParseError> {
        // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400.
        if version == .http1_1, hostCount == 0 { return .failure(.badRequest("missing Host")) }
        if transferEncodingSeen {
            // §6.1: both present is how smuggling starts; refuse instead of letting TE win.
            if contentLength != nil { return .failure(.badRequest("Content-Length with Transfer-Encoding")) }
            // §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if version == .http1_0 { return .failure(.badRequest("Transfer-Encoding in HTTP/1.0")) }
            // §6.3 item 4: chunked must be the final coding, and only once.
            if !chunkedSeen || codingAfterChunked { return .failure(.badRequest("chunked is not the final coding")) }
            // §6.1: a coding we do not understand gets 501.
            if otherCodingSeen { return .failure(.notImplemented) }
            return .success(.chunked)
        }
        if let n = contentLength {
            if n > limits.maxBodyBytes { return .failure(.payloadTooLarge) }
            return .success(n == 0 ? .none : .contentLength(n))
        }
        // §6.3 item 7: a request with neither has no body.
        return .success(.none)
    }

    /// Calls `body` with each comma-separated element of a list value (RFC 9110 §5.6.1), OWS
    /// trimmed, empty ones included; stops when `body` returns false. Returns false if stopped.
    @discardableResult
    private static func forEachElement(
        _ p: UnsafeRawBufferPointer, _ value: Range<Int>, _ body: (Range<Int>) -> Bool
    ) -> Bool {
        var s = value.lowerBound
        var i = s
        while i <= value.upperBound {
            if i == value.upperBound || p[i] == ASCII.comma {
                if !body(ASCII.trimOWS(p, s..<i)) { return false }
                s = i + 1
            }
            i += 1
        }
        return true
    }
}
