import HTTP1

/// One accepted socket's state, owned by exactly one event loop (never touched by other threads).
final class Connection {
    enum Phase {
        /// Waiting for the first byte of a request (keep-alive idle).
        case idle
        /// Part of a request has arrived; the head timeout runs from its first byte.
        case reading
        /// The application is computing the response on another thread; no further request
        /// is dispatched until it is written (responses stay in request order).
        case processing
        /// Our side is shut down after a final response; unread input is drained so the kernel
        /// does not answer it with a reset that would destroy the response in flight.
        case lingering
    }

    let fd: Int32
    /// Matches epoll events and completions to this connection, not to a later one on a reused fd.
    let id: UInt64
    let info: HTTPConnectionInfo
    var phase = Phase.idle
    var parser: HTTPRequestParser

    /// Received, not yet parsed bytes live in `inbound[inStart...]`.
    var inbound: [UInt8] = []
    var inStart = 0

    /// The head of the request being read or processed.
    var head: HTTPRequestHead?

    /// Encoded responses waiting to be written: `outbound[outIndex]` from `outOffset` on.
    var outbound: [[UInt8]] = []
    var outIndex = 0
    var outOffset = 0
    var outBytes = 0

    /// Close once everything queued is written.
    var closeAfterWrite = false
    /// The peer sent FIN; answer what was received, then close.
    var peerClosed = false
    /// EPOLLRDHUP was reported: the FIN is queued behind the data, and no further edge will say so.
    var finArrived = false
    /// Reading stopped for back-pressure; resume with a read attempt (edge-triggered epoll).
    var readPaused = false

    /// Monotonic timestamps (ns) that drive the timeouts; 0 when not running.
    var idleSince: Int64
    var requestStart: Int64 = 0
    var writeStart: Int64 = 0
    var lingerStart: Int64 = 0

    init(fd: Int32, id: UInt64, info: HTTPConnectionInfo, limits: HTTPLimits, now: Int64) {
        self.fd = fd
        self.id = id
        self.info = info
        self.parser = HTTPRequestParser(limits: limits)
        self.idleSince = now
    }

    var hasPendingOutput: Bool { outIndex < outbound.count }
    var unparsedCount: Int { inbound.count - inStart }

    func enqueue(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        outbound.append(bytes)
        outBytes += bytes.count
    }

    /// Drops the consumed prefix of the input buffer; releases big buffers once idle so
    /// 10,000 idle connections cost little memory.
    func compactInbound() {
        if inStart == inbound.count {
            if inbound.capacity > 16_384 { inbound = [] } else { inbound.removeAll(keepingCapacity: true) }
            inStart = 0
        } else if inStart > 4096 && inStart * 2 > inbound.count {
            inbound.removeFirst(inStart)
            inStart = 0
        }
    }

    func resetOutbound() {
        outbound.removeAll(keepingCapacity: true)
        outIndex = 0
        outOffset = 0
        outBytes = 0
    }
}
