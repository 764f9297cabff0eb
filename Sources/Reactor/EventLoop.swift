import Basics
import CLinux
import Glibc
import HTTP1

/// One epoll loop on its own thread: accepts on its own `SO_REUSEPORT` listener, reads, parses,
/// dispatches to the application and writes responses.
///
/// Connections are registered once, edge-triggered, for `EPOLLIN | EPOLLOUT | EPOLLRDHUP`, so the
/// loop never needs `epoll_ctl(MOD)`: it reads until `EAGAIN` and writes until `EAGAIN`, and
/// remembers when it stopped early (back-pressure) to try again itself. The listener and the
/// eventfd are level-triggered. Timeouts are enforced by a sweep every `sweepInterval`, which
/// bounds `epoll_wait`: cheap even for 10,000 connections, and precise enough for second-scale
/// timeouts.
final class EventLoop: @unchecked Sendable {
    // Everything below except `mailbox` and `wakeFD` is touched only by the loop's own thread.
    private let epollFD: Int32
    private let wakeFD: Int32
    private var listenFD: Int32
    private let config: HTTPServerConfiguration
    private let app: any HTTPApplication
    private let openConnections: ConnectionCounter
    private let clock = HTTPDateCache()

    private var connections: [Connection?] = []
    private var liveCount = 0
    private var nextGeneration: UInt64 = 1
    private var scratch = [UInt8](repeating: 0, count: 65_536)
    private var draining = false
    private var drainDeadline: Int64 = 0
    private var lastSweep: Int64 = 0
    /// Held in reserve for shedding connections when descriptors run out.
    private var spareFD: Int32 = open("/dev/null", O_RDONLY | O_CLOEXEC)

    private static let sweepInterval: Int64 = 100_000_000  // 100 ms
    private static let lingerTimeout: Int64 = 2_000_000_000
    /// Fewer than the events one `epoll_wait` returns, so reaping keeps pace with accepting.
    private static let acceptBatch = 64
    private static let listenerToken: UInt64 = UInt64.max
    private static let wakeToken: UInt64 = UInt64.max - 1
    /// Stop reading a connection while this much is buffered and unanswered.
    private static let maxBufferedOutput = 4 << 20

    /// Work posted from other threads: completed responses and the drain request.
    private struct Mailbox: ~Copyable {
        var completions: [(UInt64, HTTPServerResponse)] = []
        var drainRequested = false
    }
    private let mailbox = Locked(Mailbox())

    init(config: HTTPServerConfiguration, app: any HTTPApplication, counter: ConnectionCounter) throws(SystemError) {
        self.config = config
        self.app = app
        self.openConnections = counter
        epollFD = epoll_create1(CEPOLL_CLOEXEC)
        guard epollFD >= 0 else { throw SystemError(call: "epoll_create1", errno: errno) }
        wakeFD = eventfd(0, CEFD_NONBLOCK | CEFD_CLOEXEC)
        guard wakeFD >= 0 else { throw SystemError(call: "eventfd", errno: errno) }
        listenFD = try Sockets.listen(host: config.host, port: config.port, backlog: config.backlog)
        try register(listenFD, events: CEPOLL_IN, token: Self.listenerToken)
        try register(wakeFD, events: CEPOLL_IN, token: Self.wakeToken)
    }

