/// The claim policy of a `JWTVerifier`, beyond the checks it always does
/// (`exp` required, `nbf`/`iat` honoured when present).
public struct JWTVerifierOptions: Sendable {
    /// When set, `iss` must be present and equal this exactly. Default `nil` (not checked).
    public var issuer: String?
    /// When set, `aud` must equal this or be an array containing it. Default `nil` (not checked).
    public var audience: String?
    /// Tolerated clock skew, in seconds, for `nbf` and `iat` in the future. Not applied to
    /// `exp`. Negative values count as 0. Default 60.
    public var leewaySeconds: Int64 = 60
    /// Longest accepted compact token, in bytes; longer ones fail with `.tooLarge` before any
    /// decoding. Default 8192.
    public var maxTokenBytes = 8192

    public init(issuer: String? = nil, audience: String? = nil, leewaySeconds: Int64 = 60, maxTokenBytes: Int = 8192) {
        self.issuer = issuer
        self.audience = audience
        self.leewaySeconds = leewaySeconds
        self.maxTokenBytes = maxTokenBytes
    }
}
