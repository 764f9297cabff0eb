import Testing

@testable import HTTP1

/// Chunked bodies (RFC 9112 §7.1): sizes, extensions, data, trailers, limits.
struct ChunkedBodyTests {
    static let head = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    static let next = "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"

    static func limits(body: Int = 1_048_576, extensions: Int = 16384, head: Int = 32768, fields: Int = 100) -> HTTPLimits {
        var l = HTTPLimits()
        l.maxBodyBytes = body
        l.maxChunkExtensionBytes = extensions
        l.maxHeadBytes = head
        l.maxHeaderFields = fields
        return l
    }

    @Test func chunkedBody_withExtensionsAndTrailers_isConsumedExactly() {
        let body = "4;a=1;b=\"x;y\\\"z\"\r\nWiki\r\n5;c\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0;end=\"\"\r\nExpires: never\r\nX-Sum:\r\n\r\n"
        let input = b(Self.head + body + Self.next)
        let t = expectSplitInvariant(input)
        #expect(t.heads.map(\.path) == ["/c", "/next"])
        #expect(t.events.filter { $0 == .messageEnd }.count == 2)
        #expect(t.consumed == input.count)
    }

    @Test func chunkData_mayContainCRLFAndAnyByte() {
        let data: [UInt8] = [13, 10, 0, 255, 13, 10, 48, 13, 10, 13, 10]
        let input = b(Self.head + "b\r\n") + data + b("\r\n0\r\n\r\n" + Self.next)
        let t = expectSplitInvariant(input)
        #expect(t.heads.map(\.path) == ["/c", "/next"])
        #expect(t.consumed == input.count)
    }

    @Test func chunkSize_isHexInEitherCase_withLeadingZeros() {
        let input = b(Self.head + "000A\r\n0123456789\r\na\r\n0123456789\r\n0000\r\n\r\n")
        #expect(expectSplitInvariant(input).events.count == 2)
    }

    @Test func incompleteChunkedBody_onlyNeedsMore() {
        let input = b(Self.head + "5\r\nhello\r\n0\r\nX: y\r\n")
        let t = drive(input)
        #expect(t.events.count == 1 && t.error == nil && t.consumed == input.count)
    }

    @Test func chunkSizeOverflow_isBadRequest() {
        expectRejected(b(Self.head + "8000000000000000\r\n"), status: 400, heads: 1)
        expectRejected(b(Self.head + "7fffffffffffffff\r\n"), status: 413, heads: 1)
    }

    @Test func chunkedTotalOverLimit_isPayloadTooLarge() {
        let limits = Self.limits(body: 10)
        #expect(expectSplitInvariant(b(Self.head + "5\r\n12345\r\n5\r\n12345\r\n0\r\n\r\n"), limits: limits).error == nil)
        expectRejected(b(Self.head + "5\r\n12345\r\n6\r\n123456\r\n0\r\n\r\n"), status: 413, heads: 1, limits: limits)
        expectRejected(b(Self.head + "b\r\n"), status: 413, heads: 1, limits: limits)
    }

    @Test func chunkExtensionsOverLimit_arePayloadTooLarge() {
        let limits = Self.limits(extensions: 8)
        // ";a=1234" is 7 bytes; twice is 14 over the message.
        #expect(expectSplitInvariant(b(Self.head + "1;a=1234\r\nx\r\n0\r\n\r\n"), limits: limits).error == nil)
        expectRejected(b(Self.head + "1;a=1234\r\nx\r\n1;a=1234\r\ny\r\n0\r\n\r\n"), status: 413, heads: 1, limits: limits)
    }

    @Test func chunkSizeWithBadWhitespace_isRejected() {
        for body in ["5 \r\n", " 5\r\n", "5\t\r\n", "5 ;a\r\n", "5; a\r\n", "5;a =b\r\n", "5;a= b\r\n"] {
            expectRejected(b(Self.head + body + "hello\r\n0\r\n\r\n"), status: 400, heads: 1)
        }
    }

    @Test func quotedExtensionValue_allowsEscapesAndObsText() {
        let input = b(Self.head + "1;q=\"a\\\"b\\\\c d\t") + [0xE9] + b("\"\r\nx\r\n0\r\n\r\n")
        #expect(expectSplitInvariant(input).error == nil)
    }

    @Test func tooManyTrailerFields_areRejected() {
        let limits = Self.limits(fields: 3)
        #expect(expectSplitInvariant(b(Self.head + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), limits: limits).error == nil)
        expectRejected(b(Self.head + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), status: 431, heads: 1, limits: limits)
    }

    @Test func trailerSectionOverLimit_isRejected() {
        let limits = Self.limits(head: 100)
        let longTrailer = "0\r\nX: " + String(repeating: "v", count: 100) + "\r\n\r\n"
        expectRejected(b(Self.head + longTrailer), status: 431, heads: 1, limits: limits)
    }

    @Test func trailerFieldsAreValidatedLikeHeaders() {
        for trailer in ["X : v\r\n", " X: v\r\n", ": v\r\n", "X\r\n", "X: \u{01}\r\n", "X: v\rY\r\n", "X: v\n"] {
            expectRejected(b(Self.head + "0\r\n" + trailer + "\r\n"), status: 400, heads: 1)
        }
    }
}
