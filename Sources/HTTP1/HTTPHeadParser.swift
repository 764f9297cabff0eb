/// Phase two of reading a head: once `HTTPHeadScanner` has found its end, validates the request
/// line and every field and builds the `HTTPRequestHead` — the only place Strings are made.
/// Everything here runs once per request over bytes known to hold CRLF-terminated lines with no
/// bare CR, bare LF or NUL, so each line's loops stop at its CR without further bounds checks.
enum HTTPHeadParser {
    /// How the body that follows the head is delimited (RFC 9112 §6.3).
    enum BodyFraming: Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    static func parse(
        _ p: UnsafeRawBufferPointer, _ layout: HTTPHeadScanner.Layout, limits: HTTPLimits
    ) -> Result<(HTTPRequestHead, BodyFraming), HTTPParseError> {
        // Request line, RFC 9112 §3: method SP request-target SP HTTP-version, single spaces.
        let start = layout.requestLineStart, sp1 = layout.sp1, sp2 = layout.sp2
        let end = layout.requestLineEnd
        guard sp1 >= 0, sp2 >= 0 else { return .failure(.badRequest("malformed request line")) }
        guard sp1 > start else { return .failure(.badRequest("empty method")) }
        for i in start..<sp1 where !ASCII.isTchar(p[i]) {
            return .failure(.badRequest("invalid method"))
        }
        let targetRange = (sp1 + 1)..<sp2
        guard !targetRange.isEmpty else { return .failure(.badRequest("empty request-target")) }
        if targetRange.count > limits.maxTargetBytes { return .failure(.uriTooLong) }
        for i in targetRange where !ASCII.isTargetByte(p[i]) {
            return .failure(.badRequest("invalid request-target"))
        }
        let version: HTTPVersion
        switch parseVersion(p, (sp2 + 1)..<end) {
        case .success(let v): version = v
        case .failure(let e): return .failure(e)
        }
        guard let method = HTTPMethod.recognise(p, start..<sp1) else { return .failure(.notImplemented) }
        // No tunnels here: CONNECT (authority-form, RFC 9112 §3.2.3) is not implemented.
        if method == .connect { return .failure(.notImplemented) }

        let pathRange: Range<Int>
        let queryStart: Int?
        switch locatePath(p, targetRange, method: method) {
        case .success(let (path, query)): (pathRange, queryStart) = (path, query)
        case .failure(let e): return .failure(e)
        }
        let path: String
        if pathRange.isEmpty {
            path = "/"  // absolute-form without a path, RFC 9112 §3.2.2
        } else {
            guard let decoded = PercentDecoding.decode(UnsafeRawBufferPointer(rebasing: p[pathRange]), plusAsSpace: false)
            else { return .failure(.badRequest("invalid percent-encoding in path")) }
            path = decoded
        }

        // Header fields, RFC 9112 §5 and RFC 9110 §5.
        var headers = HTTPHeaders(reservingCapacity: layout.fieldCount)
        var framing = HTTPFramingBuilder(version: version)
        var pos = end + 2
        let fieldsEnd = layout.headEnd - 2
        while pos < fieldsEnd {
            // obs-fold (RFC 9112 §5.2): a line starting with whitespace continues the previous
            // one in old senders; servers may reject it, and we do.
            if ASCII.isOWS(p[pos]) { return .failure(.badRequest("obs-fold")) }
            var i = pos
            while ASCII.isTchar(p[i]) { i += 1 }
            // Whitespace before the colon is a 400 (RFC 9112 §5.1), as is any non-tchar.
            guard p[i] == ASCII.colon else { return .failure(.badRequest("invalid header name")) }
            guard i > pos else { return .failure(.badRequest("empty header name")) }
            let nameRange = pos..<i
            i += 1
            while ASCII.isOWS(p[i]) { i += 1 }
            let valueStart = i
            // Find the CR ending the line, eight visible ASCII bytes at a time, and judge the
            // other bytes one by one (the scanner guarantees a CR before the head's end).
            while true {
                while layout.headEnd - i >= 8 {
                    let other = ASCII.nonVisibleMask(ASCII.load8(p, i))
                    if other == 0 {
                        i += 8
                        continue
                    }
                    i += other.trailingZeroBitCount >> 3
                    break
                }
                let b = p[i]
                if b == ASCII.cr { break }
                guard ASCII.isFieldValueByte(b) else { return .failure(.badRequest("invalid header value")) }
                i += 1
            }
            var valueEnd = i
            while valueEnd > valueStart, ASCII.isOWS(p[valueEnd - 1]) { valueEnd -= 1 }
            let valueRange = valueStart..<valueEnd
            if let e = framing.observe(p, name: nameRange, value: valueRange) { return .failure(e) }
            headers.append(name: ASCII.string(p, nameRange), value: ASCII.string(p, valueRange))
            pos = i + 2
        }

        let body: BodyFraming
        switch framing.finish(limits: limits) {
        case .success(let b): body = b
        case .failure(let e): return .failure(e)
        }
        let target = ASCII.string(p, targetRange)
        var rawQuery: Substring = ""
        if let q = queryStart {
            let offset = q - targetRange.lowerBound
            rawQuery = target[target.utf8.index(target.startIndex, offsetBy: offset)...]
        }
        let hasBody = body != .none && body != .contentLength(0)
        let head = HTTPRequestHead(
            method: method, target: target, path: path, rawQuery: rawQuery, version: version,
            headers: headers, keepAlive: framing.keepAlive,
            expectsContinue: framing.expectsContinue && version == .http1_1 && hasBody)
        return .success((head, body))
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive.
    static func parseVersion(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) -> Result<HTTPVersion, HTTPParseError> {
        let malformed = HTTPParseError.badRequest("malformed HTTP version")
        guard r.count == 8 else { return .failure(malformed) }
        let s = r.lowerBound
        guard p[s] == 0x48, p[s + 1] == 0x54, p[s + 2] == 0x54, p[s + 3] == 0x50, p[s + 4] == ASCII.slash,
            ASCII.isDigit(p[s + 5]), p[s + 6] == ASCII.dot, ASCII.isDigit(p[s + 7])
        else { return .failure(malformed) }
        let v = HTTPVersion(major: Int(p[s + 5] &- 0x30), minor: Int(p[s + 7] &- 0x30))
        guard v == .http1_1 || v == .http1_0 else { return .failure(.versionNotSupported) }
        return .success(v)
    }

    /// Finds the path and the query's first byte (after `?`) in the target (RFC 9112 §3.2).
    /// Accepted: origin-form `/p?q`; asterisk-form `*` for OPTIONS; absolute-form
    /// `http://authority/p?q` (and `https`), which servers MUST accept (§3.2.2) — the path is
    /// taken from it; the authority is checked for its characters, not routed on. Anything
    /// else is a 400.
    static func locatePath(
        _ p: UnsafeRawBufferPointer, _ target: Range<Int>, method: HTTPMethod
    ) -> Result<(Range<Int>, Int?), HTTPParseError> {
        var pathStart = target.lowerBound
        let first = p[pathStart]
        if first == ASCII.asterisk, target.count == 1 {
            return method == .options ? .success((target, nil)) : .failure(.badRequest("asterisk-form outside OPTIONS"))
        }
        if first != ASCII.slash {
            guard let authorityStart = schemeEnd(p, target) else { return .failure(.badRequest("unsupported request-target form")) }
            var i = authorityStart
            while i < target.upperBound, p[i] != ASCII.slash, p[i] != ASCII.question {
                // RFC 3986 §3.2 host and port characters only; userinfo (`@`) is an error for
                // http(s) URIs from an untrusted source (RFC 9110 §4.2.4).
                guard ASCII.isAuthorityByte(p[i]) else { return .failure(.badRequest("invalid authority")) }
                i += 1
            }
            guard i > authorityStart else { return .failure(.badRequest("empty authority")) }
            pathStart = i
        }
        var i = pathStart
        while i < target.upperBound, p[i] != ASCII.question { i += 1 }
        return .success((pathStart..<i, i < target.upperBound ? i + 1 : nil))
    }

    /// If the target starts with `http://` or `https://` (scheme case-insensitive), the index after it.
    private static func schemeEnd(_ p: UnsafeRawBufferPointer, _ target: Range<Int>) -> Int? {
        let s = target.lowerBound
        for scheme: StaticString in ["http://", "https://"] {
            let n = scheme.utf8CodeUnitCount
            if target.count > n, ASCII.equalsIgnoringCase(p, s..<(s + n), scheme) { return s + n }
        }
        return nil
    }
}
