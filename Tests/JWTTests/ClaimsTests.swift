import JWT
import Testing

/// RFC 7519 §4.1 claim checks against an injected clock (`Tokens.now`).
struct ClaimsTests {
    private func verify(_ payload: String, _ options: JWTVerifierOptions = .init(), now: Int64 = Tokens.now) -> Result<JWTClaims, JWTError> {
        Tokens.hs256Verifier(options).verify(Tokens.hs256(payload), now: now)
    }

    @Test func exp_inTheFuture_isAccepted() {
        #expect(verify(#"{"exp":1700000001}"#).isSuccess)
    }

    @Test func exp_exactlyNow_isExpired_withoutLeeway() {
        #expect(verify(#"{"exp":1700000000}"#).failure == .expired)
        #expect(verify(#"{"exp":1699999990}"#).failure == .expired)
        #expect(verify(#"{"exp":-1}"#).failure == .expired)
    }

    @Test func exp_withFraction_isRoundedDown() throws {
        #expect(try verify(#"{"exp":1700000001.9}"#).get().exp == 1_700_000_001)
        #expect(verify(#"{"exp":1700000000.9}"#).failure == .expired)
        #expect(try verify(#"{"exp":1.7000001e9}"#).get().exp == 1_700_000_100)
    }

    @Test func exp_missing_isMissingClaim() {
        #expect(verify(#"{"sub":"user-1"}"#).failure == .missingClaim("exp"))
        #expect(verify("{}").failure == .missingClaim("exp"))
        #expect(verify(#"{"EXP":1700003600}"#).failure == .missingClaim("exp"))
    }

    @Test(arguments: [#""1700003600""#, "true", "null", "[1700003600]", #"{"t":1}"#, "1e400", "99999999999999999999"])
    func exp_notAUsableNumber_isInvalidClaim(value: String) {
        #expect(verify(#"{"exp":\#(value)}"#).failure == .invalidClaim("exp"))
    }

    @Test func nbf_inTheFuture_withinLeeway_isAccepted_beyondIsRejected() {
        #expect(verify(#"{"exp":1700003600,"nbf":1700000060}"#).isSuccess)
        #expect(verify(#"{"exp":1700003600,"nbf":1700000061}"#).failure == .notYetValid)
        #expect(verify(#"{"exp":1700003600,"nbf":1600000000}"#).isSuccess)
        #expect(verify(#"{"exp":1700003600,"nbf":"soon"}"#).failure == .invalidClaim("nbf"))
    }

    @Test func iat_inTheFuture_withinLeeway_isAccepted_beyondIsRejected() {
        #expect(verify(#"{"exp":1700003600,"iat":1700000060}"#).isSuccess)
        #expect(verify(#"{"exp":1700003600,"iat":1700000061}"#).failure == .issuedInFuture)
        #expect(verify(#"{"exp":1700003600,"iat":null}"#).failure == .invalidClaim("iat"))
    }

    @Test func leeway_isConfigurable_andNegativeMeansZero() {
        let strict = JWTVerifierOptions(leewaySeconds: 0)
        #expect(verify(#"{"exp":1700003600,"nbf":1700000000}"#, strict).isSuccess)
        #expect(verify(#"{"exp":1700003600,"nbf":1700000001}"#, strict).failure == .notYetValid)
        #expect(verify(#"{"exp":1700003600,"iat":1700000001}"#, JWTVerifierOptions(leewaySeconds: -100)).failure == .issuedInFuture)
    }

    @Test func extremeClockAndLeeway_doNotOverflow() {
        let options = JWTVerifierOptions(leewaySeconds: .max)
        #expect(verify(#"{"exp":9223372036854775807,"nbf":9223372036854775807}"#, options, now: .max - 1).isSuccess)
        #expect(verify(#"{"exp":9223372036854775807}"#, options, now: .max).failure == .expired)
        #expect(verify(#"{"exp":-9223372036854775808}"#, options, now: .min).failure == .expired)
    }

    @Test func issuer_isCheckedOnlyWhenConfigured_exactly() {
        let options = JWTVerifierOptions(issuer: "https://issuer.example")
        #expect(verify(#"{"exp":1700003600,"iss":"https://issuer.example"}"#, options).isSuccess)
        #expect(verify(#"{"exp":1700003600,"iss":"https://ISSUER.example"}"#, options).failure == .wrongIssuer)
        #expect(verify(#"{"exp":1700003600,"iss":"https://issuer.example/"}"#, options).failure == .wrongIssuer)
        #expect(verify(#"{"exp":1700003600}"#, options).failure == .missingClaim("iss"))
        #expect(verify(#"{"exp":1700003600,"iss":["https://issuer.example"]}"#, options).failure == .invalidClaim("iss"))
        #expect(verify(#"{"exp":1700003600,"iss":"anyone"}"#).isSuccess)
    }

    @Test func audience_isCheckedOnlyWhenConfigured_stringOrArray() {
        let options = JWTVerifierOptions(audience: "findash")
        #expect(verify(#"{"exp":1700003600,"aud":"findash"}"#, options).isSuccess)
        #expect(verify(#"{"exp":1700003600,"aud":["other","findash"]}"#, options).isSuccess)
        #expect(verify(#"{"exp":1700003600,"aud":["other"]}"#, options).failure == .wrongAudience)
        #expect(verify(#"{"exp":1700003600,"aud":[]}"#, options).failure == .wrongAudience)
        #expect(verify(#"{"exp":1700003600,"aud":"Findash"}"#, options).failure == .wrongAudience)
        #expect(verify(#"{"exp":1700003600}"#, options).failure == .missingClaim("aud"))
        #expect(verify(#"{"exp":1700003600,"aud":["findash",1]}"#, options).failure == .invalidClaim("aud"))
        #expect(verify(#"{"exp":1700003600,"aud":{"findash":true}}"#, options).failure == .invalidClaim("aud"))
        #expect(verify(#"{"exp":1700003600,"aud":"someone-else"}"#).isSuccess)
    }

    @Test func payloadThatIsNotAStrictJSONObject_isMalformed_evenWhenSigned() {
        for payload in ["[]", #""exp""#, "1700003600", #"{"exp":1700003600,"exp":1800000000}"#,
                        #"{"exp":1700003600}x"#, " ", #"{"exp":1700003600,}"#, "{\u{FEFF}}"] {
            #expect(verify(payload).failure == .malformed, "\(payload)")
        }
    }

    @Test func accessors_exposeTheVerifiedMembers() throws {
        let payload = #"{"sub":"user-1","exp":1700003600,"tenant_type":"organization","tenant_id":"acme","#
            + #""scope":"dashboard:read other","n":42,"f":2.5,"aud":["a","b"],"flag":true}"#
        let claims = try verify(payload).get()
        #expect(claims.subject == "user-1")
        #expect(claims[string: "tenant_type"] == "organization")
        #expect(claims[string: "tenant_id"] == "acme")
        #expect(claims[string: "scope"] == "dashboard:read other")
        #expect(claims[string: "n"] == nil)
        #expect(claims[number: "n"] == 42)
        #expect(claims[number: "f"] == 2)
        #expect(claims[number: "sub"] == nil)
        #expect(claims[number: "missing"] == nil)
        #expect(claims.stringList("aud") == ["a", "b"])
        #expect(claims.stringList("sub") == ["user-1"])
        #expect(claims.stringList("n") == nil)
        #expect(claims.value("flag") == .bool(true))
        #expect(claims.members.count == 9)
    }
}
