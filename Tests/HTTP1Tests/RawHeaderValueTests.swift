import Testing
import HTTP1

@Suite struct RawHeaderValueTests {
    func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(Array(text.utf8)) }

    @Test func findsAHeaderCaseInsensitivelyInRawBytes() {
        let raw = bytes("GET / HTTP/1.1\r\nHost: x\r\nx-REQUEST-id:  abc-123 \r\nContent-Length: +5\r\n\r\n")
        #expect(rawHeaderValue("X-Request-ID", in: raw) == "abc-123")
    }

    @Test func neverReadsPastTheEndOfTheHead() {
        let raw = bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\nX-Request-ID: smuggled\r\n\r\n")
        #expect(rawHeaderValue("X-Request-ID", in: raw) == nil)
        let own = bytes("GET / HTTP/1.1\r\nX-Request-ID: mine\r\n\r\nGET / HTTP/1.1\r\nX-Request-ID: smuggled\r\n\r\n")
        #expect(rawHeaderValue("X-Request-ID", in: own) == "mine")
        let bareCR = bytes("GET / HTTP/1.1\r\nHost: t\r\n\r\r\nGET / HTTP/1.1\r\nX-Request-ID: smuggled\r\n\r\n")
        #expect(rawHeaderValue("X-Request-ID", in: bareCR) == nil)
    }

    @Test func toleratesBareLineFeedsAndTruncation() {
        #expect(rawHeaderValue("x-request-id", in: bytes("GET / HTTP/1.1\nX-Request-ID: r1")) == "r1")
        #expect(rawHeaderValue("x-request-id", in: bytes("GET / HTTP/1.1\r\nX-Request-I")) == nil)
        #expect(rawHeaderValue("x-request-id", in: bytes("")) == nil)
    }

    @Test func neverTrapsOnArbitraryBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            var input: [UInt8] = []
            for _ in 0..<Int(state % 64) {
                state = state &* 6_364_136_223_846_793_005 &+ 1
                input.append([UInt8(ascii: "x"), UInt8(ascii: ":"), 13, 10, 0x20, UInt8(truncatingIfNeeded: state >> 33)][Int(state >> 61) % 6])
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            _ = rawHeaderValue("x", in: ArraySlice(input))
        }
    }
}
