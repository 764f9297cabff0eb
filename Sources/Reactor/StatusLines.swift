/// Pre-encoded status lines, so a response head starts with one copy.
enum StatusLines {
    private static let table: [Int: [UInt8]] = {
        let phrases: [(Int, String)] = [
            (100, "Continue"), (200, "OK"), (204, "No Content"), (304, "Not Modified"),
            (400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"),
            (405, "Method Not Allowed"), (408, "Request Timeout"), (413, "Content Too Large"),
            (414, "URI Too Long"), (429, "Too Many Requests"), (431, "Request Header Fields Too Large"),
            (500, "Internal Server Error"), (501, "Not Implemented"), (503, "Service Unavailable"),
            (504, "Gateway Timeout"), (505, "HTTP Version Not Supported"),
        ]
        var table: [Int: [UInt8]] = [:]
        for (code, phrase) in phrases { table[code] = Array("HTTP/1.1 \(code) \(phrase)\r\n".utf8) }
        return table
    }()
    private static let ok = table[200]!

    @inline(__always)
    static func line(for status: Int) -> [UInt8] {
        if status == 200 { return ok }
        return table[status] ?? Array("HTTP/1.1 \(status) Status\r\n".utf8)
    }
}
