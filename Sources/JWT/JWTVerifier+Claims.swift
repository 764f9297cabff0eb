/// The registered-claim checks of RFC 7519 §4.1, applied after the signature verified.
extension JWTVerifier {
    func checkClaims(_ members: [JSONMember], now: Int64) -> Result<JWTClaims, JWTError> {
        var exp: JSONValue?, nbf: JSONValue?, iat: JSONValue?, iss: JSONValue?, aud: JSONValue?
        // Every registered name we read has three ASCII letters; the O(1) length test skips
        // the string comparisons for all other members (a measurable share of HS256 cost).
        for member in members where member.name.utf8.count == 3 {
            switch member.name {
            case "exp": exp = member.value
            case "nbf": nbf = member.value
            case "iat": iat = member.value
            case "iss": iss = member.value
            case "aud": aud = member.value
            default: continue
            }
        }
        // Saturating, so extreme clocks or leeways cannot overflow.
        let leeway = max(options.leewaySeconds, 0)
        let (sum, overflow) = now.addingReportingOverflow(leeway)
        let latestAcceptable = overflow ? Int64.max : sum

        // exp is required and gets no leeway: CONTRACT §3 grants leeway only to nbf/iat, and
        // RFC 7519 §4.1.4 requires the current time to be *before* exp.
        guard let exp else { return .failure(.missingClaim("exp")) }
        guard let expiry = exp.integral else { return .failure(.invalidClaim("exp")) }
        guard now < expiry else { return .failure(.expired) }

        if let nbf {
            guard let notBefore = nbf.integral else { return .failure(.invalidClaim("nbf")) }
            guard notBefore <= latestAcceptable else { return .failure(.notYetValid) }
        }
        if let iat {
            guard let issuedAt = iat.integral else { return .failure(.invalidClaim("iat")) }
            guard issuedAt <= latestAcceptable else { return .failure(.issuedInFuture) }
        }

        if let expectedIssuer = options.issuer {
            guard let iss else { return .failure(.missingClaim("iss")) }
            guard let issuer = iss.string else { return .failure(.invalidClaim("iss")) }
            // Exact comparison of the scalars (StringOrURI is compared as-is, RFC 7519 §2).
            guard issuer.unicodeScalars.elementsEqual(expectedIssuer.unicodeScalars) else { return .failure(.wrongIssuer) }
        }

        let claims = JWTClaims(members: members, exp: expiry)
        if let expectedAudience = options.audience {
            guard aud != nil else { return .failure(.missingClaim("aud")) }
            guard let audiences = claims.stringList("aud") else { return .failure(.invalidClaim("aud")) }
            guard audiences.contains(where: { $0.unicodeScalars.elementsEqual(expectedAudience.unicodeScalars) }) else {
                return .failure(.wrongAudience)
            }
        }
        return .success(claims)
    }
}
