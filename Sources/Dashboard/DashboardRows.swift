/// The rows of one dashboard statement, split by section. Values are PostgreSQL's text.
public struct DashboardRows: Sendable {
    private var sections: [Int: [[String?]]] = [:]

    /// Groups rows of `(section, ordinal, c1 … c16)`; rows arrive ordered by section and ordinal.
    public init(rows: [[String?]]) {
        for row in rows {
            guard let tag = row.first.flatMap({ $0 }).flatMap({ Int($0) }) else { continue }
            sections[tag, default: []].append(Array(row.dropFirst(2)))
        }
    }

    func rows(_ section: DashboardSQL.Section) -> [[String?]] { sections[section.rawValue] ?? [] }
}

extension Array where Element == String? {
    /// A column that the SQL guarantees non-null.
    @inline(__always)
    subscript(text index: Int) -> String { (index < count ? self[index] : nil) ?? "" }
    @inline(__always)
    subscript(int index: Int) -> Int { Int(self[text: index]) ?? 0 }
}
