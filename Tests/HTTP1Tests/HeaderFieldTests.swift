import Testing

@testable import HTTP1

/// Header fields (RFC 9112 §5, RFC 9110 §5): names are tokens, values without CTLs, OWS trimmed,
/// no obs-fold, exactly one Host in HTTP/1.1.
struct HeaderFieldTests {
    static func withField(_ line: [UInt8]) -> [UInt8] {
        b("GET / HTTP/1.1\r\nHost: h\r\n") + line + b("\r\n\r\n")
    }

    @Test func headers_keepOrderAndDuplicates_withCaseInsensitiveLookup() {
        let head = expectAccepted(b("GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX-Id: 1\r\naccept: b\r\n\r\n"))
        #expect(head?.headers.count == 4)
        #expect(head?.headers.first("ACCEPT") == "a")
        #expect(head?.headers.all("accept") == ["a", "b"])
        #expect(head?.headers.first("missing") == nil)
        #expect(head?.headers.map(\.name) == ["Host", "Accept", "X-Id", "accept"])
    }

    @Test func spaceBeforeColon_isRejected() {
        expectRejected(Self.withField(b("X-Name : v")), status: 400)
    }

    @Test func obsFold_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  folded\r\n\r\n"), status: 400)
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tfolded\r\n\r\n"), status: 400)
    }

    @Test func emptyHeaderName_isRejected() {
        expectRejected(Self.withField(b(":v")), status: 400)
    }

    @Test func lineWithoutColon_isRejected() {
        expectRejected(Self.withField(b("JustAName")), status: 400)
    }

    @Test func valueWhitespace_isTrimmed_butInnerWhitespaceKept() {
        let head = expectAccepted(Self.withField(b("X:\t \ta \t b\t \t")))
        #expect(head?.headers.first("x") == "a \t b")
    }

    /// Every byte value inside a value: refused exactly when it is a CTL other than HTAB, or DEL.
    @Test func everyValueByte_isRejectedOnlyWhenControl() {
        var wrong: [UInt8] = []
        for byte in UInt8(0)...255 {
            let t = drive(Self.withField(b("X: a") + [byte] + b("b")))
            let rejected = t.error != nil
            let control = (byte < 0x20 && byte != 0x09) || byte == 0x7F
            if rejected != control { wrong.append(byte) }
            if rejected, t.error?.status != 400 { wrong.append(byte) }
        }
        #expect(wrong.isEmpty, "bytes judged wrongly: \(wrong)")
    }

    /// The same at every offset of a long value, so that bytes are judged alike whether they fall
    /// in the eight-at-a-time scan or in the byte-by-byte tail.
    @Test func everyValueByte_atEveryOffsetOfALongValue_isJudgedAlike() {
        var wrong: [String] = []
        for offset in 0..<20 {
            for byte in UInt8(0)...255 {
                var value = Array(repeating: UInt8(ascii: "v"), count: 20)
                value[offset] = byte
                let t = drive(Self.withField(b("X: ") + value))
                let control = (byte < 0x20 && byte != 0x09) || byte == 0x7F
                if (t.error != nil) != control { wrong.append("\(byte)@\(offset)") }
                if !control, offset > 0, offset < 19, t.heads.first?.headers.first("x")?.utf8.count ?? 0 < 20 {
                    wrong.append("value \(byte)@\(offset)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10))")
    }

    /// Every byte value inside a name: accepted exactly when it is a tchar (`:` ends the name).
    @Test func everyNameByte_isAcceptedOnlyWhenTchar() {
        var wrong: [UInt8] = []
        for byte in UInt8(0)...255 where byte != UInt8(ascii: ":") {
            let t = drive(Self.withField(b("X") + [byte] + b("Y: v")))
            let accepted = t.error == nil
            if accepted != ASCII.isTchar(byte) { wrong.append(byte) }
        }
        #expect(wrong.isEmpty, "bytes judged wrongly: \(wrong)")
        let tchars = (UInt8(0)...255).filter(ASCII.isTchar)
        #expect(String(decoding: tchars, as: UTF8.self) == "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~")
    }

    @Test func missingHost_inHTTP11_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nX: y\r\n\r\n"), status: 400)
    }

    @Test func missingHost_inHTTP10_isAccepted() {
        #expect(expectAccepted(b("GET / HTTP/1.0\r\nX: y\r\n\r\n"))?.version == .http1_0)
    }

    @Test func duplicateHost_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\nHOST: a\r\n\r\n"), status: 400)
        expectRejected(b("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"), status: 400)
    }

    @Test func bareLF_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\nX: a\nY: b\r\n\r\n"), status: 400)
    }

    @Test func bareCR_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\nX: a\rY: b\r\n\r\n"), status: 400)
    }

    @Test func nul_isRejected() {
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\nX: a\0\r\n\r\n"), status: 400)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: te\r\nConnection: Close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: closed\r\n\r\n", true),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: foo,  KEEP-ALIVE \r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nKeep-Alive: timeout=5\r\n\r\n", false),
    ])
    func keepAlive_followsRFC9112Section9_3(_ raw: String, _ keepAlive: Bool) {
        #expect(expectAccepted(b(raw))?.keepAlive == keepAlive)
    }

    @Test func expect100Continue_withBody_setsExpectsContinue() {
        let head = expectAccepted(b("PUT / HTTP/1.1\r\nHost: h\r\nExpect:  100-continue \r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
        #expect(head?.expectsContinue == true)
    }

    @Test func otherExpectation_isIgnored() {
        let head = expectAccepted(b("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx"))
        #expect(head?.expectsContinue == false)
    }

    /// RFC 9112 §3.2: a Host value that is not `uri-host [":" port]` is a 400; empty is allowed.
    @Test(arguments: ["a b", "user@evil", "a/b", "a\\b", "h?x", "h#x", "a\"b"])
    func invalidHostValue_isRejected(_ host: String) {
        expectRejected(b("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n"), status: 400)
    }

    @Test func validHostValues_areAccepted() {
        for host in ["example.com", "example.com:8000", "[::1]:8000", "127.0.0.1", "xn--bcher-kva.example", ""] {
            #expect(expectAccepted(b("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")) != nil, "\(host)")
        }
        expectRejected(Array("GET / HTTP/1.1\r\nHost: ".utf8) + [0xFF, 0xFE] + Array("\r\n\r\n".utf8), status: 400)
    }
}
