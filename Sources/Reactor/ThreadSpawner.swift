import CLinux
import Glibc

/// Starts a detached-or-joinable POSIX thread running `body`. Used for event loops and workers:
/// they are long-lived OS threads by design, outside Swift's cooperative pool, because they block
/// in `epoll_wait` or in C libraries.
final class ThreadBox {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

@discardableResult
func spawnThread(name: String, _ body: @escaping @Sendable () -> Void) -> pthread_t {
    let box = Unmanaged.passRetained(ThreadBox(body))
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
        let box = Unmanaged<ThreadBox>.fromOpaque(raw!).takeRetainedValue()
        box.body()
        return nil
    }, box.toOpaque())
    precondition(rc == 0, "pthread_create failed: \(rc)")
    cpthread_setname(thread, String(name.prefix(15)))
    return thread
}
