/// JSON strings (RFC 8259 §7): escapes, surrogate pairs and UTF-8 validation.
extension JSONParser {
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1 // the opening quote
        let start = index
        // Fast path: unescaped printable ASCII, which is every name and most values in a JWT.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // Already validated, so decoding never substitutes U+FFFD.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw JSONParseError(.controlCharacter, at: index)
            case 0x20..<0x80:
                utf8.append(byte)
                index += 1
            default:
                try copyMultibyteSequence(into: &utf8)
            }
        }
    }

    /// Copies one well-formed UTF-8 sequence of 2–4 bytes (RFC 3629 §4): no overlong forms,
    /// no surrogates, nothing above U+10FFFF.
    private mutating func copyMultibyteSequence(into utf8: inout [UInt8]) throws(JSONParseError) {
        let lead = bytes[index]
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let continuation: Int
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0: continuation = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
        case 0xED: continuation = 2; high = 0x9F
        case 0xF0: continuation = 3; low = 0x90
        case 0xF1...0xF3: continuation = 3
        case 0xF4: continuation = 3; high = 0x8F
        default: throw JSONParseError(.invalidUTF8, at: index)
        }
        guard bytes.count - index > continuation else { throw JSONParseError(.invalidUTF8, at: index) }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { throw JSONParseError(.invalidUTF8, at: index) }
        var k = 2
        while k <= continuation {
            guard bytes[index + k] & 0xC0 == 0x80 else { throw JSONParseError(.invalidUTF8, at: index) }
            k += 1
        }
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...(index + continuation)]))
        index += continuation + 1
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let at = index
        index += 1 // the backslash
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if scalar >= 0xD800, scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low one (RFC 8259 §7).
                guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.invalidEscape, at: at)
                }
                index += 2
                let low = try parseHex4()
                guard low >= 0xDC00, low <= 0xDFFF else { throw JSONParseError(.invalidEscape, at: at) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00, scalar <= 0xDFFF {
                throw JSONParseError(.invalidEscape, at: at)
            }
            appendUTF8(scalar, to: &utf8)
        default:
            throw JSONParseError(.invalidEscape, at: at)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw JSONParseError(.invalidEscape, at: index) }
        var value: UInt32 = 0
        for i in index..<(index + 4) {
            let byte = bytes[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidEscape, at: i)
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    /// `scalar` is ≤ 0x10FFFF and not a surrogate, guaranteed by `parseEscape`.
    private func appendUTF8(_ scalar: UInt32, to utf8: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            utf8.append(UInt8(scalar))
        case 0x80..<0x800:
            utf8.append(UInt8(0xC0 | scalar >> 6))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xE0 | scalar >> 12))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        default:
            utf8.append(UInt8(0xF0 | scalar >> 18))
            utf8.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
