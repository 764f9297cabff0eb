import Testing

@testable import HTTP1

/// The request line (RFC 9112 §3): method, request-target forms, version, percent-decoding.
struct RequestLineTests {
    static func get(_ target: String, version: String = "HTTP/1.1") -> [UInt8] {
        b("GET \(target) \(version)\r\nHost: h\r\n\r\n")
    }

    @Test(arguments: ["BREW", "PROPFIND", "QUERY", "M-SEARCH", "GETS"])
    func unknownMethod_isNotImplemented(_ method: String) {
        expectRejected(b("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 501)
    }

    @Test(arguments: ["get", "Get", "pOST"])
    func methods_areCaseSensitive(_ method: String) {
        expectRejected(b("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 501)
    }

    @Test(arguments: ["G(T", "GE\"T", "GET/", "G,T", "G@T"])
    func methodWithNonTokenCharacter_isRejected(_ method: String) {
        expectRejected(b("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 400)
    }

    @Test(arguments: [
        "GET  / HTTP/1.1", " GET / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", "GET / ", "GET /",
        "GET", "GET\t/ HTTP/1.1", "GET /\tHTTP/1.1", "GET / HTTP/1.1 extra",
    ])
    func requestLineWithoutExactlySingleSpaces_isRejected(_ line: String) {
        expectRejected(b("\(line)\r\nHost: h\r\n\r\n"), status: 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"])
    func wellFormedOtherVersion_isVersionNotSupported(_ version: String) {
        expectRejected(Self.get("/", version: version), status: 505)
    }

    @Test(arguments: ["HTTP/1.10", "HTTP/11.1", "HTTP/1", "HTTP/1.", "HTTP/a.b", "http/1.1", "HTTPS/1.1", "HTTP/1,1", "HTTP 1.1", "HTTP/1.1x"])
    func malformedVersion_isBadRequest(_ version: String) {
        expectRejected(Self.get("/", version: version), status: 400)
    }

    @Test func unknownMethod_withUnsupportedVersion_isVersionNotSupported() {
        expectRejected(b("BREW / HTTP/2.0\r\n\r\n"), status: 505)
    }

    @Test func asteriskForm_isOnlyForOptions() {
        #expect(expectAccepted(b("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))?.path == "*")
        expectRejected(Self.get("*"), status: 400)
        expectRejected(Self.get("*/x"), status: 400)
    }

    @Test(arguments: ["example.com:80", "foo", "ftp://example.com/", "http:/x", "http://", "http:///p", "http://?q", "?q=1",
                      "http://h>0/p", "http://user@example.com/p", "http://a\"b/", "http://h{}/", "http://h|/", "https://h^/"])
    func targetInNoAcceptedForm_isRejected(_ target: String) {
        expectRejected(Self.get(target), status: 400)
    }

    @Test func connect_isNotImplemented() {
        expectRejected(b("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"), status: 501)
        expectRejected(b("CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n"), status: 501)
    }

    @Test func absoluteForm_takesPathAndQuery_andIgnoresAuthority() {
        let head = expectAccepted(Self.get("http://example.com:81/a%2Fb?x=1"))
        #expect(head?.path == "/a/b")
        #expect(head?.rawQuery == "x=1")
        #expect(head?.target == "http://example.com:81/a%2Fb?x=1")
        #expect(expectAccepted(Self.get("http://[::1]:8000/p"))?.path == "/p")
        #expect(expectAccepted(Self.get("HTTPS://xn--bcher-kva.example~_-.:443?q"))?.path == "/")
    }

    @Test func path_stopsAtFirstQuestionMark_andQueryStaysRaw() {
        let head = expectAccepted(Self.get("/p%3Fq?a?b=%2B+c"))
        #expect(head?.path == "/p?q")
        #expect(head?.rawQuery == "a?b=%2B+c")
    }

    @Test func percentEncodedSlash_decodesToSlash() {
        #expect(expectAccepted(Self.get("/a%2fb"))?.path == "/a/b")
    }

    @Test func emptySegments_areAValidOriginForm() {
        #expect(expectAccepted(Self.get("//x"))?.path == "//x")
    }

    @Test func plus_inPath_staysPlus() {
        #expect(expectAccepted(Self.get("/a+b"))?.path == "/a+b")
    }

    @Test(arguments: ["/%", "/%4", "/%zz", "/%0G", "/a%", "/%%41"])
    func invalidPercentEscape_inPath_isRejected(_ target: String) {
        expectRejected(Self.get(target), status: 400)
    }

    @Test func percentEncodedNUL_inPath_isRejected() {
        expectRejected(Self.get("/a%00b"), status: 400)
    }

    @Test(arguments: ["/%C3%28", "/%C0%AF", "/%ED%A0%80", "/%F4%90%80%80", "/%FF", "/%E2%82", "/%80"])
    func invalidUTF8_afterDecoding_isRejected(_ target: String) {
        expectRejected(Self.get(target), status: 400)
    }

    @Test func validUTF8_afterDecoding_isAccepted() {
        #expect(expectAccepted(Self.get("/%F0%9F%92%B6/%E2%82%AC"))?.path == "/💶/€")
    }

    /// Every byte value inside a target: accepted exactly when it is visible ASCII other than `#`.
    @Test func everyTargetByte_isAcceptedOnlyWhenVisibleASCII() {
        var wrong: [UInt8] = []
        for byte in UInt8(0)...255 {
            let t = drive(b("GET /a") + [byte] + b("b HTTP/1.1\r\nHost: h\r\n\r\n"))
            let accepted = t.error == nil && t.heads.count == 1
            // `%` is a valid target byte, but `%b` followed by a space is a bad escape.
            let shouldAccept = byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "%")
            if accepted != shouldAccept { wrong.append(byte) }
        }
        #expect(wrong.isEmpty, "bytes judged wrongly: \(wrong)")
    }
}
