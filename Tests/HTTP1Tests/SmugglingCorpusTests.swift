import Testing

@testable import HTTP1

/// Requests in the style of llhttp's `test/request/*.md` that a lenient parser might frame
/// differently from a proxy in front of it. Each must end in an error with the given status —
/// after `heads` heads when the fault is in the body — for every split of the input, and the
/// request appended after it (`smuggledRequest`) must never be parsed.
struct SmugglingCorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var raw: [UInt8]
        var status: Int
        var heads = 0
        var testDescription: String { name }
    }

    static let post = "POST / HTTP/1.1\r\nHost: h\r\n"
    static let chunkedPost = post + "Transfer-Encoding: chunked\r\n\r\n"

    static let corpus: [Case] = [
        // Content-Length and Transfer-Encoding together (RFC 9112 §6.1, §11.2).
        Case(name: "CL then TE", raw: b(post + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE then CL", raw: b(post + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "CL 0 with TE", raw: b(post + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400),
        // Transfer-Encoding variants.
        Case(name: "TE chunked, gzip", raw: b(post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE identity", raw: b(post + "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE gzip alone", raw: b(post + "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE chunked twice in a list", raw: b(post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE chunked in two fields", raw: b(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE chunked then identity field", raw: b(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE gzip, chunked is not implemented", raw: b(post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), status: 501),
        Case(name: "TE gzip field then chunked field", raw: b(post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 501),
        Case(name: "TE with a parameter", raw: b(post + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE empty", raw: b(post + "Transfer-Encoding:\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE trailing comma", raw: b(post + "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE xchunked", raw: b(post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE chunked with vertical tab", raw: b(post + "Transfer-Encoding:\u{0B}chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE in HTTP/1.0", raw: b("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE with space before colon", raw: b(post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "TE folded onto the next line", raw: b(post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"), status: 400),
        Case(name: "obs-fold after TE", raw: b(post + "Transfer-Encoding: chunked\r\n , identity\r\n\r\n0\r\n\r\n"), status: 400),
        // Content-Length variants.
        Case(name: "CL plus sign", raw: b(post + "Content-Length: +5\r\n\r\nhello"), status: 400),
        Case(name: "CL negative", raw: b(post + "Content-Length: -1\r\n\r\n"), status: 400),
        Case(name: "CL hex", raw: b(post + "Content-Length: 0x5\r\n\r\nhello"), status: 400),
        Case(name: "CL empty", raw: b(post + "Content-Length:\r\n\r\n"), status: 400),
        Case(name: "CL two numbers", raw: b(post + "Content-Length: 5 5\r\n\r\nhello"), status: 400),
        Case(name: "CL decimal point", raw: b(post + "Content-Length: 5.0\r\n\r\nhello"), status: 400),
        Case(name: "CL differing list", raw: b(post + "Content-Length: 5, 6\r\n\r\nhello"), status: 400),
        Case(name: "CL empty list element", raw: b(post + "Content-Length: 5,,5\r\n\r\nhello"), status: 400),
        Case(name: "CL differing fields", raw: b(post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), status: 400),
        Case(name: "CL overflowing Int", raw: b(post + "Content-Length: 99999999999999999999999\r\n\r\n"), status: 400),
        Case(name: "CL over the body limit", raw: b(post + "Content-Length: 1048577\r\n\r\n"), status: 413),
        Case(name: "CL with space before colon", raw: b(post + "Content-Length : 5\r\n\r\nhello"), status: 400),
        // Line endings and control characters.
        Case(name: "bare LF line endings", raw: b("GET / HTTP/1.1\nHost: h\n\n"), status: 400),
        Case(name: "bare LF ending a field", raw: b("GET / HTTP/1.1\r\nHost: h\n\r\n"), status: 400),
        Case(name: "bare LF ending the head", raw: b("GET / HTTP/1.1\r\nHost: h\r\n\n"), status: 400),
        Case(name: "bare CR in the request line", raw: b("GET / HTTP/1.1\rHost: h\r\n\r\n"), status: 400),
        Case(name: "bare CR in a value", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n"), status: 400),
        Case(name: "bare CR ending the head", raw: b("GET / HTTP/1.1\r\nHost: h\r\n\r\r\n"), status: 400),
        Case(name: "NUL in a value", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"), status: 400),
        Case(name: "NUL in the target", raw: b("GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "NUL in a name", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX\0Y: v\r\n\r\n"), status: 400),
        Case(name: "escape control in a value", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: \u{1B}[31m\r\n\r\n"), status: 400),
        Case(name: "DEL in a value", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{7F}\r\n\r\n"), status: 400),
        Case(name: "leading bare LF", raw: b("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        // Header names.
        Case(name: "space before colon", raw: b("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), status: 400),
        Case(name: "tab before colon", raw: b("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n"), status: 400),
        Case(name: "obs-fold continuation", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n"), status: 400),
        Case(name: "obs-fold with tab", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n"), status: 400),
        Case(name: "first field line starts with space", raw: b("GET / HTTP/1.1\r\n Host: h\r\n\r\n"), status: 400),
        Case(name: "empty field name", raw: b("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n"), status: 400),
        Case(name: "field without colon", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX-No-Colon\r\n\r\n"), status: 400),
        Case(name: "separator in a name", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX(Y): v\r\n\r\n"), status: 400),
        Case(name: "non-ASCII in a name", raw: b("GET / HTTP/1.1\r\nHost: h\r\nX") + [0xC3, 0xA9] + b(": v\r\n\r\n"), status: 400),
        // Host.
        Case(name: "HTTP/1.1 without Host", raw: b("GET / HTTP/1.1\r\n\r\n"), status: 400),
        Case(name: "two Host fields", raw: b("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n"), status: 400),
        // Request line.
        Case(name: "double space after method", raw: b("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "double space before version", raw: b("GET /  HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "trailing space after version", raw: b("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "tab as separator", raw: b("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "HTTP/0.9 request line", raw: b("GET /\r\n\r\n"), status: 400),
        Case(name: "lower-case version", raw: b("GET / http/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "two-digit minor version", raw: b("GET / HTTP/1.10\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "version without minor", raw: b("GET / HTTP/1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "HTTP/2.0", raw: b("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), status: 505),
        Case(name: "HTTP/1.2", raw: b("GET / HTTP/1.2\r\nHost: h\r\n\r\n"), status: 505),
        Case(name: "HTTP/0.9 with version", raw: b("GET / HTTP/0.9\r\n\r\n"), status: 505),
        Case(name: "fragment in target", raw: b("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400),
        Case(name: "unknown method", raw: b("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n"), status: 501),
        Case(name: "lower-case method", raw: b("get / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 501),
        Case(name: "CONNECT", raw: b("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"), status: 501),
        // Chunked bodies: the head is valid, so one head comes first.
        Case(name: "chunk size with plus", raw: b(chunkedPost + "+5\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size negative", raw: b(chunkedPost + "-1\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size 0x prefix", raw: b(chunkedPost + "0x5\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size leading space", raw: b(chunkedPost + " 5\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size trailing space", raw: b(chunkedPost + "5 \r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size space before extension", raw: b(chunkedPost + "5 ;a=b\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size not hex", raw: b(chunkedPost + "g\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size missing", raw: b(chunkedPost + "\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size overflowing Int", raw: b(chunkedPost + "fffffffffffffffff\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size wrapping to small", raw: b(chunkedPost + "10000000000000005\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size with 33 digits", raw: b(chunkedPost + String(repeating: "0", count: 32) + "5\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk over the body limit", raw: b(chunkedPost + "100001\r\n"), status: 413, heads: 1),
        Case(name: "chunk size bare LF", raw: b(chunkedPost + "5\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk size bare CR", raw: b(chunkedPost + "5\rhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk data too long", raw: b(chunkedPost + "5\r\nhelloX\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk data bare LF", raw: b(chunkedPost + "5\r\nhello\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension without name", raw: b(chunkedPost + "5;\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension with spaces", raw: b(chunkedPost + "5; a=b\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension empty value", raw: b(chunkedPost + "5;a=\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension two tokens", raw: b(chunkedPost + "5;a=b c\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension unterminated quote", raw: b(chunkedPost + "5;a=\"b\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension text after quote", raw: b(chunkedPost + "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension bare LF", raw: b(chunkedPost + "5;a=b\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "chunk extension NUL in quotes", raw: b(chunkedPost + "5;a=\"\0\"\r\nhello\r\n0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "trailer obs-fold", raw: b(chunkedPost + "0\r\nX: a\r\n b\r\n\r\n"), status: 400, heads: 1),
        Case(name: "trailer space before colon", raw: b(chunkedPost + "0\r\nX : a\r\n\r\n"), status: 400, heads: 1),
        Case(name: "trailer without colon", raw: b(chunkedPost + "0\r\nX\r\n\r\n"), status: 400, heads: 1),
        Case(name: "trailer bare LF", raw: b(chunkedPost + "0\r\nX: a\n\r\n"), status: 400, heads: 1),
        Case(name: "trailer NUL", raw: b(chunkedPost + "0\r\nX: a\0\r\n\r\n"), status: 400, heads: 1),
        Case(name: "final CRLF missing its LF", raw: b(chunkedPost + "0\r\n\rX"), status: 400, heads: 1),
        Case(name: "last chunk with bare LF", raw: b(chunkedPost + "0\n\r\n"), status: 400, heads: 1),
    ]

    @Test(arguments: corpus)
    func smugglingAttempt_isRejected_andNothingAfterItIsParsed(_ c: Case) {
        expectRejected(c.raw, status: c.status, heads: c.heads)
    }
}
