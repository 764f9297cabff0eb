/// A JSON value (RFC 8259) as produced by `JSONValue.parse`, the strict parser used for JWS
/// headers and JWT payloads.
///
/// Numbers keep integers exact: a literal with no fraction or exponent that fits `Int64` is
/// `.integer`; every other number is `.double`. Objects keep their members in document
/// order; the parser rejects duplicate names, so a lookup by name is unambiguous.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits `Int64`.
    case integer(Int64)
    /// Any other number, as the platform's `strtod` rounds it (possibly ±infinity).
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order, names unique.
    case object([JSONMember])

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a whole `Int64`: integers as they are, other finite numbers rounded
    /// down (a NumericDate may carry a fraction, RFC 7519 §2); `nil` for non-numbers and
    /// numbers outside `Int64`.
    public var integral: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .double(let value):
            let floored = value.rounded(.down)
            // 2^63 is exact as a Double; NaN fails both comparisons.
            guard floored >= -9_223_372_036_854_775_808.0, floored < 9_223_372_036_854_775_808.0 else { return nil }
            return Int64(floored)
        default:
            return nil
        }
    }

    /// The value of member `name`, if this is an object that has it.
    public subscript(member name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    /// Parses one JSON text: exactly one value with optional surrounding whitespace, valid
    /// UTF-8 in strings, no lone surrogate escapes, containers nested at most
    /// `JSONValue.maxDepth` deep, no duplicate member names. Never traps, whatever the bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { parse(buffer: $0) }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }.get()
    }

    /// The deepest nesting of arrays and objects accepted; a top-level object is depth 1.
    public static let maxDepth = 16

    static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(bytes: buffer)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

/// One `"name": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    public var name: String
    public var value: JSONValue

    public init(name: String, value: JSONValue) {
        self.name = name
        self.value = value
    }
}

/// Why `JSONValue.parse` refused its input, and the byte offset where it noticed.
public struct JSONParseError: Error, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd, unexpectedByte, invalidNumber, invalidEscape, invalidUTF8
        case controlCharacter, tooDeep, duplicateMember, trailingBytes
    }

    public var reason: Reason
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }
}
