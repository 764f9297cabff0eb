import Testing

@testable import HTTP1

/// Valid requests and the heads they must give, each fed whole, split at every byte boundary,
/// byte by byte, and as every proper prefix (which must only ever need more).
struct ValidRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var raw: [UInt8]
        var expected: HTTPRequestHead
        var testDescription: String { name }
    }

    static let corpus: [Case] = [
        Case(
            name: "simple GET",
            raw: b("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            expected: HTTPRequestHead(method: .get, target: "/", headers: HTTPHeaders([("Host", "example.com")]))),
        Case(
            name: "path is percent-decoded, query kept raw",
            raw: b("GET /api/a%20b/%C3%A9t%C3%A9?x=1&y=%20+z HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/api/a%20b/%C3%A9t%C3%A9?x=1&y=%20+z", path: "/api/a b/été",
                rawQuery: "x=1&y=%20+z", headers: HTTPHeaders([("Host", "h")]))),
        Case(
            name: "empty query",
            raw: b("GET /q? HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(method: .get, target: "/q?", path: "/q", rawQuery: "", headers: HTTPHeaders([("Host", "h")]))),
        Case(
            name: "HTTP/1.0 without Host closes by default",
            raw: b("GET /x HTTP/1.0\r\n\r\n"),
            expected: HTTPRequestHead(method: .get, target: "/x", version: .http1_0, keepAlive: false)),
        Case(
            name: "HTTP/1.0 keep-alive is case-insensitive",
            raw: b("GET /x HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/x", version: .http1_0, headers: HTTPHeaders([("Connection", "Keep-Alive")]),
                keepAlive: true)),
        Case(
            name: "HTTP/1.1 Connection close in a token list",
            raw: b("GET / HTTP/1.1\r\nHost: h\r\nconnection: Upgrade ,CLOSE\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/", headers: HTTPHeaders([("Host", "h"), ("connection", "Upgrade ,CLOSE")]),
                keepAlive: false)),
        Case(
            name: "close wins over keep-alive",
            raw: b("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/", version: .http1_0, headers: HTTPHeaders([("Connection", "keep-alive, close")]),
                keepAlive: false)),
        Case(
            name: "POST with a Content-Length body",
            raw: b("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"),
            expected: HTTPRequestHead(
                method: .post, target: "/submit", headers: HTTPHeaders([("Host", "h"), ("Content-Length", "5")]))),
        Case(
            name: "GET with a body, read and discarded",
            raw: b("GET /g HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"),
            expected: HTTPRequestHead(
                method: .get, target: "/g", headers: HTTPHeaders([("Host", "h"), ("Content-Length", "3")]))),
        Case(
            name: "chunked with extensions and trailers",
            raw: b(
                "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=val;q=\"quoted \\\" str\";flag\r\nhello\r\n"
                    + "A\r\n0123456789\r\n"
                    + "00f\r\n0123456789abcde\r\n"
                    + "0;last\r\nX-Trailer: yes\r\nX-Other:\tv \r\n\r\n"),
            expected: HTTPRequestHead(
                method: .post, target: "/u", headers: HTTPHeaders([("Host", "h"), ("Transfer-Encoding", "chunked")]))),
        Case(
            name: "Transfer-Encoding is case-insensitive",
            raw: b("PUT /u HTTP/1.1\r\nHost: h\r\ntransfer-encoding: ChUnKeD \r\n\r\n0\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .put, target: "/u", headers: HTTPHeaders([("Host", "h"), ("transfer-encoding", "ChUnKeD")]))),
        Case(
            name: "Expect 100-continue with a body",
            raw: b("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok"),
            expected: HTTPRequestHead(
                method: .post, target: "/e",
                headers: HTTPHeaders([("Host", "h"), ("Expect", "100-Continue"), ("Content-Length", "2")]),
                expectsContinue: true)),
        Case(
            name: "Expect 100-continue without a body is not honoured",
            raw: b("GET /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/e", headers: HTTPHeaders([("Host", "h"), ("Expect", "100-continue")]))),
        Case(
            name: "Expect 100-continue in HTTP/1.0 is ignored",
            raw: b("POST /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
            expected: HTTPRequestHead(
                method: .post, target: "/e", version: .http1_0,
                headers: HTTPHeaders([("Expect", "100-continue"), ("Content-Length", "1")]), keepAlive: false)),
        Case(
            name: "OWS trimmed, empty values and duplicates kept in order",
            raw: b("GET / HTTP/1.1\r\nHost: h\r\nX-A:   spaced \t value \t \r\nX-Empty:\r\nX-Dup: 1\r\nx-dup:2\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/",
                headers: HTTPHeaders([("Host", "h"), ("X-A", "spaced \t value"), ("X-Empty", ""), ("X-Dup", "1"), ("x-dup", "2")]))),
        Case(
            name: "obs-text in a value is replaced, not refused",
            raw: b("GET / HTTP/1.1\r\nHost: h\r\nX-Latin: caf") + [0xE9] + b("\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/", headers: HTTPHeaders([("Host", "h"), ("X-Latin", "caf\u{FFFD}")]))),
        Case(
            name: "empty lines before the request line are ignored",
            raw: b("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(method: .get, target: "/", headers: HTTPHeaders([("Host", "h")]))),
        Case(
            name: "OPTIONS asterisk-form",
            raw: b("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(method: .options, target: "*", path: "*", headers: HTTPHeaders([("Host", "h")]))),
        Case(
            name: "absolute-form takes the path",
            raw: b("GET http://example.com:8000/p/q?z=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "http://example.com:8000/p/q?z=1", path: "/p/q", rawQuery: "z=1",
                headers: HTTPHeaders([("Host", "example.com")]))),
        Case(
            name: "absolute-form without a path is /",
            raw: b("HEAD HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .head, target: "HTTPS://example.com", path: "/", headers: HTTPHeaders([("Host", "example.com")]))),
        Case(
            name: "identical Content-Length values count as one",
            raw: b("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 003\r\nContent-Length: 3\r\n\r\nabc"),
            expected: HTTPRequestHead(
                method: .post, target: "/",
                headers: HTTPHeaders([("Host", "h"), ("Content-Length", "3, 003"), ("Content-Length", "3")]))),
        Case(
            name: "Content-Length 0 has no body",
            raw: b("DELETE /d HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
            expected: HTTPRequestHead(method: .delete, target: "/d", headers: HTTPHeaders([("Host", "h"), ("Content-Length", "0")]))),
        Case(
            name: "empty Host is allowed",
            raw: b("GET / HTTP/1.1\r\nHost:\r\n\r\n"),
            expected: HTTPRequestHead(method: .get, target: "/", headers: HTTPHeaders([("Host", "")]))),
        Case(
            name: "target characters curl sends unencoded",
            raw: b("GET /a/{b}|c^d`e\"f?q=[1]<2>\\ HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .get, target: "/a/{b}|c^d`e\"f?q=[1]<2>\\", path: "/a/{b}|c^d`e\"f", rawQuery: "q=[1]<2>\\",
                headers: HTTPHeaders([("Host", "h")]))),
        Case(
            name: "tchar symbols in a header name",
            raw: b("PATCH /p HTTP/1.1\r\nHost: h\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n"),
            expected: HTTPRequestHead(
                method: .patch, target: "/p", headers: HTTPHeaders([("Host", "h"), ("!#$%&'*+-.^_`|~09azAZ", "v")]))),
    ] + ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"].map { m in
        Case(
            name: "method \(m)",
            raw: b("\(m) /m HTTP/1.1\r\nHost: h\r\n\r\n"),
            expected: HTTPRequestHead(
                method: [.get, .head, .post, .put, .delete, .patch, .options, .trace].first { $0.name == m }!,
                target: "/m", headers: HTTPHeaders([("Host", "h")])))
    }

    @Test(arguments: corpus)
    func validRequest_givesExpectedHead_forEverySplit(_ c: Case) {
        let head = expectAccepted(c.raw)
        #expect(head == c.expected)
    }
}
