import Dashboard
import Glibc
import JWT
import Memcache
import PQ
import Reactor
import Synchronization
import Telemetry

/// `findash serve`: wires configuration, database, cache, auth and the HTTP server, then
/// serves until SIGTERM/SIGINT and drains.
enum ServeCommand {
    static let help = """
        Usage: findash serve

        Serves the dashboard API over HTTP/1.1 until SIGTERM or SIGINT, then drains in-flight
        requests (DRAIN_TIMEOUT) and exits 0. All settings come from the environment:
          ENVIRONMENT            development | testing | staging | production (development)
          HOST, PORT             listen address (0.0.0.0, 8000)
          DATABASE_URL           libpq connection string or URI (required)
          MEMCACHED_SERVERS      host:port,host:port; empty: in-process cache
          DASHBOARD_CACHE_TTL    seconds (60 / 300 / 600 / 1800 by environment)
          DASHBOARD_ENABLED      true | false (true)
          JWT_SECRET             HS256 secret, or
          JWT_PUBLIC_KEY_FILE    PEM public key for RS256 / ES256
          JWT_ISSUER, JWT_AUDIENCE  checked when set
          CORS_ALLOWED_ORIGINS   comma-separated origins
          METRICS_ALLOW          peer addresses allowed to read /metrics (127.0.0.1,::1)
          METRICS_PORT           serve /metrics on this port instead (unset)
          RATE_LIMIT_RPS         per-tenant requests per second (unset: no limit)
          RATE_LIMIT_BURST       per-tenant burst (2 × RATE_LIMIT_RPS)
          LOG_LEVEL              debug | info | warning | error (info)
          WORKERS                event loops (one per core)
          BLOCKING_THREADS       worker threads for database and cache calls (16)
          DB_POOL_SIZE           PostgreSQL connections (10)
          DB_STATEMENT_TIMEOUT   seconds per dashboard statement (5)
          DB_READER_ROLE         role dashboard queries run as, under row-level security (findash_reader)
          HTTP_HEAD_TIMEOUT, HTTP_IDLE_TIMEOUT, HTTP_WRITE_TIMEOUT  seconds (10, 60, 30)
          MAX_CONNECTIONS        open connections (10000)
          DRAIN_TIMEOUT          seconds to finish in-flight requests on shutdown (20)
        """

