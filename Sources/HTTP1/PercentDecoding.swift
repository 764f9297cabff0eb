/// Percent-decoding (RFC 3986 §2.1) into validated Strings, for paths and query components.
enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusAsSpace`, as in HTML forms).
    /// Returns nil for a `%` not followed by two hex digits, for a result that is not valid UTF-8
    /// (overlong forms and surrogates included), or for a NUL — which no path or query value here
    /// has a use for, and which PostgreSQL text cannot hold.
    ///
    /// `p` must be valid UTF-8 (true of request-targets, which are ASCII, and of Strings' bytes):
    /// the common case without escapes then becomes a plain copy, without generic validation.
    static func decode(_ p: UnsafeRawBufferPointer, plusAsSpace: Bool) -> String? {
        // Fast path: nothing to decode, so no temporary buffer.
        var needsDecoding = false
        for b in p {
            if b == ASCII.percent || (plusAsSpace && b == ASCII.plus) {
                needsDecoding = true
                break
            }
            if b == ASCII.nul { return nil }
        }
        if !needsDecoding {
            return ASCII.string(p, 0..<p.count)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: p.count) { out -> String? in
            var n = 0
            var i = 0
            let count = p.count
            while i < count {
                var b = p[i]
                if b == ASCII.percent {
                    guard count - i > 2, let hi = ASCII.hexValue(p[i + 1]), let lo = ASCII.hexValue(p[i + 2])
                    else { return nil }
                    b = UInt8(hi << 4 | lo)
                    i += 3
                } else {
                    if plusAsSpace && b == ASCII.plus { b = ASCII.sp }
                    i += 1
                }
                if b == ASCII.nul { return nil }
                out[n] = b
                n += 1
            }
            return String(validating: UnsafeBufferPointer(rebasing: out[0..<n]), as: UTF8.self)
        }
    }
}
