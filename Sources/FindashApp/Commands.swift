import Dashboard
import Glibc
import JWT

/// The `findash` command line: `serve`, `migrate`, `seed`, `token`, `help`.
public enum Commands {
    static let usage = """
        findash — a multi-tenant financial dashboard API server.

        Usage: findash <command> [options]

        Commands:
          serve     serve the HTTP API (settings from the environment; see `findash serve --help`)
          migrate   create or upgrade the database schema in DATABASE_URL
          seed      load deterministic demo data: [--tenants N] [--transactions N] [--seed N]
          token     mint an HS256 development token with JWT_SECRET:
                    --tenant-type user|organization --tenant-id ID [--ttl SECONDS] [--scope SCOPE] [--subject SUB]
          check-config  validate the environment as `serve` would; print it with secrets masked
          help      show this text

        Run `findash <command> --help` for a command's details.
        """

    /// Runs the command named by `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let env = processEnvironment()
        guard let command = arguments.first else {
            print(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        let wantsHelp = rest.contains("--help") || rest.contains("-h")
        switch command {
        case "serve":
            if wantsHelp { print(ServeCommand.help); return 0 }
            let status = ServeCommand.run(environment: env)
            // Leave without atexit handlers: a helper thread may still be inside libpq/OpenSSL
            // (a LISTEN reconnect), and their cleanup racing it can crash a clean shutdown.
            _exit(status)
        case "migrate":
            if wantsHelp { print("Usage: findash migrate\n\nApplies pending schema migrations to DATABASE_URL; safe to run twice or from two replicas at once."); return 0 }
            return migrate(env)
        case "seed":
            if wantsHelp { print(seedHelp); return 0 }
            return seed(rest, env)
        case "token":
            if wantsHelp { print(tokenHelp); return 0 }
            return token(rest, env)
        case "check-config":
            if wantsHelp { print(CheckConfigCommand.help); return 0 }
            return CheckConfigCommand.run(environment: env)
        case "help", "--help", "-h":
            print(usage)
            return 0
        default:
            printError("findash: unknown command '\(command)'\n\n\(usage)")
            return 2
        }
    }

    static func migrate(_ env: [String: String]) -> Int32 {
        guard let url = env["DATABASE_URL"], !url.isEmpty else { return fail("DATABASE_URL is required") }
        do {
            let applied = try Migrations.migrate(conninfo: url)
            print(applied.isEmpty ? "schema up to date" : "applied migrations: " + applied.map(String.init).joined(separator: ", "))
            return 0
        } catch {
            return fail("migration failed: \(error)")
        }
    }

    static let seedHelp = """
        Usage: findash seed [--tenants N] [--transactions N] [--seed N]

        Loads deterministic demo data into DATABASE_URL (defaults: 50 tenants, 20000 transactions,
        seed 42): several currencies, every account type, two years of history, budgets in every
        status. Re-running replaces the demo tenants' rows.
        """

    static func seed(_ args: [String], _ env: [String: String]) -> Int32 {
        guard let url = env["DATABASE_URL"], !url.isEmpty else { return fail("DATABASE_URL is required") }
        var options = SeedOptions()
        var i = 0
        while i < args.count {
            guard i + 1 < args.count, let n = Int(args[i + 1]), n >= 0 else { return fail("\(args[i]) needs a non-negative integer") }
            switch args[i] {
            case "--tenants": options.tenants = max(1, n)
            case "--transactions": options.transactions = n
            case "--seed": options.seed = UInt64(n)
            default: return fail("unknown option \(args[i])")
            }
            i += 2
        }
        do {
            try Seeder.seed(conninfo: url, options: options) { print($0) }
            return 0
        } catch {
            return fail("seed failed: \(error)")
        }
    }

    static let tokenHelp = """
        Usage: findash token --tenant-type user|organization --tenant-id ID [--ttl SECONDS] [--scope SCOPE] [--subject SUB]

        Prints an HS256 token signed with JWT_SECRET (default scope "dashboard:read", ttl 3600 s).
        For development and testing only: refused when ENVIRONMENT=production.
        """

    static func token(_ args: [String], _ env: [String: String]) -> Int32 {
        if env["ENVIRONMENT"] == "production" { return fail("token minting is disabled when ENVIRONMENT=production") }
        var type: String?, id: String?, ttl = 3600, scope = "dashboard:read", subject: String?
        var i = 0
        while i < args.count {
            guard i + 1 < args.count else { return fail("\(args[i]) needs a value") }
            let value = args[i + 1]
            switch args[i] {
            case "--tenant-type": type = value
            case "--tenant-id": id = value
            case "--scope": scope = value
            case "--subject": subject = value
            case "--ttl":
                guard let n = Int(value), n > 0 else { return fail("--ttl needs a positive number of seconds") }
                ttl = n
            default: return fail("unknown option \(args[i])")
            }
            i += 2
        }
        guard let type, Tenant.isValidType(type) else { return fail("--tenant-type must be user or organization") }
        guard let id, Tenant.isValidID(id) else { return fail("--tenant-id must be 1-64 characters of [A-Za-z0-9_.-]") }
        let secret = env["JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (env["ENVIRONMENT"] ?? "development" == "development" ? Configuration.developmentSecret : nil)
        guard let secret else { return fail("JWT_SECRET is required") }
        let now = Int(time(nil))
        var claims = "{\"sub\":\"\(subject ?? id)\",\"tenant_type\":\"\(type)\",\"tenant_id\":\"\(id)\",\"scope\":\"\(jsonEscaped(scope))\",\"iat\":\(now),\"exp\":\(now + ttl)"
        if let iss = env["JWT_ISSUER"], !iss.isEmpty { claims += ",\"iss\":\"\(jsonEscaped(iss))\"" }
        if let aud = env["JWT_AUDIENCE"], !aud.isEmpty { claims += ",\"aud\":\"\(jsonEscaped(aud))\"" }
        claims += "}"
        print(JWTSigner.hs256(claimsJSON: claims, secret: Array(secret.utf8)))
        return 0
    }

    private static func jsonEscaped(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: if ch.value >= 0x20 { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    private static func fail(_ message: String) -> Int32 {
        printError("findash: \(message)")
        return 1
    }
}
