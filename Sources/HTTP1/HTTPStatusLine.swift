/// Status lines (`HTTP/1.1 404 Not Found\r\n`) encoded once, looked up per response by index.
/// Reason phrases are RFC 9110 §15's; an unlisted code gets an empty phrase, which the grammar
/// allows (RFC 9112 §4: `status-line = HTTP-version SP status-code SP [ reason-phrase ]`).
public enum HTTPStatusLine {
    /// The reason phrase for `status`, or "" for codes without one here.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 203: "Non-Authoritative Information"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 416: "Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 426: "Upgrade Required"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }

    /// Lines for 100…599, built on first use.
    private static let table: [[UInt8]] = (100...599).map(make)

    private static func make(_ status: Int) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(reason(status))\r\n".utf8)
    }

    /// Appends the status line for `status` (100…599; anything else is written as 500, since
    /// a three-digit code is all the grammar allows and such a status is a server bug).
    public static func write(_ status: Int, into buffer: inout [UInt8]) {
        let index = (100...599).contains(status) ? status - 100 : 400
        buffer.append(contentsOf: table[index])
    }

    /// The status line for `status` as bytes, CRLF included.
    public static func bytes(_ status: Int) -> [UInt8] {
        var b: [UInt8] = []
        write(status, into: &b)
        return b
    }
}
