import Basics
import Glibc
import HTTP1
import PQ
import Telemetry

/// The findash application: routes, authentication, parameters, caching and responses.
/// Everything here runs on an event loop and returns at once; database and memcached work is
/// handed to `runner` (a worker pool) and completes asynchronously.
public final class DashboardApp: HTTPApplication {
    private let settings: DashboardSettings
    private let authenticator: TenantAuthenticator
    private let service: DashboardService
    private let health: HealthChecker
    private let runner: JobRunner
    private let local: LocalCache<ResponseKey>
    private let shared: (any SharedResponseCache)?
    private let generations: CacheGenerations
    private let flights = SingleFlight<Result<(CachedResponse, hit: Bool), Problem>>()
    private let ttlNanoseconds: Int64
    private let metrics: Metrics
    private let logger: Logger
    private let limiter: RateLimiter?

    public init(settings: DashboardSettings, authenticator: TenantAuthenticator, service: DashboardService,
                health: HealthChecker, runner: @escaping JobRunner, localCacheBytes: Int,
                shared: (any SharedResponseCache)?, generations: CacheGenerations, metrics: Metrics, logger: Logger,
                limiter: RateLimiter? = nil) {
        self.limiter = limiter
        self.metrics = metrics
        self.logger = logger
        self.settings = settings
        self.authenticator = authenticator
        self.service = service
        self.health = health
        self.runner = runner
        self.local = LocalCache(maxBytes: localCacheBytes)
        self.shared = shared
        self.generations = generations
        self.ttlNanoseconds = Int64(settings.cacheTTLSeconds) * 1_000_000_000
    }

    // MARK: HTTPApplication

    public func handle(_ head: HTTPRequestHead, connection: HTTPConnectionInfo) -> HTTPHandlerResult {
        let context = RequestContext(head: head)
        // CORS applies to every answer a listed origin may read, errors included (a browser
        // app must see its 401 to ask for a new token); preflights carry their own.
        let cors = head.method == .options || settings.corsAllowedOrigins.isEmpty
            ? [] : CORS.headers(origin: head.headers.first("origin"), allowed: settings.corsAllowedOrigins)
        switch route(head, connection: connection, context: context) {
        case .respond(var response):
            response.headerBytes += cors
            finish(context, response)
            return .respond(response)
        case .async(let start):
            return .async { [self] complete in
                start { response in
                    var response = response
                    response.headerBytes += cors
                    self.finish(context, response)
                    complete(response)
                }
            }
        }
    }

    /// Metrics and the access-log line of a finished request.
    private func finish(_ context: RequestContext, _ response: HTTPServerResponse) {
        let elapsed = Double(MonotonicClock.now() - context.started) / 1e9
        metrics.observe(endpoint: context.endpoint, tenantType: context.tenant?.type, tenantKey: context.tenant?.key,
                        status: response.status, seconds: elapsed, nowSeconds: MonotonicClock.now() / 1_000_000_000)
        logger.access(requestID: context.requestID, method: context.method, path: context.path, status: response.status,
                      tenantType: context.tenant?.type, tenantID: context.tenant?.id, subject: context.subject,
                      endpoint: context.endpoint, durationMs: elapsed * 1000, cacheHit: context.cacheHit,
                      responseSize: response.body.count)
    }

