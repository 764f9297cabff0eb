import Testing

@testable import HTTP1

struct HTTPHeadersTests {
    @Test func lookup_isASCIICaseInsensitive_andKeepsDuplicates() {
        var h = HTTPHeaders([("Content-Type", "a"), ("X", "1")])
        h.append(name: "content-TYPE", value: "b")
        #expect(h.count == 3)
        #expect(h.first("CONTENT-type") == "a")
        #expect(h.all("content-type") == ["a", "b"])
        #expect(h.contains("x"))
        #expect(!h.contains("Content-Typ"))
        #expect(h.first("Content-Type\u{0}") == nil)
        #expect(h.single("x") == "1")
        #expect(h.single("content-type") == nil)  // repeated: no single value
        #expect(h.single("absent") == nil)
    }

    @Test func caseFolding_isASCIIOnly() {
        let h = HTTPHeaders([("K", "v")])
        #expect(h.first("\u{212A}") == nil)  // KELVIN SIGN does not fold to K
        #expect(h.first("k") == "v")
    }

    @Test func equality_isOrderSensitive() {
        #expect(HTTPHeaders([("a", "1"), ("b", "2")]) == HTTPHeaders([("a", "1"), ("b", "2")]))
        #expect(HTTPHeaders([("a", "1"), ("b", "2")]) != HTTPHeaders([("b", "2"), ("a", "1")]))
    }

    @Test func methodNames_areTheWireTokens() {
        let all: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options, .trace, .connect]
        #expect(all.map(\.name) == ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"])
    }
}
