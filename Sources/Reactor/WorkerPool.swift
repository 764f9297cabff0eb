import Glibc

/// A bounded pool of OS threads for work that may block (libpq, libmemcached).
/// Event loops hand jobs here and never wait for them; results come back through the loop's eventfd.
public final class WorkerPool: @unchecked Sendable {
    // `jobs`, `head` and `stopping` are guarded by `mutex`; pthread objects are heap-allocated
    // once so their addresses never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false
    private var busy = 0
    public let threadCount: Int

    /// - Parameter threads: number of worker threads (the `BLOCKING_THREADS` setting, default 16).
    public init(threads: Int, name: String) {
        threadCount = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
        for i in 0..<threadCount {
            spawnThread(name: "\(name)-\(i)") { [self] in self.runWorker() }
        }
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    /// Queues a job; jobs start in submission order on the pool's threads.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(cond)
        pthread_mutex_unlock(mutex)
    }

    /// Jobs waiting for a thread, and threads running a job.
    public var load: (queued: Int, busy: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return (jobs.count - head, busy)
    }

    /// Lets the workers exit once the queue is empty.
    public func shutdown() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

    private func runWorker() {
        while let job = nextJob() {
            job()
            pthread_mutex_lock(mutex)
            busy -= 1
            pthread_mutex_unlock(mutex)
        }
    }

    private func nextJob() -> (@Sendable () -> Void)? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count {
            if stopping { return nil }
            pthread_cond_wait(cond, mutex)
        }
        let job = jobs[head]
        head += 1
        // Compact once the consumed prefix dominates, keeping appends amortised O(1).
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        busy += 1
        return job
    }
}