    private func route(_ head: HTTPRequestHead, connection: HTTPConnectionInfo, context: RequestContext) -> HTTPHandlerResult {
        let requestID = context.requestID
        let endpoint = DashboardEndpoint(path: head.path)
        let isMetrics = head.path == "/metrics" && settings.metricsAllow.contains(connection.remoteAddress)
        guard endpoint != nil || isMetrics || head.path == "/health" || head.path == "/health/dashboard" || head.path == "/openapi.json" else {
            return .respond(problem(.notFound, requestID: requestID))
        }
        // Switched off, the dashboard routes do not exist, whatever the method (CONTRACT §5).
        if endpoint != nil && !settings.enabled { return .respond(problem(.dashboardDisabled, requestID: requestID)) }
        switch head.method {
        case .get, .head: break
        case .options where !settings.corsAllowedOrigins.isEmpty:
            return .respond(CORS.preflight(head, allowed: settings.corsAllowedOrigins, common: commonHeaders(requestID)))
        default:
            let allow = settings.corsAllowedOrigins.isEmpty ? "GET, HEAD" : "GET, HEAD, OPTIONS"
            return .respond(problem(.methodNotAllowed(allow: allow), requestID: requestID))
        }
        switch head.path {
        case "/health":
            return .respond(HTTPServerResponse(status: 200, headerBytes: commonHeaders(requestID) + Self.jsonNoStoreHeaders, body: Self.healthBody))
        case "/openapi.json":
            return .respond(HTTPServerResponse(status: 200, headerBytes: commonHeaders(requestID) + Self.openAPIHeaders, body: OpenAPIDocument.json))
        case "/metrics":
            let body = Array(metrics.render(nowSeconds: MonotonicClock.now() / 1_000_000_000).utf8)
            return .respond(HTTPServerResponse(status: 200, headerBytes: commonHeaders(requestID) + Self.metricsHeaders, body: body))
        case "/health/dashboard":
            return .async { [self] complete in
                health.check { status, body in
                    complete(HTTPServerResponse(status: status, headerBytes: self.commonHeaders(requestID) + Self.jsonNoStoreHeaders, body: body))
                }
            }
        default:
            return dashboard(endpoint!, head: head, context: context)
        }
    }

    public func errorResponse(status: Int, reason: String, head: HTTPRequestHead?, requestBytes: ArraySlice<UInt8>) -> HTTPServerResponse {
        // The client's id is echoed when it is readable and valid even in a rejected request.
        let requestID = RequestID.resolve(head?.headers.first("x-request-id") ?? rawHeaderValue("x-request-id", in: requestBytes))
        let response = problem(Problem(status: status, detail: Self.protocolErrorDetail(status)), requestID: requestID)
        // Refused requests are requests too: operators see probing in the log and the counters.
        let endpoint = head.map { RequestContext.routeTemplate($0.path) } ?? "other"
        metrics.observe(endpoint: endpoint, tenantType: nil, tenantKey: nil, status: status, seconds: 0,
                        nowSeconds: MonotonicClock.now() / 1_000_000_000)
        logger.access(requestID: requestID, method: head?.method.name ?? "", path: head?.path ?? "", status: status,
                      tenantType: nil, tenantID: nil, subject: nil, endpoint: endpoint, durationMs: 0, cacheHit: nil,
                      responseSize: response.body.count)
        return response
    }

    // MARK: Dashboard

