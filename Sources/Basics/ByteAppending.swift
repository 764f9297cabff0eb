/// Appending text to byte buffers without going through `String` interpolation, which costs
/// several allocations per piece on hot paths (access log lines, response heads).
extension Array where Element == UInt8 {
    @inlinable
    public mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inlinable
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// A non-negative or negative integer in decimal.
    public mutating func append(decimal value: Int) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            append(decimal: UInt(value.magnitude))
        } else {
            append(decimal: UInt(value))
        }
    }

    public mutating func append(decimal value: UInt) {
        if value < 10 {
            append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        var v = value
        var n = 0
        Swift.withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                append(buf[n])
            }
        }
    }

    /// Nanoseconds as milliseconds with three decimals ("12.345").
    public mutating func append(millisecondsFromNanoseconds ns: Int64) {
        let micros = (Swift.max(0, ns) + 500) / 1000
        append(decimal: Int(micros / 1000))
        append(UInt8(ascii: "."))
        let frac = Int(micros % 1000)
        if frac < 100 { append(UInt8(ascii: "0")) }
        if frac < 10 { append(UInt8(ascii: "0")) }
        append(decimal: frac)
    }

    /// A JSON string literal (RFC 8259 §7 escapes), with U+2028 and U+2029 escaped too: they
    /// are valid JSON but end a line for JavaScript and some log shippers.
    public mutating func append(jsonString text: String) {
        append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Fast path: most values (ids, paths, names) need no escaping and are copied at once.
            if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
                append(contentsOf: bytes)
                return
            }
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    append(UInt8(ascii: "\\"))
                    append(byte)
                case 0x0A: append(ascii: "\\n")
                case 0x0D: append(ascii: "\\r")
                case 0x09: append(ascii: "\\t")
                case 0..<0x20, 0x7F:
                    append(ascii: "\\u00")
                    append(Self.hexDigits[Int(byte >> 4)])
                    append(Self.hexDigits[Int(byte & 0xF)])
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    append(ascii: bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                    i += 2
                default:
                    append(byte)
                }
                i += 1
            }
        }
        append(UInt8(ascii: "\""))
    }

    @usableFromInline static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
