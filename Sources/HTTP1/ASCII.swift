/// Byte classes from RFC 9110 §5.6.2 (token), §5.5 (field values) and RFC 3986 (targets).
/// Bit masks instead of tables: no lazy global initialisation and no bounds checks on the hot path.
enum ASCII {
    static let nul: UInt8 = 0x00
    static let htab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let sp: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let question: UInt8 = 0x3F
    static let backslash: UInt8 = 0x5C

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    /// / DIGIT / ALPHA (RFC 9110 §5.6.2). Bit b of the masks is set when byte b (or b+64) is a tchar.
    @inline(__always)
    static func isTchar(_ b: UInt8) -> Bool {
        if b < 64 { return (0x03FF_6CFA_0000_0000 as UInt64) &>> UInt64(b) & 1 != 0 }
        if b < 128 { return (0x57FF_FFFF_C7FF_FFFE as UInt64) &>> UInt64(b &- 64) & 1 != 0 }
        return false
    }

    /// field-vchar / SP / HTAB (RFC 9110 §5.5): everything but CTLs other than HTAB, and DEL.
    /// obs-text (0x80–0xFF) is allowed; such values are read as UTF-8 with replacement.
    @inline(__always)
    static func isFieldValueByte(_ b: UInt8) -> Bool {
        b >= sp ? b != 0x7F : b == htab
    }

    /// Bytes allowed in a request-target: visible ASCII except `#` (a fragment is never sent,
    /// RFC 9112 §3.2). Characters outside RFC 3986 such as `{` or `|` are tolerated, as nginx does,
    /// because common clients send them unencoded; non-ASCII must be percent-encoded.
    @inline(__always)
    static func isTargetByte(_ b: UInt8) -> Bool {
        b > sp && b < 0x7F && b != hash
    }

    /// RFC 3986 host and port: unreserved, pct-encoded, sub-delims, `:` and the IP-literal
    /// brackets (no `@`: userinfo is refused). Checked for every byte of every Host: a switch, not a search.
    @inline(__always)
    static func isAuthorityByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
             UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isOWS(_ b: UInt8) -> Bool { b == sp || b == htab }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b &- 0x30)
        case 0x41...0x46: Int(b &- 0x41 &+ 10)
        case 0x61...0x66: Int(b &- 0x61 &+ 10)
        default: nil
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    /// Whether `p[range]` equals `lowercase` ignoring ASCII case. `lowercase` must be lower-case.
    static func equalsIgnoringCase(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let l = lowercase.utf8Start
        var k = 0
        while k < range.count {
            if lower(p[range.lowerBound &+ k]) != l[k] { return false }
            k += 1
        }
        return true
    }

    /// Whether two strings are equal ignoring ASCII case (header names, RFC 9110 §5.1).
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let a8 = a.utf8, b8 = b.utf8
        guard a8.count == b8.count else { return false }
        var bi = b8.makeIterator()
        for x in a8 {
            guard let y = bi.next(), lower(x) == lower(y) else { return false }
        }
        return true
    }

    // MARK: Eight bytes at a time (SWAR)
    // The masks below have bit 7 of a byte set for the first byte (lowest address) of a class, and
    // possibly for later ones, so `trailingZeroBitCount / 8` is the offset of the first such byte:
    // a borrow or carry only crosses from a byte that is itself in the class.

    @inline(__always)
    static func load8(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    /// Marks bytes below 0x21: controls and SP.
    @inline(__always)
    static func belowVisibleMask(_ w: UInt64) -> UInt64 {
        (w &- 0x2121_2121_2121_2121) & ~w & 0x8080_8080_8080_8080
    }

    /// Marks bytes outside 0x21…0x7E: controls, SP, DEL and non-ASCII.
    @inline(__always)
    static func nonVisibleMask(_ w: UInt64) -> UInt64 {
        belowVisibleMask(w) | ((w &+ 0x0101_0101_0101_0101) | w) & 0x8080_8080_8080_8080
    }

    /// `range` without leading and trailing OWS.
    static func trimOWS(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, isOWS(p[lo]) { lo += 1 }
        while hi > lo, isOWS(p[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// A String from bytes: one copy, UTF-8 validated (invalid sequences become U+FFFD).
    /// Short strings (≤ 15 bytes) stay inline, so common header names allocate nothing.
    @inline(__always)
    static func string(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        if range.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: range.count) { buffer in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: p[range]))
            return range.count
        }
    }
}
