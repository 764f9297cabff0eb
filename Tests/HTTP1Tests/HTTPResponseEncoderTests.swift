import Testing

@testable import HTTP1

struct HTTPResponseEncoderTests {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    static func encode(
        _ status: Int, headers: [(String, String)] = [], length: Int, body: [UInt8]?, keepAlive: Bool = true
    ) -> String {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.encode(
            status: status, headers: headers, contentLength: length, body: body, keepAlive: keepAlive,
            date: date, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func response_hasStatusLineDateLengthConnectionHeadersAndBody() {
        let out = Self.encode(200, headers: [("Content-Type", "application/json"), ("X-Request-ID", "r1")], length: 2, body: b("{}"))
        #expect(out == "HTTP/1.1 200 OK\r\nDate: \(Self.date)\r\nContent-Length: 2\r\nConnection: keep-alive\r\n"
            + "Content-Type: application/json\r\nX-Request-ID: r1\r\n\r\n{}")
    }

    @Test func headResponse_hasLengthButNoBody() {
        let out = Self.encode(200, length: 1234, body: nil, keepAlive: false)
        #expect(out == "HTTP/1.1 200 OK\r\nDate: \(Self.date)\r\nContent-Length: 1234\r\nConnection: close\r\n\r\n")
    }

    @Test func noContent_hasNoContentLength() {
        #expect(Self.encode(204, length: 0, body: nil) == "HTTP/1.1 204 No Content\r\nDate: \(Self.date)\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func encoding_appendsToExistingBytes() {
        var buffer = b("previous")
        HTTPResponseEncoder.encode(status: 404, headers: [], contentLength: 0, body: [], keepAlive: true, date: Self.date, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self).hasPrefix("previousHTTP/1.1 404 Not Found\r\n"))
    }

    @Test(arguments: [
        (100, "Continue"), (200, "OK"), (204, "No Content"), (304, "Not Modified"), (400, "Bad Request"),
        (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"),
        (408, "Request Timeout"), (413, "Content Too Large"), (414, "URI Too Long"), (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"), (500, "Internal Server Error"), (501, "Not Implemented"),
        (503, "Service Unavailable"), (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
    ])
    func statusLine_hasTheReasonPhrase(_ status: Int, _ reason: String) {
        #expect(HTTPStatusLine.bytes(status) == b("HTTP/1.1 \(status) \(reason)\r\n"))
    }

    @Test func unknownStatus_hasEmptyReason_andOutOfRangeIs500() {
        #expect(HTTPStatusLine.bytes(299) == b("HTTP/1.1 299 \r\n"))
        #expect(HTTPStatusLine.bytes(42) == b("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(HTTPStatusLine.bytes(600) == b("HTTP/1.1 500 Internal Server Error\r\n"))
    }

    @Test(arguments: [0, 7, 10, 99, 100, 1_048_576, Int.max])
    func contentLength_isWrittenInDecimal(_ n: Int) {
        var buffer: [UInt8] = []
        HTTPResponseEncoder.writeDecimal(n, into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == String(n))
    }

    @Test func negativeContentLength_isWrittenAsZero() {
        #expect(Self.encode(200, length: -5, body: nil).contains("Content-Length: 0\r\n"))
    }

    @Test func continueResponse_isTheInterimLine() {
        #expect(HTTPResponseEncoder.continueResponse == b("HTTP/1.1 100 Continue\r\n\r\n"))
    }

    @Test func encodedResponse_isParseableAsAnHTTPMessageHead() {
        // A round trip through our own parser's rules (a response line is not a request line,
        // so only the field lines are checked): every line ends in CRLF, no bare LF.
        let out = b(Self.encode(503, headers: [("Retry-After", "1")], length: 0, body: nil))
        for (i, byte) in out.enumerated() where byte == 10 { #expect(i > 0 && out[i - 1] == 13) }
    }
}
