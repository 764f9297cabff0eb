/// Base64url without padding (RFC 4648 §5), the encoding of every JWS compact segment
/// (RFC 7515 §2). Decoding is strict: no `=`, no characters outside the alphabet, no
/// length ≡ 1 (mod 4), and the unused low bits of the last character must be zero, so each
/// byte string has exactly one accepted encoding (a token cannot be altered without
/// changing its signed bytes).
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 256 entries: the 6-bit value of an alphabet byte, 0xFF for every other byte.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// Encodes `bytes` without padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return text }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    /// Decodes unpadded base64url text, or `nil` if it is not the canonical encoding of some bytes.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(text.utf8)
    }

    /// Decodes unpadded base64url bytes, or `nil` if they are not the canonical encoding of some bytes.
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        if let result = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return result }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let count = input.count
        let tail = count % 3
        let outCount = (count / 3) * 4 + (tail == 0 ? 0 : tail + 1)
        if outCount == 0 { return "" }
        return alphabet.withUnsafeBufferPointer { abc in
            String(unsafeUninitializedCapacity: outCount) { out in
                var i = 0, o = 0
                while i + 3 <= count {
                    let word = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                    out[o] = abc[Int(word >> 18 & 63)]
                    out[o + 1] = abc[Int(word >> 12 & 63)]
                    out[o + 2] = abc[Int(word >> 6 & 63)]
                    out[o + 3] = abc[Int(word & 63)]
                    i += 3
                    o += 4
                }
                if tail == 1 {
                    let word = UInt32(input[i]) << 16
                    out[o] = abc[Int(word >> 18 & 63)]
                    out[o + 1] = abc[Int(word >> 12 & 63)]
                } else if tail == 2 {
                    let word = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                    out[o] = abc[Int(word >> 18 & 63)]
                    out[o + 1] = abc[Int(word >> 12 & 63)]
                    out[o + 2] = abc[Int(word >> 6 & 63)]
                }
                return outCount
            }
        }
    }

    static func decode(buffer input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        let tail = count & 3
        // One leftover character carries only 6 bits: not a whole byte (RFC 4648 §5).
        if tail == 1 { return nil }
        let outCount = (count >> 2) * 3 + (tail == 0 ? 0 : tail - 1)
        var valid = true
        let output = decodeTable.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outCount) { out, initialized in
                initialized = 0
                var i = 0, o = 0
                let whole = count - tail
                while i < whole {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    // Valid values are < 64, so the high bit of any 0xFF marker shows through the OR.
                    if (a | b | c | d) & 0x80 != 0 { valid = false; return }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = b << 4 | c >> 2
                    out[o + 2] = c << 6 | d
                    i += 4
                    o += 3
                }
                if tail == 2 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    // The low 4 bits of `b` encode nothing; non-zero would be a second spelling.
                    if (a | b) & 0x80 != 0 || b & 0x0F != 0 { valid = false; return }
                    out[o] = a << 2 | b >> 4
                } else if tail == 3 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                    if (a | b | c) & 0x80 != 0 || c & 0x03 != 0 { valid = false; return }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = b << 4 | c >> 2
                }
                initialized = outCount
            }
        }
        return valid ? output : nil
    }
}
