import Glibc
import HTTP1

/// The HTTP/1.1 server: one event loop per thread, all serving one application.
public final class HTTPServer: Sendable {
    private let loops: [EventLoop]
    public let connections = ConnectionCounter()
    public let configuration: HTTPServerConfiguration

    /// Binds every loop's listener; throws when the address is unusable.
    public init(configuration: HTTPServerConfiguration, application: any HTTPApplication) throws(SystemError) {
        signal(SIGPIPE, SIG_IGN)  // a peer that went away is an EPIPE, not a process kill
        Self.raiseFileLimit(to: configuration.maxConnections + 1024)
        self.configuration = configuration
        var loops: [EventLoop] = []
        for _ in 0..<max(1, configuration.eventLoops) {
            loops.append(try EventLoop(config: configuration, app: application, counter: connections))
        }
        self.loops = loops
    }

    /// 10,000 connections need more descriptors than the usual soft limit of 1,024: raise it
    /// towards the hard limit.
    static func raiseFileLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let target = min(rlim_t(wanted), limit.rlim_max)
        if limit.rlim_cur < target {
            limit.rlim_cur = target
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
    }

    /// Serves until `SIGTERM` or `SIGINT`, then drains: stops accepting, closes idle connections,
    /// finishes in-flight requests (up to the drain timeout) and returns.
    public func runUntilSignalled(onSignal: @Sendable (Int32) -> Void = { _ in }) {
        HTTPServer.runUntilSignalled([self], onSignal: onSignal)
    }

    /// Runs several servers (e.g. the API and a metrics port) until a signal, then drains all.
    public static func runUntilSignalled(_ servers: [HTTPServer], onSignal: @Sendable (Int32) -> Void = { _ in }) {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        // Blocked in this thread before the loops start, so every thread inherits the mask and
        // only `sigwait` below receives them.
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        var threads: [pthread_t] = []
        for server in servers {
            for (i, loop) in server.loops.enumerated() {
                threads.append(spawnThread(name: "loop-\(i)") { loop.run() })
            }
        }
        var received: Int32 = 0
        sigwait(&signals, &received)
        onSignal(received)
        for server in servers {
            for loop in server.loops { loop.requestDrain() }
        }
        for thread in threads { pthread_join(thread, nil) }
    }
}
