/// Why a public key could not be turned into a `JWTKey`.
public enum JWTKeyError: Error, Sendable, Equatable {
    /// The bytes hold no PEM `PUBLIC KEY` (SubjectPublicKeyInfo) block OpenSSL can read.
    case invalidPEM
    /// A key type other than RSA or EC (e.g. Ed25519, RSA-PSS, DSA).
    case unsupportedKeyType
    /// An EC key on a curve other than P-256 (ES256 is defined on P-256 only, RFC 7518 §3.4).
    case unsupportedCurve
    /// An RSA modulus under 2048 bits (RFC 7518 §3.3 requires at least 2048).
    case keyTooSmall
}
