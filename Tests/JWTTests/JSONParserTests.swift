import JWT
import Testing

/// The strict JSON parser behind headers and payloads (RFC 8259), which must never trap.
struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? {
        try? JSONValue.parse(Array(text.utf8))
    }

    private func reason(_ bytes: [UInt8]) -> JSONParseError.Reason? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func parsesEveryKindOfValue() {
        let value = parse(#" {"s":"x","i":-12,"d":1.5e2,"t":true,"f":false,"n":null,"a":[1,[{}],"y"],"o":{"k":[]}} "#)
        #expect(value == .object([
            JSONMember(name: "s", value: .string("x")),
            JSONMember(name: "i", value: .integer(-12)),
            JSONMember(name: "d", value: .double(150)),
            JSONMember(name: "t", value: .bool(true)),
            JSONMember(name: "f", value: .bool(false)),
            JSONMember(name: "n", value: .null),
            JSONMember(name: "a", value: .array([.integer(1), .array([.object([])]), .string("y")])),
            JSONMember(name: "o", value: .object([JSONMember(name: "k", value: .array([]))])),
        ]))
        #expect(value?[member: "i"]?.integral == -12)
        #expect(value?[member: "missing"] == nil)
        #expect(parse("\"top\"") == .string("top"))
        #expect(parse("0") == .integer(0))
    }

    @Test func integers_areExactAcrossInt64_andBeyondBecomeDoubles() {
        #expect(parse("9223372036854775807") == .integer(.max))
        #expect(parse("-9223372036854775808") == .integer(.min))
        #expect(parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(parse("-0") == .integer(0))
        #expect(parse("1E2") == .double(100))
        #expect(parse("1e-2") == .double(0.01))
        #expect(parse("0.5")?.integral == 0)
        #expect(parse("-0.5")?.integral == -1)
        #expect(parse("9223372036854775808")?.integral == nil)
        #expect(parse("-9223372036854775808.0")?.integral == .min)
    }

    @Test(arguments: ["01", "-", "1.", ".5", "+1", "1e", "1e+", "-01", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "--1"])
    func invalidNumbers_areRejected(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func stringEscapes_decode() {
        #expect(parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(parse(#""\u0041\u00e9\u20AC\ud83d\ude00""#) == .string("Aé€😀"))
        #expect(parse(#""\u0000""#) == .string("\u{0}"))
        #expect(parse("\"é€😀\"") == .string("é€😀"))
    }

    @Test(arguments: [#""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83dx""#, #""\u12""#, #""\u12G4""#,
                      #""\x""#, #""\'""#, "\"tab\there\"", "\"nl\nhere\"", "\"open", "'single'"])
    func badEscapesControlCharactersAndUnterminatedStrings_areRejected(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func invalidUTF8_isRejected_inStrings() {
        let cases: [[UInt8]] = [
            [0xC0, 0x80], [0xC1, 0xBF], // overlong ASCII
            [0xE0, 0x80, 0x80], // overlong 3-byte
            [0xED, 0xA0, 0x80], // UTF-8 encoded surrogate
            [0xF0, 0x80, 0x80, 0x80], // overlong 4-byte
            [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], // invalid lead, stray continuation
            [0xE2, 0x82], // truncated
            [0xC3, 0x28], // bad continuation
        ]
        for bytes in cases {
            #expect(reason([0x22] + bytes + [0x22]) == .invalidUTF8, "\(bytes)")
        }
        #expect(reason([0x22, 0xE2, 0x82, 0xAC, 0x22]) == nil) // €
        #expect(reason([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]) == nil) // U+10FFFF
    }

    @Test(arguments: ["", " ", "\u{FEFF}{}", "{} {}", "{}x", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}",
                      "{\"a\":}", "[", "]", "{", "}", "tru", "nul", "True", "/* c */{}", "{}\u{0}", "\u{A0}{}"])
    func structuralErrors_andTrailingBytes_areRejected(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func nesting_of16_isAccepted_17_isRejected() {
        #expect(parse(String(repeating: "[", count: 16) + String(repeating: "]", count: 16)) != nil)
        #expect(reason(Array((String(repeating: "[", count: 17) + String(repeating: "]", count: 17)).utf8)) == .tooDeep)
        let objects16 = String(repeating: #"{"a":"#, count: 15) + "{}" + String(repeating: "}", count: 15)
        #expect(parse(objects16) != nil)
        #expect(reason(Array((#"{"a":"# + objects16 + "}").utf8)) == .tooDeep)
        // Deep input far past the limit fails fast instead of exhausting the stack.
        #expect(reason(Array(String(repeating: "[", count: 100_000).utf8)) == .tooDeep)
    }

    @Test func duplicateMemberNames_areRejected_inSmallAndLargeObjects() {
        #expect(reason(Array(#"{"a":1,"a":1}"#.utf8)) == .duplicateMember)
        #expect(reason(Array(#"{"x":{"a":1,"b":2,"a":3}}"#.utf8)) == .duplicateMember)
        #expect(reason(Array(#"{"\u0061":1,"a":2}"#.utf8)) == .duplicateMember)
        let many = (0..<40).map { #""k\#($0)":\#($0)"# }
        #expect(parse("{" + many.joined(separator: ",") + "}") != nil)
        #expect(reason(Array(("{" + (many + [#""k7":0"#]).joined(separator: ",") + "}").utf8)) == .duplicateMember)
        #expect(parse(#"[{"a":1},{"a":1}]"#) != nil)
    }

    @Test func pseudoRandomInputs_neverTrap() {
        // 20k deterministic inputs: raw random bytes, random JSON-ish tokens, and mutations
        // of a realistic payload. The test passes by not crashing; acceptance is not asserted.
        var random = SplitMix64(seed: 0x5EED)
        let pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "dc00", "0", "-", "1", ".", "e",
                      "E", "+", "true", "null", "false", " ", "\"a\"", "9223372036854775808", "\u{FEFF}", "é"]
            .map { Array($0.utf8) }
        let seed = Array(#"{"sub":"user-1","exp":1700003600.5,"aud":["a","b"],"n":{"x":[null,true,-1e-3]},"s":"\u00e9\ud83d\ude00"}"#.utf8)
        var accepted = 0
        for round in 0..<20_000 {
            var input: [UInt8] = []
            switch round % 3 {
            case 0:
                input = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1:
                for _ in 0..<Int(random.next() % 40) { input += pieces[Int(random.next() % UInt64(pieces.count))] }
            default:
                input = seed
                for _ in 0...(random.next() % 4) {
                    let at = Int(random.next() % UInt64(input.count))
                    switch random.next() % 3 {
                    case 0: input[at] = UInt8(truncatingIfNeeded: random.next())
                    case 1: input.remove(at: at)
                    default: input.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                    }
                    if input.isEmpty { break }
                }
            }
            if (try? JSONValue.parse(input)) != nil { accepted += 1 }
        }
        #expect(accepted > 0)
    }
}