    private func register(_ fd: Int32, events: UInt32, token: UInt64) throws(SystemError) {
        var event = cepoll_event(events, token)
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw SystemError(call: "epoll_ctl", errno: errno)
        }
    }

    // MARK: Cross-thread entry points

    /// Called from any thread when an `.async` response is ready.
    func post(connection id: UInt64, response: HTTPServerResponse) {
        mailbox.withLock { $0.completions.append((id, response)) }
        wake()
    }

    func requestDrain() {
        mailbox.withLock { $0.drainRequested = true }
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: The loop

    /// Runs until drained. Returns when every connection is closed or the drain timeout passed.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 512)
        while true {
            let timeout: Int32 = liveCount > 0 || draining ? Int32(Self.sweepInterval / 1_000_000) : 1000
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, 512, timeout) }
            if n < 0 && errno != EINTR { fatalError("epoll_wait: \(errno)") }
            let now = MonotonicClock.now()
            clock.refresh()
            for i in 0..<max(0, n) {
                let (token, flags) = events.withUnsafeBufferPointer { (cepoll_token($0.baseAddress, i), cepoll_events($0.baseAddress, i)) }
                switch token {
                case Self.listenerToken: acceptWaiting(now: now)
                case Self.wakeToken: drainMailbox(now: now)
                default: handle(events: flags, token: token, now: now)
                }
            }
            if now - lastSweep >= Self.sweepInterval {
                lastSweep = now
                sweep(now: now)
            }
            if draining && (liveCount == 0 || now >= drainDeadline) { break }
        }
        for case let conn? in connections { close(conn) }
        Glibc.close(epollFD)
        Glibc.close(wakeFD)
    }

    /// Accepts at most `acceptBatch` waiting connections, then lets the loop go on: the listener
    /// is level-triggered and fires again. Between batches the loop reaps connections that were
    /// reset while they queued; accepting a deep queue at once would hold thousands of dead
    /// descriptors against `MAX_CONNECTIONS` and shut out live clients.
    private func acceptWaiting(now: Int64) {
        for _ in 0..<Self.acceptBatch where !draining {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    caccept4(listenFD, $0, &length, CSOCK_NONBLOCK | CSOCK_CLOEXEC)
                }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE:
                    // Out of descriptors: the level-triggered listener would fire forever. Free
                    // the spare descriptor, accept and close the waiting connection, re-reserve.
                    Glibc.close(spareFD)
                    let victim = caccept4(listenFD, nil, nil, CSOCK_CLOEXEC)
                    if victim >= 0 { Glibc.close(victim) }
                    spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
                    continue
                default: return  // EAGAIN
                }
            }
            // Over the limit: close at once rather than queue (issue 2).
            guard openConnections.tryAcquire(limit: config.maxConnections) else {
                Glibc.close(fd)
                continue
            }
            Sockets.tuneAccepted(fd)
            let id = UInt64(UInt32(bitPattern: fd)) | (nextGeneration << 32)
            nextGeneration &+= 1
            let conn = Connection(fd: fd, id: id, info: HTTPConnectionInfo(remoteAddress: Sockets.peerAddress(storage)), limits: config.limits, now: now)
            var event = cepoll_event(CEPOLL_IN | CEPOLL_OUT | CEPOLL_RDHUP | CEPOLL_ET, id)
            guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
                Glibc.close(fd)
                openConnections.release()
                continue
            }
            let index = Int(fd)
            if index >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: index - connections.count + 1))
            }
            connections[index] = conn
            liveCount += 1
        }
    }

    private func connection(for token: UInt64) -> Connection? {
        let index = Int(UInt32(truncatingIfNeeded: token))
        guard index < connections.count, let conn = connections[index], conn.id == token else { return nil }
        return conn
    }

    private func handle(events: UInt32, token: UInt64, now: Int64) {
        guard let conn = connection(for: token) else { return }  // a stale event of a closed fd
        if events & (CEPOLL_ERR | CEPOLL_HUP) != 0 {
            close(conn)
            return
        }
        if events & CEPOLL_OUT != 0 && conn.hasPendingOutput {
            flush(conn, now: now)
            if connection(for: token) == nil { return }
        }
        if events & CEPOLL_RDHUP != 0 { conn.finArrived = true }
        if events & (CEPOLL_IN | CEPOLL_RDHUP) != 0 {
            readAvailable(conn, now: now)
        }
    }

    // MARK: Reading and parsing

    /// Reads until `EAGAIN` (edge-triggered), parsing as it goes, or stops early for
    /// back-pressure (a request in progress with more pipelined input, or unsent output).
    private func readAvailable(_ conn: Connection, now: Int64) {
        while true {
            if conn.phase != .lingering && (conn.unparsedCount > config.limits.maxHeadBytes * 2 || conn.outBytes > Self.maxBufferedOutput) {
                conn.readPaused = true  // resumed once the pending work is written
                return
            }
            let count = scratch.withUnsafeMutableBytes { read(conn.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                if conn.phase == .lingering { continue }
                conn.inbound.append(contentsOf: scratch[0..<count])
                process(conn, now: now)
                guard isOpen(conn) else { return }
                // A short read drained the socket; a new arrival raises a new edge. After
                // EPOLLRDHUP no edge follows (even when reading resumes after back-pressure),
                // so read on until the end of the stream is seen.
                if count < scratch.count && !conn.finArrived { return }
                continue
            }
            if count == 0 {
                conn.peerClosed = true
                if conn.phase == .lingering { close(conn) } else { process(conn, now: now) }
                return
            }
            switch errno {
            case EINTR: continue
            case EAGAIN: return
            default: close(conn); return
            }
        }
    }

    private func isOpen(_ conn: Connection) -> Bool {
        let index = Int(conn.fd)
        return index < connections.count && connections[index] === conn
    }

    /// Parses and dispatches as many buffered requests as allowed, in order.
    private func process(_ conn: Connection, now: Int64) {
        while conn.phase != .processing && conn.phase != .lingering && !conn.closeAfterWrite {
            if conn.outBytes > Self.maxBufferedOutput { break }
            let (event, consumed) = conn.inbound.withUnsafeBytes { raw in
                conn.parser.next(UnsafeRawBufferPointer(rebasing: raw[conn.inStart...]))
            }
            conn.inStart += consumed
            switch event {
            case .needMore:
                if conn.peerClosed {
                    // The peer sent FIN: the request can never complete. Answer nothing more.
                    conn.closeAfterWrite = true
                    finishTurn(conn, now: now)
                    return
                }
                if conn.head == nil && conn.unparsedCount == 0 {
                    if conn.phase != .idle { conn.phase = .idle; conn.idleSince = now }
                } else if conn.phase == .idle {
                    conn.phase = .reading
                    conn.requestStart = now
                }
                conn.compactInbound()
                finishTurn(conn, now: now)
                return
            case .head(let head):
                if conn.phase == .idle { conn.requestStart = now }
                conn.phase = .reading
                conn.head = head
                if head.expectsContinue { conn.enqueue(HTTPResponseEncoder.continueResponse) }
            case .messageEnd:
                guard let head = conn.head else { continue }
                dispatch(head, on: conn, now: now)
            case .error(let error):
                respondToProtocolError(status: error.status, reason: "\(error)", conn: conn)
            }
        }
        conn.compactInbound()
        finishTurn(conn, now: now)
    }

    /// Writes what is queued and, when the connection has nothing else to do, closes it.
    private func finishTurn(_ conn: Connection, now: Int64) {
        if conn.hasPendingOutput { flush(conn, now: now); return }
        if conn.closeAfterWrite { beginLingeringClose(conn, now: now); return }
        if conn.phase == .idle && (conn.peerClosed || draining) { close(conn) }
    }

    private func dispatch(_ head: HTTPRequestHead, on conn: Connection, now: Int64) {
        switch app.handle(head, connection: conn.info) {
        case .respond(let response):
            complete(conn, head: head, response: response, now: now)
        case .async(let start):
            conn.phase = .processing
            let id = conn.id
            start { [self] response in self.post(connection: id, response: response) }
        }
    }

    /// Queues the response to `head` and returns the connection to reading.
    private func complete(_ conn: Connection, head: HTTPRequestHead, response: HTTPServerResponse, now: Int64) {
        // A peer that half-closed after pipelining still gets an answer to each complete request
        // it sent; the connection closes once nothing but the end of its input is left.
        let keepAlive = head.keepAlive && !response.closeConnection && !draining && !(conn.peerClosed && conn.unparsedCount == 0)
        let omitBody = head.method == .head || response.status == 304 || response.status == 204
        encode(response, keepAlive: keepAlive, omitBody: omitBody, into: conn)
        conn.head = nil
        conn.phase = .reading  // `process` decides between idle and reading from the buffer
        if !keepAlive { conn.closeAfterWrite = true }
    }

    private func respondToProtocolError(status: Int, reason: String, conn: Connection) {
        // Without a parsed head, the rejected request starts at `inStart` (a head error consumes
        // nothing); with one, the buffer holds its body or what follows, which is not its own.
        let start = min(conn.inStart, conn.inbound.count)
        let requestBytes = conn.head == nil ? conn.inbound[start..<min(conn.inbound.count, start + 32_768)] : []
        var response = app.errorResponse(status: status, reason: reason, head: conn.head, requestBytes: requestBytes)
        response.closeConnection = true
        encode(response, keepAlive: false, omitBody: conn.head?.method == .head, into: conn)
        conn.closeAfterWrite = true
        conn.head = nil
    }

    private func encode(_ response: HTTPServerResponse, keepAlive: Bool, omitBody: Bool, into conn: Connection) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(256 + response.headerBytes.count + (omitBody ? 0 : response.body.count))
        HTTPStatusLine.write(response.status, into: &bytes)
        bytes.append(contentsOf: clock.dateLine)
        // RFC 9110 §8.6: no Content-Length on 204, nor on 304 (it would have to be the 200's).
        if response.status != 304 && response.status != 204 {
            bytes.append(contentsOf: Self.contentLengthPrefix)
            bytes.append(decimal: response.body.count)
            bytes.append(13); bytes.append(10)
        }
        bytes.append(contentsOf: keepAlive ? Self.keepAliveLine : Self.closeLine)
        bytes.append(contentsOf: response.headerBytes)
        bytes.append(13); bytes.append(10)
        // Small bodies are copied behind the head so the response leaves in one write;
        // large ones go as a second iovec of the same writev.
        if !omitBody {
            if response.body.count <= 16_384 {
                bytes.append(contentsOf: response.body)
                conn.enqueue(bytes)
            } else {
                conn.enqueue(bytes)
                conn.enqueue(response.body)
            }
        } else {
            conn.enqueue(bytes)
        }
    }

    // MARK: Writing

    private func flush(_ conn: Connection, now: Int64) {
        while conn.hasPendingOutput {
            let written: Int = withIOVecs(conn) { iov, count in writev(conn.fd, iov, count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    if conn.writeStart == 0 { conn.writeStart = now }
                    return  // EPOLLOUT (edge) tells us when to go on
                }
                close(conn)
                return
            }
            advance(conn, by: written)
        }
        conn.writeStart = 0
        conn.resetOutbound()
        if conn.closeAfterWrite {
            beginLingeringClose(conn, now: now)
            return
        }
        if conn.readPaused {
            conn.readPaused = false
            readAvailable(conn, now: now)
        } else if conn.phase != .processing && conn.unparsedCount > 0 {
            process(conn, now: now)
        } else if conn.phase == .reading && conn.head == nil && conn.unparsedCount == 0 {
            conn.phase = .idle
            conn.idleSince = now
            if conn.peerClosed || draining { close(conn) }
        }
    }

    /// Offers the first one or two queued chunks to `body` as iovecs (head and body of a response
    /// leave in one `writev`).
    private func withIOVecs(_ conn: Connection, _ body: (UnsafePointer<iovec>, Int32) -> Int) -> Int {
        let first = conn.outIndex
        let offset = conn.outOffset
        return conn.outbound[first].withUnsafeBytes { a in
            var iov = (iovec(iov_base: UnsafeMutableRawPointer(mutating: a.baseAddress! + offset), iov_len: a.count - offset), iovec())
            guard first + 1 < conn.outbound.count else {
                return withUnsafePointer(to: &iov.0) { body($0, 1) }
            }
            return conn.outbound[first + 1].withUnsafeBytes { b in
                iov.1 = iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress!), iov_len: b.count)
                return withUnsafeBytes(of: &iov) { raw in body(raw.bindMemory(to: iovec.self).baseAddress!, 2) }
            }
        }
    }

    private func advance(_ conn: Connection, by written: Int) {
        var remaining = written
        conn.outBytes -= written
        while remaining > 0 && conn.outIndex < conn.outbound.count {
            let available = conn.outbound[conn.outIndex].count - conn.outOffset
            if remaining >= available {
                remaining -= available
                conn.outIndex += 1
                conn.outOffset = 0
            } else {
                conn.outOffset += remaining
                remaining = 0
            }
        }
    }

    // MARK: Completions, timeouts, closing

    private func drainMailbox(now: Int64) {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        let (completions, drain) = mailbox.withLock { box -> ([(UInt64, HTTPServerResponse)], Bool) in
            let taken = box.completions
            box.completions.removeAll(keepingCapacity: true)
            return (taken, box.drainRequested)
        }
        if drain && !draining { startDraining(now: now) }
        for (id, response) in completions {
            guard let conn = connection(for: id), conn.phase == .processing, let head = conn.head else { continue }
            complete(conn, head: head, response: response, now: now)
            process(conn, now: now)
        }
    }

    private func startDraining(now: Int64) {
        draining = true
        drainDeadline = now + MonotonicClock.nanoseconds(config.drainTimeout)
        epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
        Glibc.close(listenFD)
        listenFD = -1
        for case let conn? in connections where conn.phase == .idle && !conn.hasPendingOutput {
            close(conn)
        }
    }

    private func sweep(now: Int64) {
        let head = MonotonicClock.nanoseconds(config.headTimeout)
        let idle = MonotonicClock.nanoseconds(config.idleTimeout)
        let write = MonotonicClock.nanoseconds(config.writeTimeout)
        for case let conn? in connections {
            if conn.writeStart != 0 && now - conn.writeStart > write {
                close(conn)
                continue
            }
            switch conn.phase {
            case .idle:
                if !conn.hasPendingOutput && now - conn.idleSince > idle { close(conn) }
            case .reading:
                if !conn.hasPendingOutput && now - conn.requestStart > head {
                    respondToProtocolError(status: 408, reason: "request head timeout", conn: conn)
                    finishTurn(conn, now: now)
                }
            case .lingering:
                if now - conn.lingerStart > Self.lingerTimeout { close(conn) }
            case .processing:
                break
            }
        }
    }

    /// Half-closes our side after the final response and drains the peer's input briefly.
    private func beginLingeringClose(_ conn: Connection, now: Int64) {
        guard conn.phase != .lingering else { return }
        if conn.peerClosed { close(conn); return }
        shutdown(conn.fd, Int32(SHUT_WR))
        conn.phase = .lingering
        conn.lingerStart = now
        conn.inbound = []
        conn.inStart = 0
        readAvailable(conn, now: now)
    }

    private func close(_ conn: Connection) {
        guard isOpen(conn) else { return }
        connections[Int(conn.fd)] = nil
        liveCount -= 1
        Glibc.close(conn.fd)  // also removes it from the epoll set
        openConnections.release()
    }

    // MARK: Constant bytes

    private static let contentLengthPrefix = Array("Content-Length: ".utf8)
    private static let keepAliveLine = Array("Connection: keep-alive\r\n".utf8)
    private static let closeLine = Array("Connection: close\r\n".utf8)
}
