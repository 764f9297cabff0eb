import Testing

@testable import HTTP1

/// Several requests in one read (RFC 9112 §9.3.2): each is parsed in order, its body consumed
/// exactly, and the parser is ready for the next one after `.messageEnd`.
struct PipeliningTests {
    static let three = b(
        "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /three HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")

    @Test func threePipelinedRequests_giveHeadAndMessageEnd_inOrder() {
        let t = expectSplitInvariant(Self.three)
        #expect(t.events.count == 6)
        #expect(t.heads.map(\.path) == ["/one", "/two", "/three"])
        for (i, e) in t.events.enumerated() where i % 2 == 1 { #expect(e == .messageEnd) }
        #expect(t.consumed == Self.three.count)
    }

    @Test func callerLoop_overOneBuffer_consumesEverything() {
        var parser = HTTPRequestParser()
        var offset = 0
        var log: [String] = []
        while true {
            let (event, n) = parser.next(Self.three[offset...])
            offset += n
            switch event {
            case .head(let h): log.append(h.method.name + " " + h.path)
            case .messageEnd: log.append("end")
            case .needMore, .error: break
            }
            if case .needMore = event { break }
            if case .error = event { break }
        }
        #expect(log == ["GET /one", "end", "POST /two", "end", "PUT /three", "end"])
        #expect(offset == Self.three.count)
        #expect(parser.isIdle)
    }

    @Test func badRequestInAPipeline_stopsEverythingAfterIt() {
        let input = b("GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\r\nHost : h\r\n\r\n") + smuggledRequest
        let t = expectSplitInvariant(input)
        #expect(t.heads.map(\.path) == ["/ok"])
        #expect(t.error?.status == 400)
    }

    @Test func keepAliveAndHTTP10_areDecidedPerRequest() {
        let input = b("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        let t = expectSplitInvariant(input)
        #expect(t.heads.map(\.keepAlive) == [true, false])
    }
}
