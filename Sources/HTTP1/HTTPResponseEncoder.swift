/// Writes response heads (and bodies) into a reusable buffer, for one write per response.
/// Constant parts are pre-encoded; nothing is validated here — header names and values come
/// from the application, not the wire, and are written as their UTF-8 bytes.
public enum HTTPResponseEncoder {
    /// `HTTP/1.1 100 Continue` and its blank line: the interim response to `Expect: 100-continue`
    /// (RFC 9110 §15.2.1), which carries no Date, Content-Length or Connection.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static let datePrefix: [UInt8] = Array("Date: ".utf8)
    private static let contentLengthPrefix: [UInt8] = Array("\r\nContent-Length: ".utf8)
    private static let keepAliveLine: [UInt8] = Array("\r\nConnection: keep-alive\r\n".utf8)
    private static let closeLine: [UInt8] = Array("\r\nConnection: close\r\n".utf8)

    /// Appends a response to `buffer`:
    ///
    ///     HTTP/1.1 <status> <reason>\r\n
    ///     Date: <date>\r\n
    ///     Content-Length: <contentLength>\r\n      (not for 1xx and 204, RFC 9110 §8.6)
    ///     Connection: keep-alive | close\r\n       (always, so HTTP/1.0 keep-alive works)
    ///     <name>: <value>\r\n ...
    ///     \r\n
    ///     <body>                                   (when non-nil: nil for HEAD and 304)
    ///
    /// `contentLength` is the body's length even when the body is not sent (HEAD, 304);
    /// a negative value, a caller bug, is written as 0.
    public static func encode(
        status: Int, headers: [(String, String)], contentLength: Int, body: [UInt8]?,
        keepAlive: Bool, date: String, into buffer: inout [UInt8]
    ) {
        writeHead(status: status, contentLength: contentLength, keepAlive: keepAlive, date: date, into: &buffer)
        for (name, value) in headers {
            buffer.append(contentsOf: name.utf8)
            buffer.append(ASCII.colon)
            buffer.append(ASCII.sp)
            buffer.append(contentsOf: value.utf8)
            buffer.append(ASCII.cr)
            buffer.append(ASCII.lf)
        }
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
        if let body { buffer.append(contentsOf: body) }
    }

    /// Appends the fixed part of a head — status line, Date, Content-Length, Connection — and no
    /// blank line, for callers that add pre-encoded header lines and the blank line themselves.
    public static func writeHead(
        status: Int, contentLength: Int, keepAlive: Bool, date: String, into buffer: inout [UInt8]
    ) {
        HTTPStatusLine.write(status, into: &buffer)
        buffer.append(contentsOf: datePrefix)
        buffer.append(contentsOf: date.utf8)
        // RFC 9110 §8.6: no Content-Length in 1xx and 204 responses.
        if status >= 200, status != 204 {
            buffer.append(contentsOf: contentLengthPrefix)
            writeDecimal(max(0, contentLength), into: &buffer)
        }
        buffer.append(contentsOf: keepAlive ? keepAliveLine : closeLine)
    }

    /// Appends a non-negative integer's decimal digits without building a String.
    static func writeDecimal(_ value: Int, into buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.max's 19 digits
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[n] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
                n += 1
            }
            while n > 0 {
                n -= 1
                buffer.append(d[n])
            }
        }
    }
}
