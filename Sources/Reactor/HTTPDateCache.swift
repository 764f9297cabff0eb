import Glibc
import HTTP1

/// The `Date:` header line, formatted at most once a second (RFC 9110 §6.6.1).
final class HTTPDateCache {
    private(set) var dateLine: [UInt8] = []
    private var second = -1

    init() { refresh() }

    func refresh() {
        let now = Int(time(nil))
        guard now != second else { return }
        second = now
        dateLine = Array("Date: \(HTTPDate.imfFixdate(epochSeconds: now))\r\n".utf8)
    }
}
