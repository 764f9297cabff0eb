import Basics
import HTTP1
import Telemetry

/// The application on `METRICS_PORT`: `/metrics` for whoever can reach that port (network
/// policy decides), `404` for everything else.
public final class MetricsApp: HTTPApplication {
    private let metrics: Metrics

    public init(metrics: Metrics) { self.metrics = metrics }

    public func handle(_ head: HTTPRequestHead, connection: HTTPConnectionInfo) -> HTTPHandlerResult {
        var headers = Array("X-Request-ID: ".utf8)
        headers.append(utf8: RequestID.resolve(head.headers.first("x-request-id")))
        headers.append(ascii: "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n")
        guard head.path == "/metrics" else {
            headers.append(ascii: "Content-Type: application/problem+json\r\n")
            return .respond(HTTPServerResponse(status: 404, headerBytes: headers, body: Problem.notFound.body))
        }
        guard head.method == .get || head.method == .head else {
            headers.append(ascii: "Content-Type: application/problem+json\r\nAllow: GET, HEAD\r\n")
            return .respond(HTTPServerResponse(status: 405, headerBytes: headers, body: Problem.methodNotAllowed(allow: "GET, HEAD").body))
        }
        headers.append(ascii: "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n")
        let body = Array(metrics.render(nowSeconds: MonotonicClock.now() / 1_000_000_000).utf8)
        return .respond(HTTPServerResponse(status: 200, headerBytes: headers, body: body))
    }

    public func errorResponse(status: Int, reason: String, head: HTTPRequestHead?, requestBytes: ArraySlice<UInt8>) -> HTTPServerResponse {
        var headers = Array("X-Request-ID: ".utf8)
        headers.append(utf8: RequestID.resolve(head?.headers.first("x-request-id") ?? rawHeaderValue("x-request-id", in: requestBytes)))
        headers.append(ascii: "\r\nX-Content-Type-Options: nosniff\r\nContent-Type: application/problem+json\r\n")
        return HTTPServerResponse(status: status, headerBytes: headers, body: Problem(status: status, detail: "The request is malformed.").body)
    }
}
