import CLibPQ

/// Turns a user's libpq connection string into the keyword/value arrays findash connects with.
///
/// The string itself is passed through untouched as an expanded `dbname` (libpq's
/// `expand_dbname = 1`), so every form libpq understands works, multi-host lists
/// (`host=a,b port=1,2`, `postgresql://a:1,b:2/db`) and `target_session_attrs` included.
/// libpq processes the arrays front to back and the last non-empty value of a keyword
/// wins, which gives two groups:
/// - defaults *before* the string (keepalives, `application_name`): the user may override;
/// - settings *after* it (`client_encoding`, `options`, `connect_timeout`): findash
///   depends on them (dates parsed as ISO in UTC), so they win. A user's `options` is kept
///   and ours appended to it rather than replacing it.
struct PQConnInfo {
    var keywords: [String?] = []
    var values: [String?] = []
    /// More than one host listed: libpq must be allowed to fail over by itself.
    var hostCount = 1

    /// Composes the parameters. Throws `.unavailable` for a string libpq cannot parse;
    /// libpq's parse message is dropped because it may quote the string (and a password).
    init(conninfo: String, connectTimeoutSeconds: Double, statementTimeoutSeconds: Double?,
         settings: [(String, String)] = []) throws(PQError) {
        let parsed = try PQConnInfo.parse(conninfo)
        hostCount = max(PQConnInfo.count(parsed["host"]), PQConnInfo.count(parsed["hostaddr"]), 1)

        // Overridable defaults. Keepalives: idle 5 s, probe every 2 s, give up after 3, so a
        // peer that vanished (host down, cable cut) is noticed in ~11 s even when idle.
        add("application_name", "findash")
        add("keepalives", "1")
        add("keepalives_idle", "5")
        add("keepalives_interval", "2")
        add("keepalives_count", "3")

        add("dbname", conninfo)

        // Required settings, after the user's string so they take precedence.
        add("client_encoding", "UTF8")
        var options = parsed["options"] ?? ""
        options += options.isEmpty ? "" : " "
        options += "-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=postgres"
        if let statementTimeoutSeconds, statementTimeoutSeconds > 0 {
            // Server-side backstop for the client-side deadline: a query whose client gave up
            // must not go on burning a backend.
            options += " -c statement_timeout=\(Int((statementTimeoutSeconds * 1000).rounded(.up)))"
        }
        // Caller's session settings (e.g. work_mem); names and values are plain tokens.
        for (name, value) in settings where PQConnInfo.isToken(name) && PQConnInfo.isToken(value) {
            options += " -c \(name)=\(value)"
        }
        add("options", options)
        // libpq applies connect_timeout per host (minimum 2 s), which is what lets it move
        // on from a host that accepts TCP but never answers.
        let perHost = connectTimeoutSeconds / Double(hostCount)
        add("connect_timeout", String(max(2, Int(perHost.rounded(.up)))))
    }

    /// Letters, digits, `_` and `.`: safe inside libpq's `options` without quoting.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E
        }
    }

    private mutating func add(_ keyword: String, _ value: String) {
        keywords.append(keyword)
        values.append(value)
    }

    /// Number of comma-separated entries in a host list (0 when absent).
    private static func count(_ list: String?) -> Int {
        guard let list, !list.isEmpty else { return 0 }
        return list.split(separator: ",", omittingEmptySubsequences: false).count
    }

    /// Parses with `PQconninfoParse` (both key=value and URI forms) into keyword → value.
    private static func parse(_ conninfo: String) throws(PQError) -> [String: String] {
        // A bare database name ("findash") is valid for expand_dbname but not for the parser.
        let isURI = conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://")
        guard isURI || conninfo.contains("=") else { return [:] }
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            throw .unavailable
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val {
                result[String(cString: keyword)] = String(cString: value)
            }
            cursor += 1
        }
        return result
    }
}
