import JWT

/// The owner of the data a request may read. It only ever comes from a verified token.
public struct Tenant: Sendable, Hashable {
    /// `user` or `organization`.
    public let type: String
    /// 1–64 characters of `[A-Za-z0-9_.-]`.
    public let id: String
    /// `type:id`: unambiguous, since neither part may contain ':'.
    public let key: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
        self.key = type + ":" + id
    }

    public static func isValidType(_ type: String) -> Bool { type == "user" || type == "organization" }

    public static func isValidID(_ id: String) -> Bool {
        let u = id.utf8
        guard (1...64).contains(u.count) else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
        }
    }
}

/// Outcome of checking a request's credentials (CONTRACT §3).
public enum AuthOutcome: Sendable, Equatable {
    case authenticated(Tenant, subject: String?)
    /// Missing, malformed, badly signed or expired: every case looks the same to the client.
    case unauthorized
    /// A valid token without the `dashboard:read` scope.
    case forbidden
}

/// Turns an `Authorization` header into a tenant: signature and time checks by the JWT module,
/// then the dashboard's own claim rules.
public struct TenantAuthenticator: Sendable {
    public static let requiredScope = "dashboard:read"
    private let verifier: JWTVerifier
    private let verified = VerifiedTokenCache()

    public init(verifier: JWTVerifier) { self.verifier = verifier }

    public func authenticate(authorization: String?, now: Int64) -> AuthOutcome {
        guard let token = Self.bearerToken(authorization) else { return .unauthorized }
        let text = String(token)
        if let known = verified.outcome(for: text, now: now) { return known }
        guard case .success(let claims) = verifier.verify(token, now: now) else { return .unauthorized }
        guard let type = claims[string: "tenant_type"], Tenant.isValidType(type),
              let id = claims[string: "tenant_id"], Tenant.isValidID(id),
              let scope = claims[string: "scope"]
        else { return .unauthorized }
        let outcome: AuthOutcome = scope.split(separator: " ").contains(Substring(Self.requiredScope))
            ? .authenticated(Tenant(type: type, id: id), subject: claims.subject) : .forbidden
        verified.remember(text, outcome: outcome, expires: claims.exp)
        return outcome
    }

    /// `Bearer <token>` with the scheme matched case-insensitively (RFC 9110 §11.1).
    static func bearerToken(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let text = Substring(header)
        guard text.utf8.count > 7 else { return nil }
        let scheme = text.prefix(7)
        guard scheme.lowercased() == "bearer " else { return nil }
        let token = text.dropFirst(7).drop { $0 == " " }
        // A JWT is base64url segments and dots. Anything else is refused here, before the cache
        // of verified tokens: Swift compares strings by canonical equivalence, so a token with a
        // `K` turned into U+212A KELVIN SIGN would otherwise equal the cached original.
        guard !token.isEmpty, token.utf8.allSatisfy(Self.isTokenByte) else { return nil }
        return token
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}
