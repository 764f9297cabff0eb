/// Header fields in the order received, duplicates kept (STYLE habit 2): a dictionary would
/// silently merge or drop a second `Content-Length`, which is exactly what smuggling exploits.
/// Lookup by name is ASCII case-insensitive (RFC 9110 §5.1); names and values are as sent,
/// values with surrounding whitespace (OWS) removed.
public struct HTTPHeaders: Sendable, Equatable, RandomAccessCollection, CustomStringConvertible {
    public typealias Element = (name: String, value: String)
    public typealias Index = Int

    /// A struct rather than the public tuple: arrays of tuples need runtime type metadata,
    /// which showed up in profiles of the parser.
    private struct Field: Sendable {
        var name: String
        var value: String
    }

    private var fields: [Field]

    /// No fields.
    public init() { fields = [] }

    /// The given fields, in order.
    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    init(reservingCapacity n: Int) {
        fields = []
        fields.reserveCapacity(n)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { fields.count }
    public subscript(position: Int) -> Element {
        let f = fields[position]
        return (name: f.name, value: f.value)
    }

    /// Appends a field after the existing ones.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// The value of the first field with this name, or nil.
    public func first(_ name: String) -> String? {
        for f in fields where ASCII.equalsIgnoringCase(f.name, name) { return f.value }
        return nil
    }

    /// The value of the one field with this name; nil when there is none or more than one (for
    /// singleton fields, where a repeat is an error rather than a choice).
    public func single(_ name: String) -> String? {
        var found: String?
        for f in fields where ASCII.equalsIgnoringCase(f.name, name) {
            if found != nil { return nil }
            found = f.value
        }
        return found
    }

    /// The values of every field with this name, in order.
    public func all(_ name: String) -> [String] {
        fields.filter { ASCII.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Whether any field has this name.
    public func contains(_ name: String) -> Bool { first(name) != nil }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public var description: String {
        "[" + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
