import Basics
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated `LISTEN` session on its own thread, for change notifications.
///
/// Calls `onNotify(payload)` for each `NOTIFY` on `channel`, and `onStateChange(true)` once
/// `LISTEN` is in effect / `onStateChange(false)` when the session is lost. The initial
/// state is "disconnected" (no call is made until the first connection succeeds), and
/// `true` is reported only after `LISTEN` has been executed, so every change committed
/// after that call is notified. Anything committed while disconnected is not: a consumer
/// must treat both transitions as "everything may have changed".
///
/// Losing the session is noticed promptly: a server that closes it is seen at once (poll
/// wakes on the FIN), a vanished host through TCP keepalives, and a server that is alive
/// on TCP but frozen (SIGSTOP, stuck) by an empty query sent after 2 s of silence that must
/// answer within 2 s. Reconnection is automatic with backoff from 0.1 s doubling to 2 s.
///
/// Callbacks run on the listener thread, one at a time; keep them short.
public final class PQListener: Sendable {
    private let conninfo: String
    private let channel: String
    private let onNotify: @Sendable (String) -> Void
    private let onStateChange: @Sendable (Bool) -> Void

    private let stopping = Atomic<Bool>(false)
    private let thread = Locked<(started: Bool, handle: pthread_t?)>((false, nil))
    /// A pipe whose read end the thread polls, so `stop()` wakes it at once.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Idle time after which the session is probed with an empty query.
    static let probeAfterSeconds = 2.0
    /// How long the probe may take before the session counts as lost.
    static let probeTimeoutSeconds = 2.0
    /// Bound on connecting and on executing `LISTEN`.
    static let connectTimeoutSeconds = 5.0

    public init(conninfo: String, channel: String,
                onNotify: @escaping @Sendable (String) -> Void,
                onStateChange: @escaping @Sendable (Bool) -> Void) {
        self.conninfo = conninfo
        self.channel = channel
        self.onNotify = onNotify
        self.onStateChange = onStateChange
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        if wakeRead >= 0 { close(wakeRead) }
        if wakeWrite >= 0 { close(wakeWrite) }
    }

    /// Starts the listener thread (once; later calls do nothing).
    public func start() {
        thread.withLock { state in
            guard !state.started, !stopping.load(ordering: .acquiring) else { return }
            state.started = true
            let box = Unmanaged.passRetained(self).toOpaque()
            var handle = pthread_t()
            let rc = pthread_create(&handle, nil, { argument in
                let listener = Unmanaged<PQListener>.fromOpaque(argument!).takeRetainedValue()
                listener.run()
                return nil
            }, box)
            if rc == 0 {
                state.handle = handle
            } else {
                Unmanaged<PQListener>.fromOpaque(box).release()
            }
        }
    }

    /// Stops the thread and closes the session; waits for the thread to finish unless
    /// called from a callback (on the listener thread itself). No callback runs after it
    /// returns (except when called from a callback, where the current one completes).
    public func stop() {
        stopping.store(true, ordering: .releasing)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        let handle = thread.withLock { state -> pthread_t? in
            defer { state.handle = nil }
            return state.handle
        }
        if let handle, pthread_equal(handle, pthread_self()) == 0 {
            pthread_join(handle, nil)
        } else if let handle {
            pthread_detach(handle)
        }
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// The thread: connect, listen until lost, back off, repeat.
    private func run() {
        var backoff = 0.1
        while !isStopping {
            if let connection = connect() {
                backoff = 0.1
                onStateChange(true)
                listen(on: connection)
                connection.close()
                onStateChange(false)
                // A clean loss (server restart) is usually followed by a quick comeback.
            }
            if isStopping { break }
            sleep(seconds: backoff)
            backoff = min(backoff * 2, 2)
        }
    }

    /// A fresh session with `LISTEN` in effect, or nil.
    private func connect() -> PQConnection? {
        do {
            let connection = try PQConnection(conninfo: conninfo, timeoutSeconds: PQListener.connectTimeoutSeconds)
            guard let identifier = connection.quoteIdentifier(channel) else { return nil }
            try connection.execute("LISTEN " + identifier, timeoutSeconds: PQListener.connectTimeoutSeconds)
            return connection
        } catch {
            return nil
        }
    }

    /// Delivers notifications until the session is lost or `stop()` is called.
    private func listen(on connection: PQConnection) {
        var lastHeard = PQDeadline.nowNanoseconds()
        while !isStopping {
            var fds = [pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, 1000)
            if n < 0 && errno != EINTR { return }
            if isStopping || fds[1].revents != 0 { return }
            if fds[0].revents != 0 {
                guard connection.consumeInput() else { return }
                lastHeard = PQDeadline.nowNanoseconds()
            } else if Double(PQDeadline.nowNanoseconds() - lastHeard) / 1e9 >= PQListener.probeAfterSeconds {
                // Silence may mean a frozen server: TCP keepalives cannot tell (its kernel
                // still answers), so ask the server itself. An empty query costs nothing.
                do {
                    try connection.execute("", timeoutSeconds: PQListener.probeTimeoutSeconds)
                } catch {
                    return
                }
                lastHeard = PQDeadline.nowNanoseconds()
            }
            for notification in connection.takeNotifications() where notification.channel == channel {
                if isStopping { return }
                onNotify(notification.payload)
            }
        }
    }

    /// Sleeps, waking early when `stop()` is called.
    private func sleep(seconds: Double) {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, Int32(seconds * 1000))
    }
}
