import Glibc

/// Log lines go to a buffer that a thread of its own writes to stdout, so a slow log pipe
/// never blocks an event loop. When the buffer is full (4 MiB) lines are dropped and counted.
public final class LogSink: @unchecked Sendable {
    // `pending`, `dropped` and `writing` are guarded by `mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [UInt8] = []
    private var writing = false
    private var dropped = 0
    private let fd: Int32
    private static let capacity = 4 << 20

    public static let standardOutput = LogSink(fd: 1)

    init(fd: Int32) {
        self.fd = fd
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            Unmanaged<LogSink>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
        pthread_detach(thread)
    }

    /// Queues one complete line already encoded (ending in "\n").
    public func write(bytes line: [UInt8]) {
        pthread_mutex_lock(mutex)
        if pending.count + line.count > Self.capacity {
            dropped += 1
        } else {
            pending.append(contentsOf: line)
            pthread_cond_signal(cond)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Lines dropped because the buffer was full.
    public var droppedLines: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return dropped
    }

    /// Waits (up to `timeout` seconds) until everything queued has been written.
    public func flush(timeout: Double = 2) {
        let deadline = Double(time(nil)) + timeout
        while Double(time(nil)) <= deadline {
            pthread_mutex_lock(mutex)
            let idle = pending.isEmpty && !writing
            pthread_mutex_unlock(mutex)
            if idle { return }
            usleep(1000)
        }
    }

    private func run() {
        var batch: [UInt8] = []
        while true {
            pthread_mutex_lock(mutex)
            while pending.isEmpty { pthread_cond_wait(cond, mutex) }
            swap(&batch, &pending)
            writing = true
            pthread_mutex_unlock(mutex)
            var offset = 0
            while offset < batch.count {
                let n = batch.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 { if errno == EINTR { continue } else { break } }
                offset += n
            }
            batch.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
            writing = false
            pthread_mutex_unlock(mutex)
        }
    }
}
