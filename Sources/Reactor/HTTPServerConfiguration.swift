import HTTP1

/// Everything the HTTP server needs to know, with the defaults of issue 2.
public struct HTTPServerConfiguration: Sendable {
    /// Listen address (`HOST`), default `0.0.0.0`.
    public var host = "0.0.0.0"
    /// Listen port (`PORT`), default 8000.
    public var port = 8000
    /// Event loops, one thread each (`WORKERS`), default one per core.
    public var eventLoops = 1
    /// Parser limits (target, head, fields, body).
    public var limits = HTTPLimits()
    /// A request head must be complete this long after its first byte (`HTTP_HEAD_TIMEOUT`), default 10 s.
    /// Also bounds reading the body.
    public var headTimeout = 10.0
    /// An idle keep-alive connection is closed after this (`HTTP_IDLE_TIMEOUT`), default 60 s.
    public var idleTimeout = 60.0
    /// A client that does not take its response within this is dropped (`HTTP_WRITE_TIMEOUT`), default 30 s.
    public var writeTimeout = 30.0
    /// Open connections beyond this are closed at once (`MAX_CONNECTIONS`), default 10,000.
    public var maxConnections = 10_000
    /// On SIGTERM, in-flight requests get this long to finish (`DRAIN_TIMEOUT`), default 20 s.
    public var drainTimeout = 20.0
    /// `listen(2)` backlog.
    public var backlog: Int32 = 4096

    public init() {}
}
