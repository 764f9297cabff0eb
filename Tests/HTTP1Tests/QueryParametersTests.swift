import Testing

@testable import HTTP1

struct QueryParametersTests {
    static func pairs(_ raw: String) -> [String]? {
        QueryParameters.parse(raw)?.map { "\($0.name)=\($0.value)" }
    }

    @Test func pairs_areSplitOnAmpersand_inOrder_withDuplicates() {
        #expect(Self.pairs("a=1&b=2&a=3") == ["a=1", "b=2", "a=3"])
    }

    @Test func missingEquals_givesEmptyValue_andOnlyTheFirstEqualsSplits() {
        #expect(Self.pairs("flag&x==y=z&=v") == ["flag=", "x==y=z", "=v"])
    }

    @Test func emptySegments_areSkipped() {
        #expect(Self.pairs("") == [])
        #expect(Self.pairs("&&a=1&&") == ["a=1"])
    }

    @Test func plusIsSpace_andPercentEscapesAreDecoded() {
        #expect(Self.pairs("q=caf%C3%A9+au+lait&%2B=%2b%26%3D") == ["q=café au lait", "+=+&="])
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "%G0=1", "a=1&b=%"])
    func invalidPercentEscape_givesNil(_ raw: String) {
        #expect(QueryParameters.parse(raw) == nil)
    }

    @Test(arguments: ["a=%C3%28", "a=%FF", "a=%ED%A0%80", "a=%C0%AF", "a=%00", "a=b\u{0}"])
    func invalidUTF8OrNUL_givesNil(_ raw: String) {
        #expect(QueryParameters.parse(raw) == nil)
    }

    @Test func substringFromTheRequestHead_isAccepted() {
        let head = drive(b("GET /p?from=2024-01-01&to=2024-12-31&tag=a+b HTTP/1.1\r\nHost: h\r\n\r\n")).heads.first
        let query = head.flatMap { QueryParameters($0.rawQuery) }
        #expect(query?.first("from") == "2024-01-01")
        #expect(query?["to"] == "2024-12-31")
        #expect(query?.all("tag") == ["a b"])
        #expect(query?.first("TAG") == nil)
    }

    @Test func nonASCIIText_isKept() {
        #expect(Self.pairs("name=Zoë") == ["name=Zoë"])
    }
}
