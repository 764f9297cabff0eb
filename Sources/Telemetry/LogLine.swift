import Glibc

/// Severity, ordered; `LOG_LEVEL` sets the lowest one written.
public enum LogLevel: Int, Sendable, Comparable {
    case debug, info, warning, error

    public init?(name: String) {
        switch name {
        case "debug": self = .debug
        case "info": self = .info
        case "warning": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Writes one JSON object per line to stdout: a fixed message plus structured fields.
/// Callers never put secrets, tokens or connection strings in fields.
public struct Logger: Sendable {
    public let minimum: LogLevel
    public let service: String
    private let sink: LogSink

    public init(minimum: LogLevel, service: String = "findash", sink: LogSink = .standardOutput) {
        self.minimum = minimum
        self.service = service
        self.sink = sink
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= minimum }

    func sinkWrite(_ line: String) { sink.write(line) }

    /// Waits until queued lines are written (before the process exits).
    public func flush() { sink.flush() }

    public func log(_ level: LogLevel, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        var line = "{\"timestamp\":\"\(Self.timestamp())\",\"level\":\"\(level.name)\",\"service\":\"\(service)\",\"message\":"
        line += Self.quoted(message)
        for (name, value) in fields {
            line += ",\(Self.quoted(name)):\(Self.quoted(value))"
        }
        line += "}\n"
        sinkWrite(line)
    }

    public func info(_ message: String, _ fields: [(String, String)] = []) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [(String, String)] = []) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [(String, String)] = []) { log(.error, message, fields) }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var tm = tm()
        var seconds = ts.tv_sec
        gmtime_r(&seconds, &tm)
        func pad(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let millis = Int32(ts.tv_nsec / 1_000_000)
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2)).\(pad(millis, 3))Z"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Logger {
    /// One access-log line per request (issue 5's fields); numbers stay JSON numbers.
    public func access(requestID: String, method: String, path: String, status: Int, tenantType: String?, tenantID: String?,
                       subject: String?, endpoint: String, durationMs: Double, cacheHit: Bool?, responseSize: Int) {
        guard isEnabled(.info) else { return }
        func optional(_ s: String?) -> String { s.map(Self.quoted) ?? "null" }
        let duration = (durationMs * 1000).rounded() / 1000
        var line = "{\"timestamp\":\"\(Self.timestamp())\",\"level\":\"info\",\"service\":\"\(service)\",\"message\":\"request\""
        line += ",\"request_id\":\(Self.quoted(requestID)),\"method\":\(Self.quoted(method)),\"path\":\(Self.quoted(path))"
        line += ",\"status\":\(status),\"tenant_type\":\(optional(tenantType)),\"tenant_id\":\(optional(tenantID))"
        line += ",\"subject\":\(optional(subject)),\"endpoint\":\(Self.quoted(endpoint)),\"duration_ms\":\(duration)"
        line += ",\"cache_hit\":\(cacheHit.map { $0 ? "true" : "false" } ?? "null"),\"response_size\":\(responseSize)}\n"
        sinkWrite(line)
    }
}