    private func dashboard(_ endpoint: DashboardEndpoint, head: HTTPRequestHead, context: RequestContext) -> HTTPHandlerResult {
        let requestID = context.requestID
        let tenant: Tenant
        let authStart = MonotonicClock.now()
        // Authorization is a singleton field (RFC 9110 §11.6.2): two of them are refused rather
        // than letting this server and a proxy in front of it pick different ones.
        let outcome = authenticator.authenticate(authorization: head.headers.single("authorization"), now: WallClock.now())
        context.authNs = MonotonicClock.now() - authStart
        switch outcome {
        case .authenticated(let t, let subject):
            tenant = t
            context.tenant = t
            context.subject = subject
        case .unauthorized: return .respond(problem(.unauthorized, requestID: requestID))
        case .forbidden: return .respond(problem(.forbidden, requestID: requestID))
        }
        if let limiter {
            let decision = limiter.take(tenant.key, now: MonotonicClock.now())
            var lines = HTTPServerResponse(status: 0)
            lines.addHeader("X-RateLimit-Limit", String(limiter.burst))
            lines.addHeader("X-RateLimit-Remaining", String(decision.remaining))
            lines.addHeader("X-RateLimit-Reset", String(decision.resetSeconds))
            context.dashboardHeaders += lines.headerBytes
            guard decision.allowed else {
                return .respond(dashboardProblem(.rateLimited(retryAfter: decision.retryAfterSeconds), context))
            }
        }
        let parameters: DashboardParameters
        switch DashboardParameters.parse(rawQuery: head.rawQuery, today: WallClock.today()) {
        case .success(let p): parameters = p
        case .failure(let invalid): return .respond(dashboardProblem(.invalidParameter(invalid), context))
        }
        let ifNoneMatch = head.headers.first("if-none-match")
        let respond: @Sendable (Result<(CachedResponse, hit: Bool), Problem>) -> HTTPServerResponse = { [self] result in
            switch result {
            case .success(let (cached, hit)):
                context.cacheHit = hit
                return success(cached, hit: hit, ifNoneMatch: ifNoneMatch, context: context)
            case .failure(let p):
                return dashboardProblem(p, context)
            }
        }

        // Keys: generation tokens, then the tenant, so no key of one tenant can equal another's
        // (tenant ids cannot contain ':'), and a changed tenant's keys change at once.
        let now = MonotonicClock.now()
        if let prefix = generations.knownPrefix(for: tenant.key, now: now),
           let cached = local.get(endpoint.cacheKey(prefix: prefix, tenant: tenant, parameters: parameters), now: now) {
            metrics.cacheHits.add(1, ordering: .relaxed)
            context.cacheNs = MonotonicClock.now() - now
            return .respond(respond(.success((cached, hit: true))))
        }
        return .async { [self] complete in
            runner {
                let lookup = MonotonicClock.now()
                guard let prefix = self.generations.resolvePrefix(for: tenant.key, now: lookup) else {
                    // Change notifications are down: nothing cached can be trusted.
                    complete(respond(self.computeFresh(endpoint, tenant, parameters, context: context)))
                    return
                }
                let key = endpoint.cacheKey(prefix: prefix, tenant: tenant, parameters: parameters)
                if let cached = self.local.get(key, now: MonotonicClock.now()) {
                    self.metrics.cacheHits.add(1, ordering: .relaxed)
                    context.cacheNs = MonotonicClock.now() - lookup
                    complete(respond(.success((cached, hit: true))))
                    return
                }
                // Concurrent misses for one key wait for the first one's result.
                let text = key.text
                guard self.flights.join(text, { complete(respond($0)) }) else { return }
                self.flights.finish(text, self.fill(key, endpoint, tenant, parameters, context: context, lookupStarted: lookup))
            }
        }
    }

    /// On a worker: the shared cache, else PostgreSQL; stores what it computes.
    private func fill(_ key: ResponseKey, _ endpoint: DashboardEndpoint, _ tenant: Tenant, _ parameters: DashboardParameters,
                      context: RequestContext, lookupStarted: Int64) -> Result<(CachedResponse, hit: Bool), Problem> {
        if let shared, let cached = shared.get(key.text) {
            local.set(key, cached, ttlNanoseconds: ttlNanoseconds, now: MonotonicClock.now())
            metrics.cacheHits.add(1, ordering: .relaxed)
            context.cacheNs = MonotonicClock.now() - lookupStarted
            return .success((cached, hit: true))
        }
        metrics.cacheMisses.add(1, ordering: .relaxed)
        context.cacheNs = MonotonicClock.now() - lookupStarted
        let result = computeFresh(endpoint, tenant, parameters, context: context)
        if case .success(let (cached, _)) = result {
            let store = MonotonicClock.now()
            local.set(key, cached, ttlNanoseconds: ttlNanoseconds, now: store)
            shared?.set(key.text, cached, ttlSeconds: settings.cacheTTLSeconds)
            context.cacheNs += MonotonicClock.now() - store
        }
        return result
    }

    private func computeFresh(_ endpoint: DashboardEndpoint, _ tenant: Tenant, _ parameters: DashboardParameters,
                              context: RequestContext) -> Result<(CachedResponse, hit: Bool), Problem> {
        metrics.databaseComputations.add(1, ordering: .relaxed)
        var timing: (db: Int64, encode: Int64) = (0, 0)
        do {
            let body = try service.compute(endpoint, tenant: tenant, parameters: parameters,
                                           generatedAt: WallClock.rfc3339(epochSeconds: WallClock.now()),
                                           deadline: service.deadline(arrival: context.started), timing: &timing)
            let hashing = MonotonicClock.now()
            let cached = CachedResponse(body: body)
            context.dbNs = timing.db
            context.encodeNs = timing.encode + MonotonicClock.now() - hashing
            return .success((cached, hit: false))
        } catch {
            logger.warning("dashboard computation failed", [("error", error.logDescription), ("endpoint", endpoint.path)])
            return .failure(Self.problem(for: error))
        }
    }

