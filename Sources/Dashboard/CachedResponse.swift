/// A dashboard body ready to send, with its strong validator (RFC 9110 §8.8.3).
public struct CachedResponse: Sendable {
    public let body: [UInt8]
    /// Quoted, e.g. `"9f86d081884c7d65"`.
    public let etag: String

    public init(body: [UInt8]) {
        self.body = body
        self.etag = CachedResponse.strongETag(for: body)
    }

    private init(body: [UInt8], etag: String) {
        self.body = body
        self.etag = etag
    }

    /// FNV-1a 64 of the body: bodies differ in their generated_at and figures, so a 64-bit
    /// content hash is a sound strong validator for one tenant's few variants.
    static func strongETag(for body: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Wire form for a shared cache: the 18-byte ETag, then the body.
    public var serialized: [UInt8] { Array(etag.utf8) + body }

    public init?(serialized bytes: [UInt8]) {
        guard bytes.count >= 18, bytes[0] == UInt8(ascii: "\""), bytes[17] == UInt8(ascii: "\"") else { return nil }
        self.init(body: Array(bytes[18...]), etag: String(decoding: bytes[0..<18], as: UTF8.self))
    }

    /// `If-None-Match` (RFC 9110 §13.1.2): `*` or a list of entity tags, compared weakly.
    public func matches(ifNoneMatch header: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingSpaces
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == Substring(etag) { return true }
        }
        return false
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
