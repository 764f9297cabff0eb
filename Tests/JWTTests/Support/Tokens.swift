import COpenSSL
import JWT

/// Builds compact tokens from header and payload JSON text, with any signer, so tests can
/// forge exactly the token they need.
enum Tokens {
    static let secret = Array("a-32-byte-test-secret-0123456789".utf8)
    /// A fixed clock reading for claim tests.
    static let now: Int64 = 1_700_000_000

    static func make(header: String, payload: String, sign: ([UInt8]) -> [UInt8]) -> String {
        let signingInput = encode(header) + "." + encode(payload)
        return signingInput + "." + Base64URL.encode(sign(Array(signingInput.utf8)))
    }

    static func encode(_ text: String) -> String {
        Base64URL.encode(Array(text.utf8))
    }

    /// HMAC-SHA256 through OpenSSL's one-shot `HMAC()`, not the module's code path.
    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        _ = key.withUnsafeBufferPointer { k in
            HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), message, message.count, &digest, &length)
        }
        return digest
    }

    static func hs256(_ payload: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#, secret: [UInt8] = secret) -> String {
        make(header: header, payload: payload) { hmacSHA256(key: secret, $0) }
    }

    static func rs256(_ payload: String, header: String = #"{"alg":"RS256"}"#, key: TestKeyPair = TestKeys.rsa) -> String {
        make(header: header, payload: payload) { key.signSHA256($0) }
    }

    static func es256(_ payload: String, header: String = #"{"alg":"ES256"}"#, key: TestKeyPair = TestKeys.ec) -> String {
        make(header: header, payload: payload) { key.signES256($0) }
    }

    /// A payload valid at `now` for an hour.
    static let validPayload = #"{"sub":"user-1","exp":1700003600,"iat":1700000000}"#

    static func hs256Verifier(_ options: JWTVerifierOptions = JWTVerifierOptions()) -> JWTVerifier {
        JWTVerifier(key: .hmac(secret: secret), options: options)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
