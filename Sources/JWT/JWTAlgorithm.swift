/// The JWS algorithms findash verifies (RFC 7518 §3.1). Every other `alg`, `none` included,
/// is rejected; a key accepts exactly one of these (RFC 8725 §3.1).
public enum JWTAlgorithm: String, Sendable {
    /// HMAC with SHA-256 over a shared secret (RFC 7518 §3.2).
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// ECDSA over P-256 with SHA-256, signature as raw `r||s` (RFC 7518 §3.4).
    case es256 = "ES256"
}
