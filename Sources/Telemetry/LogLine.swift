import Basics
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

    func sinkWrite(_ line: [UInt8]) { sink.write(bytes: line) }

    /// Waits until queued lines are written (before the process exits).
    public func flush() { sink.flush() }

    public func log(_ level: LogLevel, _ message: String, _ fields: [(String, String)] = []) {
        guard level >= minimum else { return }
        var line = [UInt8]()
        line.append(ascii: "{\"timestamp\":\"")
        line.append(utf8: Self.timestamp())
        line.append(ascii: "\",\"level\":\"")
        line.append(utf8: level.name)
        line.append(ascii: "\",\"service\":")
        line.append(jsonString: service)
        line.append(ascii: ",\"message\":")
        line.append(jsonString: message)
        for (name, value) in fields {
            line.append(UInt8(ascii: ","))
            line.append(jsonString: name)
            line.append(UInt8(ascii: ":"))
            line.append(jsonString: value)
        }
        line.append(ascii: "}\n")
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

}

extension Logger {
    /// One access-log line per request (issue 5's fields); numbers stay JSON numbers. Encoded
    /// straight into bytes: this runs for every request on an event loop.
    public func access(requestID: String, method: String, path: String, status: Int, tenantType: String?, tenantID: String?,
                       subject: String?, endpoint: String, durationMs: Double, cacheHit: Bool?, responseSize: Int) {
        guard isEnabled(.info) else { return }
        var line: [UInt8] = []
        line.reserveCapacity(384)
        line.append(ascii: "{\"timestamp\":\"")
        Self.appendTimestamp(to: &line)
        line.append(ascii: "\",\"level\":\"info\",\"service\":")
        line.append(jsonString: service)
        line.append(ascii: ",\"message\":\"request\",\"request_id\":")
        line.append(jsonString: requestID)
        line.append(ascii: ",\"method\":")
        line.append(jsonString: method)
        line.append(ascii: ",\"path\":")
        line.append(jsonString: path)
        line.append(ascii: ",\"status\":")
        line.append(decimal: status)
        line.append(ascii: ",\"tenant_type\":")
        if let tenantType { line.append(jsonString: tenantType) } else { line.append(ascii: "null") }
        line.append(ascii: ",\"tenant_id\":")
        if let tenantID { line.append(jsonString: tenantID) } else { line.append(ascii: "null") }
        line.append(ascii: ",\"subject\":")
        if let subject { line.append(jsonString: subject) } else { line.append(ascii: "null") }
        line.append(ascii: ",\"endpoint\":")
        line.append(jsonString: endpoint)
        line.append(ascii: ",\"duration_ms\":")
        line.append(millisecondsFromNanoseconds: Int64(durationMs * 1_000_000))
        line.append(ascii: ",\"cache_hit\":")
        switch cacheHit {
        case .some(true): line.append(ascii: "true")
        case .some(false): line.append(ascii: "false")
        case .none: line.append(ascii: "null")
        }
        line.append(ascii: ",\"response_size\":")
        line.append(decimal: responseSize)
        line.append(ascii: "}\n")
        sinkWrite(line)
    }

    /// `2026-11-21T10:00:00.123Z` (UTC, milliseconds).
    static func appendTimestamp(to line: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var tm = tm()
        var seconds = ts.tv_sec
        gmtime_r(&seconds, &tm)
        func two(_ v: Int32) {
            line.append(UInt8(truncatingIfNeeded: v / 10) &+ 48)
            line.append(UInt8(truncatingIfNeeded: v % 10) &+ 48)
        }
        line.append(decimal: Int(tm.tm_year) + 1900)
        line.append(UInt8(ascii: "-")); two(tm.tm_mon + 1)
        line.append(UInt8(ascii: "-")); two(tm.tm_mday)
        line.append(UInt8(ascii: "T")); two(tm.tm_hour)
        line.append(UInt8(ascii: ":")); two(tm.tm_min)
        line.append(UInt8(ascii: ":")); two(tm.tm_sec)
        let millis = Int32(ts.tv_nsec / 1_000_000)
        line.append(UInt8(ascii: ".")); line.append(UInt8(truncatingIfNeeded: millis / 100) &+ 48); two(millis % 100)
        line.append(UInt8(ascii: "Z"))
    }
}
