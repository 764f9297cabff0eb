/// A parsed query string (`application/x-www-form-urlencoded` rules, as browsers and curl send
/// them): pairs split on `&`, name and value on the first `=`, `+` as a space, percent-decoding.
/// Names are case-sensitive; order and duplicates are kept.
public struct QueryParameters: Sendable, Equatable {
    public typealias Item = (name: String, value: String)

    /// The pairs in order.
    public let items: [Item]

    /// Parses `raw` (the text after `?`, e.g. `HTTPRequestHead.rawQuery`); nil when it is invalid.
    public init?(_ raw: some StringProtocol) {
        guard let items = Self.parse(raw) else { return nil }
        self.items = items
    }

    /// Splits `raw` into pairs. Empty segments (`a=1&&b=2`, a trailing `&`) are skipped; a segment
    /// without `=` has an empty value. Returns nil when any `%` is not followed by two hex digits,
    /// when decoded text is not valid UTF-8, or when it contains NUL.
    public static func parse(_ raw: some StringProtocol) -> [Item]? {
        var items: [Item] = []
        for pair in lossyItems(raw) {
            guard let name = pair.name, let value = pair.value else { return nil }
            items.append((name: name, value: value))
        }
        return items
    }

    /// The pairs as `parse` splits them, each name and value decoded where it can be and nil
    /// where it cannot, so that a caller can ignore the pairs it does not know whatever their
    /// bytes and refuse only the ones it does.
    public static func lossyItems(_ raw: some StringProtocol) -> [(name: String?, value: String?)] {
        if let result = raw.utf8.withContiguousStorageIfAvailable({ lossyItems(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(raw.utf8).withUnsafeBytes { lossyItems($0) }
    }

    static func lossyItems(_ p: UnsafeRawBufferPointer) -> [(name: String?, value: String?)] {
        var items: [(name: String?, value: String?)] = []
        var start = 0
        var i = 0
        while i <= p.count {
            if i == p.count || p[i] == ASCII.ampersand {
                if i > start {
                    var eq = start
                    while eq < i, p[eq] != ASCII.equals { eq += 1 }
                    let name = PercentDecoding.decode(UnsafeRawBufferPointer(rebasing: p[start..<eq]), plusAsSpace: true)
                    let value = eq < i ? PercentDecoding.decode(UnsafeRawBufferPointer(rebasing: p[(eq + 1)..<i]), plusAsSpace: true) : ""
                    items.append((name: name, value: value))
                }
                start = i + 1
            }
            i += 1
        }
        return items
    }

    /// The first value for `name`, or nil.
    public func first(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value for `name`, in order.
    public func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// The first value for `name`, or nil (same as `first(_:)`).
    public subscript(name: String) -> String? { first(name) }

    public static func == (a: QueryParameters, b: QueryParameters) -> Bool {
        a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { $0 == $1 }
    }
}
