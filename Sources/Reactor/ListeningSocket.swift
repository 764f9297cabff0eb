import CLinux
import Glibc

/// Creating listening sockets and tuning accepted ones.
enum Sockets {
    /// A non-blocking listening TCP socket with `SO_REUSEPORT`, so each event loop owns one and
    /// the kernel spreads new connections across loops without a shared accept lock.
    static func listen(host: String, port: Int, backlog: Int32) throws(SystemError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = CSOCK_STREAM
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV  // HOST may be a name ("localhost")
        var info: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &info)
        guard rc == 0, let ai = info else { throw SystemError(call: "getaddrinfo", errno: EINVAL) }
        defer { freeaddrinfo(info) }

        let fd = socket(ai.pointee.ai_family, CSOCK_STREAM | CSOCK_NONBLOCK | CSOCK_CLOEXEC, 0)
        guard fd >= 0 else { throw SystemError(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let e = errno
            close(fd)
            throw SystemError(call: "bind", errno: e)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw SystemError(call: "listen", errno: e)
        }
        return fd
    }

    /// `TCP_NODELAY`: every response is written in one call, so Nagle only adds latency
    /// (it meets delayed ACK and stalls keep-alive responses by ~40 ms).
    static func tuneAccepted(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The peer's numeric address, for allow-lists; "" when unknown.
    static func peerAddress(_ storage: sockaddr_storage) -> String {
        var storage = storage
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, len, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard rc == 0 else { return "" }
        let length = host.firstIndex(of: 0) ?? host.count
        var text = String(decoding: host[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("::ffff:") { text.removeFirst(7) }  // IPv4-mapped
        return text
    }
}
