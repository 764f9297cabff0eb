/// A recursive-descent parser for RFC 8259 JSON over a byte buffer.
///
/// Built to be fuzzed: every read is preceded by a bounds check, integer arithmetic cannot
/// overflow, and recursion is bounded by `JSONValue.maxDepth`, so no input traps.
struct JSONParser {
    // Not private: the string scanner lives in JSONParser+String.swift.
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw JSONParseError(.trailingBytes, at: index) }
        return value
    }

    // MARK: Values

    /// `depth` is the nesting of the container holding this value (0 at top level).
    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw JSONParseError(.unexpectedByte, at: index)
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        let start = index
        guard depth <= JSONValue.maxDepth else { throw JSONParseError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
        var members: [JSONMember] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw JSONParseError(.unexpectedByte, at: index) }
            let name = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append(JSONMember(name: name, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                break
            } else {
                throw JSONParseError(.unexpectedByte, at: index)
            }
        }
        // RFC 7515 §5.2 / RFC 7519 §4: duplicate names must be rejected or resolved; we
        // reject, so `{"alg":"HS256","alg":"none"}` cannot mean two things to two parsers.
        if Self.hasDuplicateNames(members) { throw JSONParseError(.duplicateMember, at: start) }
        return .object(members)
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maxDepth else { throw JSONParseError(.tooDeep, at: index) }
        index += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw JSONParseError(.unexpectedByte, at: index)
            }
        }
    }

    /// Pairwise for the few members JWTs carry; hashing beyond that so a large object
    /// costs linear, not quadratic, time.
    private static func hasDuplicateNames(_ members: [JSONMember]) -> Bool {
        let count = members.count
        if count < 2 { return false }
        if count <= 16 {
            for i in 0..<(count - 1) {
                for j in (i + 1)..<count where members[i].name == members[j].name { return true }
            }
            return false
        }
        var seen = Set<String>(minimumCapacity: count)
        for member in members where !seen.insert(member.name).inserted { return true }
        return false
    }

    // MARK: Scalars

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        // int = zero / ( digit1-9 *DIGIT ); a leading zero ends the integer part (RFC 8259 §6).
        guard index < bytes.count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        let digitsEnd = index
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: index) }
            skipDigits()
            isInteger = false
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONParseError(.invalidNumber, at: index) }
            skipDigits()
            isInteger = false
        }
        if isInteger, let value = exactInteger(digitsStart..<digitsEnd, negative: negative) {
            return .integer(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        // The grammar is already checked, so this only fails if the platform's strtod does.
        guard let value = Double(text) else { throw JSONParseError(.invalidNumber, at: start) }
        return .double(value)
    }

    /// The digits as an `Int64`, or `nil` when they do not fit. Accumulates negatively so
    /// that `Int64.min` itself parses.
    private func exactInteger(_ digits: Range<Int>, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for i in digits {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = shifted.subtractingReportingOverflow(Int64(bytes[i] &- UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    // MARK: Lexical helpers

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let expected = literal.utf8Start
        for k in 0..<count where bytes[index + k] != expected[k] {
            throw JSONParseError(.unexpectedByte, at: index + k)
        }
        index += count
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        guard bytes[index] == byte else { throw JSONParseError(.unexpectedByte, at: index) }
        index += 1
    }

    /// JSON's four whitespace bytes only (RFC 8259 §2); no BOM, no NBSP.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
