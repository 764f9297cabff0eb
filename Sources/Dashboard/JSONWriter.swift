import Basics
import Telemetry

/// Writes JSON straight into bytes. Money and percentages arrive as PostgreSQL's exact decimal
/// text and are written as they are (money quoted, percentages bare); no value goes through a
/// binary float.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Starts an object member; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separator()
        appendQuoted(value)
        needsComma = true
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A number already in JSON number syntax (PostgreSQL numeric or integer text).
    public mutating func rawNumber(_ text: String) {
        separator()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// A percentage or other exact decimal as a JSON number, trailing zeros trimmed ("80.0000" → 80.0).
    public mutating func decimalNumberOrNull(_ text: String?) {
        guard let text else { null(); return }
        rawNumber(Self.trimmed(text))
    }

    public mutating func int(_ value: Int) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
        needsComma = true
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: Self.nullBytes)
        needsComma = true
    }

    @inline(__always)
    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// RFC 8259 §7: quote, backslash and control characters escaped; other UTF-8 passes through.
    private mutating func appendQuoted(_ value: String) {
        bytes.append(jsonString: value)
    }

    /// "82.4600" → "82.46", "80.0000" → "80.0", "12" → "12".
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.append("0") }
        return String(t)
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
}