    static func run(environment: [String: String]) -> Int32 {
        let config: Configuration
        do {
            config = try Configuration.fromEnvironment(environment)
        } catch {
            printError("findash: \(error)")
            return 2
        }
        let logger = Logger(minimum: config.logLevel)

        let verifier: JWTVerifier
        do {
            verifier = JWTVerifier(key: try makeKey(config.jwtKey!), options: JWTVerifierOptions(issuer: config.jwtIssuer, audience: config.jwtAudience))
        } catch {
            printError("findash: \(error)")
            return 2
        }

        let workers = WorkerPool(threads: config.blockingThreads, name: "worker")
        let healthWorker = WorkerPool(threads: 1, name: "health")
        let runner: JobRunner = { workers.submit($0) }
        let sessionSettings = [("work_mem", "32MB"), ("plan_cache_mode", "force_custom_plan")]
            + (config.readerRole.map { [("role", $0)] } ?? [])
        let pool = PQPool(conninfo: config.databaseURL, size: config.databasePoolSize, connectTimeoutSeconds: 2,
                          acquireTimeoutSeconds: config.statementTimeout, statementTimeoutSeconds: config.statementTimeout,
                          // work_mem: enough for the day-grouped period rows of a large tenant to
                          // hash in memory instead of sorting (measured: 3.3 s → 0.45 s for 210k
                          // rows). Custom plans: after five runs PostgreSQL would switch a prepared
                          // statement to a generic plan, 10–40× slower for a large tenant (bench,
                          // 5M rows); planning costs 2–4 ms, far less.
                          settings: sessionSettings)
        let metrics = Metrics()
        var shared: MemcachedResponseCache?
        if !config.memcachedServers.isEmpty {
            let client = MemcacheClient(servers: config.memcachedServers.map { MemcacheServer(host: $0.host, port: $0.port) },
                                        timeoutMilliseconds: config.memcachedTimeoutMilliseconds, poolSize: config.blockingThreads)
            shared = MemcachedResponseCache(client: client, metrics: metrics, logger: logger)
        }
        let generations = CacheGenerations(store: shared ?? LocalGenerationStore())
        let stopping = Atomic<Bool>(false)
        let listener = PQListener(conninfo: config.databaseURL, channel: "findash_changes",
                                  onNotify: { payload in
                                      generations.changed(payload)
                                      metrics.cacheInvalidations.add(1, ordering: .relaxed)
                                  },
                                  onStateChange: { up in
                                      generations.listening(up)
                                      // Stopping closes the channel on purpose: not worth a warning.
                                      guard !stopping.load(ordering: .relaxed) else { return }
                                      logger.log(up ? .info : .warning, up ? "change notifications connected" : "change notifications lost")
                                  })
        listener.start()

        var settings = config.dashboard
        settings.version = Version.current
        let app = DashboardApp(
            settings: settings,
            authenticator: TenantAuthenticator(verifier: verifier),
            service: DashboardService(pool: pool, queryTimeout: config.statementTimeout + 1),
            health: HealthChecker(conninfo: config.databaseURL, sessionSettings: sessionSettings, shared: shared, settings: settings,
                                  runner: { healthWorker.submit($0) }),
            runner: runner,
            localCacheBytes: shared == nil ? 256 << 20 : 64 << 20,
            shared: shared,
            generations: generations,
            metrics: metrics,
            logger: logger,
            limiter: config.rateLimitRPS.map { RateLimiter(rate: $0, burst: config.rateLimitBurst) })

        let server: HTTPServer
        var servers: [HTTPServer] = []
        do {
            server = try HTTPServer(configuration: config.server, application: app)
            servers.append(server)
            if let port = config.metricsPort {
                var metricsServer = config.server
                metricsServer.port = port
                metricsServer.eventLoops = 1
                metricsServer.maxConnections = 64
                servers.append(try HTTPServer(configuration: metricsServer, application: MetricsApp(metrics: metrics)))
            }
        } catch {
            let which = servers.isEmpty ? "PORT=\(config.server.port)" : "METRICS_PORT=\(config.metricsPort ?? 0)"
            printError("findash: cannot listen on HOST=\(config.server.host) \(which): \(error)")
            return 1
        }
        metrics.addGauges { [connections = server.connections] in
            let stats = pool.stats
            let load = workers.load
            return [
                ("dashboard_db_pool_in_use", "PostgreSQL connections lent out.", Double(stats.inUse)),
                ("dashboard_db_pool_idle", "Open PostgreSQL connections waiting to be used.", Double(stats.idle)),
                ("dashboard_db_pool_waiting", "Requests waiting for a PostgreSQL connection.", Double(stats.waiting)),
                ("dashboard_worker_queue", "Jobs waiting for a worker thread.", Double(load.queued)),
                ("dashboard_http_connections", "Open HTTP connections.", Double(connections.current)),
            ]
        }
        logger.info("listening", [
            ("host", config.server.host), ("port", String(config.server.port)), ("environment", config.environment.rawValue),
            ("event_loops", String(config.server.eventLoops)), ("cache", shared == nil ? "in-process" : "memcached"),
            ("cache_ttl", String(config.dashboard.cacheTTLSeconds)), ("version", Version.current),
        ])
        HTTPServer.runUntilSignalled(servers) { signal in
            stopping.store(true, ordering: .relaxed)
            logger.info("draining", [("signal", signal == SIGTERM ? "SIGTERM" : "SIGINT")])
        }
        listener.stop()
        logger.info("stopped")
        logger.flush()
        return 0
    }

    static func makeKey(_ source: Configuration.JWTKeySource) throws -> JWTKey {
        switch source {
        case .secret(let secret):
            return JWTKey.hmac(secret: Array(secret.utf8))
        case .publicKeyFile(let path):
            guard let pem = readFile(path) else {
                throw ConfigurationError(variable: "JWT_PUBLIC_KEY_FILE", problem: "cannot be read")
            }
            do {
                return try JWTKey.publicKey(pem: pem)
            } catch {
                throw ConfigurationError(variable: "JWT_PUBLIC_KEY_FILE", problem: "is not an RSA or P-256 public key in PEM form")
            }
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 20 { return nil }
        }
        return bytes
    }
}

/// The release's version: `FINDASH_VERSION` when the deployment sets it (the production
/// image and `ci/build.sh`'s dist/VERSION), else the source version.
enum Version {
    static let current: String = {
        if let v = getenv("FINDASH_VERSION"), v.pointee != 0 { return String(cString: v) }
        return "0.1.0"
    }()
}
