import Testing

@testable import HTTP1

/// `HTTPLimits`: 414 for long targets (early), 431 for long heads and too many fields, 413 for
/// large bodies. Small limits make exhaustive split checks cheap; the defaults are checked once.
struct LimitsTests {
    static func limits(target: Int = 8192, head: Int = 32768, fields: Int = 100) -> HTTPLimits {
        var l = HTTPLimits()
        l.maxTargetBytes = target
        l.maxHeadBytes = head
        l.maxHeaderFields = fields
        return l
    }

    @Test func defaults_matchTheDocumentedValues() {
        let l = HTTPLimits()
        #expect(l.maxTargetBytes == 8192)
        #expect(l.maxHeadBytes == 32768)
        #expect(l.maxHeaderFields == 100)
        #expect(l.maxBodyBytes == 1_048_576)
        #expect(l.maxChunkExtensionBytes == 16384)
    }

    @Test func targetAtLimit_isAccepted_andOneMoreIsURITooLong() {
        let limits = Self.limits(target: 16)
        let ok = "/" + String(repeating: "a", count: 15)
        #expect(expectAccepted(b("GET \(ok) HTTP/1.1\r\nHost: h\r\n\r\n"), limits: limits)?.target == ok)
        expectRejected(b("GET \(ok)b HTTP/1.1\r\nHost: h\r\n\r\n"), status: 414, limits: limits)
    }

    @Test func targetOverLimit_isDetectedBeforeTheHeadIsComplete() {
        let limits = Self.limits(target: 16)
        let t = expectSplitInvariant(b("GET /" + String(repeating: "a", count: 16)), limits: limits)
        #expect(t.error == .uriTooLong)
        // One byte fewer is still a head in progress.
        #expect(drive(b("GET /" + String(repeating: "a", count: 15)), limits: limits).events.isEmpty)
    }

    @Test func defaultTargetLimit_is8KiB() {
        let ok = "/" + String(repeating: "a", count: 8191)
        let okInput = b("GET \(ok) HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(drive(okInput).heads.first?.target == ok)
        #expect(drive(okInput, splits: Array(0..<okInput.count)).heads.first?.target == ok)
        let long = b("GET \(ok)a")
        #expect(drive(long).error == .uriTooLong)
        #expect(drive(long, splits: Array(0..<long.count)).error == .uriTooLong)
    }

    @Test func headAtLimit_isAccepted_andOneMoreIs431() {
        func head(valueBytes n: Int) -> [UInt8] {
            b("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: n) + "\r\n\r\n")
        }
        let limits = Self.limits(head: 64)
        let fits = head(valueBytes: 64 - head(valueBytes: 0).count)
        #expect(fits.count == 64)
        expectAccepted(fits, limits: limits)
        let over = head(valueBytes: 65 - head(valueBytes: 0).count)
        expectRejected(over, status: 431, limits: limits)
    }

    @Test func headWithoutEnd_is431_onceItExceedsTheLimit() {
        let limits = Self.limits(head: 64)
        let endless = b("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 80))
        #expect(expectSplitInvariant(endless, limits: limits).error == .headersTooLarge)
        #expect(drive(Array(endless[..<64]), limits: limits).error == .headersTooLarge)
        #expect(drive(Array(endless[..<63]), limits: limits).events.isEmpty)
    }

    @Test func defaultHeadLimit_is32KiB() {
        let big = b("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 32768) + "\r\n\r\n")
        #expect(drive(big).error == .headersTooLarge)
        #expect(drive(big, splits: Array(stride(from: 0, to: big.count, by: 7))).error == .headersTooLarge)
    }

    @Test func fieldsAtLimit_areAccepted_andOneMoreIs431() {
        let limits = Self.limits(fields: 4)
        let fields = (1...3).map { "X-\($0): v\r\n" }.joined()
        #expect(expectAccepted(b("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n"), limits: limits)?.headers.count == 4)
        expectRejected(b("GET / HTTP/1.1\r\nHost: h\r\n\(fields)X-4: v\r\n\r\n"), status: 431, limits: limits)
    }

    @Test func defaultFieldLimit_is100() {
        let fields = (1...99).map { "X-\($0): v\r\n" }.joined()
        #expect(drive(b("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n")).heads.first?.headers.count == 100)
        #expect(drive(b("GET / HTTP/1.1\r\nHost: h\r\n\(fields)X: v\r\n\r\n")).error == .headersTooLarge)
    }

    @Test func trickledHead_byteByByte_isParsed() {
        let input = b("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 30000) + "\r\n\r\n")
        let t = drive(input, splits: Array(0..<input.count))
        #expect(t.heads.first?.headers.first("x")?.utf8.count == 30000)
    }

    @Test func leadingEmptyLines_countTowardsTheHeadLimit() {
        let limits = Self.limits(head: 64)
        let crlfs = String(repeating: "\r\n", count: 32)
        #expect(expectSplitInvariant(b(crlfs + "GET / HTTP/1.1\r\n\r\n"), limits: limits).error == .headersTooLarge)
    }

    @Test func errorStatuses_mapOneToOne() {
        #expect(HTTPParseError.badRequest("x").status == 400)
        #expect(HTTPParseError.uriTooLong.status == 414)
        #expect(HTTPParseError.headersTooLarge.status == 431)
        #expect(HTTPParseError.payloadTooLarge.status == 413)
        #expect(HTTPParseError.notImplemented.status == 501)
        #expect(HTTPParseError.versionNotSupported.status == 505)
    }
}
