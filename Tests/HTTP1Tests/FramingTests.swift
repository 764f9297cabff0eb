import Testing

@testable import HTTP1

/// Message body framing (RFC 9112 §6): Content-Length, Transfer-Encoding, and the refusal of
/// every combination two parsers could read differently.
struct FramingTests {
    static let post = "POST /p HTTP/1.1\r\nHost: h\r\n"

    @Test func duplicateContentLength_isRejected() {
        expectRejected(b(Self.post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), status: 400)
    }

    @Test func identicalDuplicateContentLength_isAccepted() {
        let t = expectSplitInvariant(b(Self.post + "Content-Length: 4\r\ncontent-length: 04\r\nContent-Length: 4 , 4\r\n\r\nabcd"))
        #expect(t.events.count == 2 && t.error == nil)
    }

    @Test(arguments: ["+5", "0x5", "-1", "", " ", "5 5", "5a", "1_000", "1e3", "5;", "\u{0665}", "5,", ",5"])
    func contentLengthThatIsNotDigits_isRejected(_ value: String) {
        expectRejected(b(Self.post + "Content-Length: \(value)\r\n\r\nhello"), status: 400)
    }

    @Test(arguments: ["9223372036854775808", "99999999999999999999", "18446744073709551616"])
    func overflowingContentLength_isBadRequest(_ value: String) {
        expectRejected(b(Self.post + "Content-Length: \(value)\r\n\r\n"), status: 400)
    }

    @Test(arguments: ["1048577", "9223372036854775807", "00000000000000000000001048577"])
    func contentLengthOverLimit_isPayloadTooLarge(_ value: String) {
        expectRejected(b(Self.post + "Content-Length: \(value)\r\n\r\n"), status: 413)
    }

    @Test func contentLengthAtLimit_isAccepted() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        let input = b(Self.post + "Content-Length: 10\r\n\r\n0123456789")
        #expect(expectSplitInvariant(input, limits: limits).events.count == 2)
        expectRejected(b(Self.post + "Content-Length: 11\r\n\r\n0123456789X"), status: 413, limits: limits)
    }

    @Test func contentLengthWithTransferEncoding_isRejected() {
        expectRejected(b(Self.post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400)
        expectRejected(b(Self.post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"), status: 400)
    }

    @Test(arguments: ["chunked, gzip", "identity", "gzip", "chunked, chunked", "chunked;x=1", "", ",chunked", "chunked,", "chunked , , x"])
    func transferEncodingNotEndingInOneChunked_isRejected(_ value: String) {
        expectRejected(b(Self.post + "Transfer-Encoding: \(value)\r\n\r\n0\r\n\r\n"), status: 400)
    }

    @Test(arguments: ["gzip, chunked", "deflate,chunked", "br , x-custom , chunked"])
    func transferCodingBeforeChunked_isNotImplemented(_ value: String) {
        expectRejected(b(Self.post + "Transfer-Encoding: \(value)\r\n\r\n0\r\n\r\n"), status: 501)
    }

    @Test func transferEncodingInHTTP10_isRejected() {
        expectRejected(b("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400)
    }

    @Test func bodyByContentLength_isConsumedExactly() {
        var parser = HTTPRequestParser()
        let input = b(Self.post + "Content-Length: 5\r\n\r\nhelloGET")
        let headLength = input.count - 8
        var (event, n) = parser.next(input)
        #expect(n == headLength)
        guard case .head = event else { Issue.record("expected a head, got \(event)"); return }
        // Part of the body: consumed, and more is needed.
        (event, n) = parser.next(input[headLength..<(headLength + 2)])
        #expect(event == .needMore && n == 2)
        // The rest of the body and the start of the next request: only the body is consumed.
        (event, n) = parser.next(input[(headLength + 2)...])
        #expect(event == .messageEnd && n == 3)
        (event, n) = parser.next(input[(headLength + 5)...])
        #expect(event == .needMore && n == 0)
    }

    @Test func requestWithoutBody_endsImmediately_consumingNothing() {
        var parser = HTTPRequestParser()
        let input = b("GET / HTTP/1.1\r\nHost: h\r\n\r\nNEXT")
        let (event, n) = parser.next(input)
        #expect(n == input.count - 4)
        guard case .head = event else { Issue.record("expected a head, got \(event)"); return }
        #expect(!parser.isIdle)
        let end = parser.next(input[n...])
        #expect(end.event == .messageEnd && end.consumed == 0)
        #expect(parser.isIdle)
    }

    @Test func bodyThatLooksLikeARequest_isDiscarded_notParsed() {
        let input = b("GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: 28\r\n\r\n")
            + b("GET /hidden HTTP/1.1\r\nX: y\r\n")
            + b("GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        let t = expectSplitInvariant(input)
        #expect(t.heads.map(\.path) == ["/a", "/b"])
        #expect(t.consumed == input.count)
    }
}
