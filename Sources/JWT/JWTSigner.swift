/// Mints tokens for development and tests. Production findash only verifies.
public enum JWTSigner {
    /// Base64url of `{"alg":"HS256","typ":"JWT"}`.
    private static let hs256Header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

    /// An HS256 compact JWS whose payload is `claimsJSON` byte for byte (it is not checked:
    /// pass a JSON object text). If OpenSSL fails, the signature segment is empty, which no
    /// verifier accepts.
    public static func hs256(claimsJSON: String, secret: [UInt8]) -> String {
        let signingInput = hs256Header + "." + Base64URL.encode(Array(claimsJSON.utf8))
        let key = JWTKey.hmac(secret: secret)
        let mac = Array(signingInput.utf8).withUnsafeBufferPointer { key.hmacSHA256($0) } ?? []
        return signingInput + "." + Base64URL.encode(mac)
    }
}