    /// One table from database failures to HTTP (STYLE habit 10).
    static func problem(for error: PQError) -> Problem {
        switch error {
        case .unavailable, .timeout: return .databaseUnavailable
        case .poolTimeout: return .overloaded
        case .queryFailed(let state) where error.isTransient || state == "57014": return .databaseUnavailable
        case .queryFailed: return .internalError
        }
    }

    // MARK: Responses

    private func success(_ cached: CachedResponse, hit: Bool, ifNoneMatch: String?, context: RequestContext) -> HTTPServerResponse {
        var headers = commonHeaders(context.requestID)
        headers += Self.dashboardHeaders
        headers += hit ? Self.hitHeader : Self.missHeader
        headers.append(ascii: "ETag: ")
        headers.append(utf8: cached.etag)
        headers.append(ascii: "\r\nServer-Timing: ")
        context.appendServerTiming(to: &headers)
        headers.append(ascii: "\r\n")
        headers += context.dashboardHeaders
        if let ifNoneMatch, cached.matches(ifNoneMatch: ifNoneMatch) {
            return HTTPServerResponse(status: 304, headerBytes: headers)
        }
        headers += Self.jsonContentType
        return HTTPServerResponse(status: 200, headerBytes: headers, body: cached.body)
    }

    /// A problem answered on a dashboard route after authentication: it carries the same
    /// rate-limit and timing headers as a success.
    private func dashboardProblem(_ p: Problem, _ context: RequestContext) -> HTTPServerResponse {
        var response = problem(p, requestID: context.requestID)
        response.headerBytes += context.dashboardHeaders
        response.headerBytes.append(ascii: "Server-Timing: ")
        context.appendServerTiming(to: &response.headerBytes)
        response.headerBytes.append(ascii: "\r\n")
        return response
    }

    private func problem(_ p: Problem, requestID: String) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: p.status, headerBytes: commonHeaders(requestID), body: p.body)
        response.headerBytes += Self.problemHeaders
        for (name, value) in p.headers { response.addHeader(name, value) }
        return response
    }

    private func commonHeaders(_ requestID: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes += Self.requestIDPrefix
        bytes.append(utf8: requestID)
        bytes += Self.nosniffLine
        return bytes
    }

    private static func protocolErrorDetail(_ status: Int) -> String {
        switch status {
        case 408: "The request was not received in time."
        case 413: "The request body is too large."
        case 414: "The request target is too long."
        case 431: "The request header section is too large."
        case 501: "The request's method or transfer coding is not implemented."
        case 505: "Only HTTP/1.0 and HTTP/1.1 are supported."
        default: "The request is malformed."
        }
    }

    private static let healthBody = Array("{\"status\":\"ok\"}".utf8)
    private static let requestIDPrefix = Array("X-Request-ID: ".utf8)
    private static let nosniffLine = Array("\r\nX-Content-Type-Options: nosniff\r\n".utf8)
    private static let jsonContentType = Array("Content-Type: application/json\r\n".utf8)
    private static let jsonNoStoreHeaders = Array("Content-Type: application/json\r\nCache-Control: no-store\r\n".utf8)
    private static let openAPIHeaders = Array("Content-Type: application/json\r\nCache-Control: public, max-age=300\r\n".utf8)
    private static let metricsHeaders = Array("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\nCache-Control: no-store\r\n".utf8)
    private static let problemHeaders = Array("Content-Type: application/problem+json\r\nCache-Control: no-store\r\n".utf8)
    private static let dashboardHeaders = Array("Cache-Control: private, no-cache\r\nVary: Authorization\r\n".utf8)
    private static let hitHeader = Array("X-Cache: HIT\r\n".utf8)
    private static let missHeader = Array("X-Cache: MISS\r\n".utf8)
}
