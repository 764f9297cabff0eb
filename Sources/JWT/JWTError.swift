/// Why a token was refused. Callers map every case to the same `401`; the cases exist for
/// tests and for internal counters, never for the response body.
public enum JWTError: Error, Sendable, Equatable {
    /// Not three non-empty base64url segments, bad base64url, a header or payload that is not
    /// a strict JSON object, a missing or non-string `alg`, a `crit` header (we implement no
    /// JWS extension, RFC 7515 §4.1.11), or a `typ` other than `JWT` or `at+jwt`.
    case malformed
    /// `alg` is not exactly the algorithm the key is pinned to (`none` included).
    case unsupportedAlgorithm
    /// The signature does not verify (or has the wrong length) under the key.
    case badSignature
    /// `now >= exp` (RFC 7519 §4.1.4: the current time must be before `exp`; no leeway).
    case expired
    /// `nbf` lies more than the leeway in the future.
    case notYetValid
    /// `iat` lies more than the leeway in the future.
    case issuedInFuture
    /// A required claim is absent (`exp`; `iss`/`aud` when the options ask for them).
    case missingClaim(String)
    /// A claim has the wrong JSON type (e.g. `exp` as a string).
    case invalidClaim(String)
    /// `iss` differs from the configured issuer.
    case wrongIssuer
    /// `aud` neither equals nor contains the configured audience.
    case wrongAudience
    /// The token is longer than `JWTVerifierOptions.maxTokenBytes`.
    case tooLarge
}
