import COpenSSL

/// A verification key pinned to exactly one algorithm (RFC 8725 §3.1): an HMAC secret for
/// HS256, an RSA public key for RS256, or a P-256 public key for ES256. The token's `alg`
/// never chooses how the key is used; it can only agree with the key or be rejected.
///
/// Owns its OpenSSL object and frees it in `deinit` (one owner per C pointer).
///
/// `@unchecked Sendable` because OpenSSL objects are not annotated, but the key is immutable
/// after construction and only ever read: OpenSSL 3 allows concurrent `EVP_DigestVerify*`
/// on one `EVP_PKEY` when each call has its own `EVP_MD_CTX`, and the HMAC template is only
/// duplicated (`EVP_MAC_CTX_dup` reads its source), never updated in place.
public final class JWTKey: @unchecked Sendable {
    /// The one algorithm this key verifies.
    public let algorithm: JWTAlgorithm

    /// `EVP_PKEY *` for RS256/ES256, `EVP_MAC_CTX *` (keyed HMAC-SHA256 template) for HS256.
    /// `nil` for HS256 only if OpenSSL could not build the context; such a key verifies nothing.
    let handle: OpaquePointer?

    private init(algorithm: JWTAlgorithm, handle: OpaquePointer?) {
        self.algorithm = algorithm
        self.handle = handle
    }

    deinit {
        guard let handle else { return }
        switch algorithm {
        case .hs256: EVP_MAC_CTX_free(handle)
        case .rs256, .es256: EVP_PKEY_free(handle)
        }
    }

    /// An HS256 key from the raw shared secret. RFC 7518 §3.2 asks for at least 32 bytes;
    /// enforcing that is the caller's configuration policy. Does not fail: if OpenSSL cannot
    /// set up HMAC, the key fails closed (every signature is `.badSignature`).
    public static func hmac(secret: [UInt8]) -> JWTKey {
        let template = secret.withUnsafeBufferPointer { findash_hmac_sha256_new($0.baseAddress, $0.count) }
        return JWTKey(algorithm: .hs256, handle: template)
    }

    /// An RS256 or ES256 key from a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) block: RSA keys
    /// of at least 2048 bits become RS256, P-256 EC keys become ES256, anything else is refused.
    public static func publicKey(pem: [UInt8]) throws(JWTKeyError) -> JWTKey {
        guard !pem.isEmpty, pem.count <= Int(Int32.max) else { throw .invalidPEM }
        let loaded: OpaquePointer? = pem.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        // OpenSSL's decoders may queue errors even on success (they try several formats);
        // leave the thread's error queue empty for whoever uses OpenSSL next.
        ERR_clear_error()
        guard let pkey = loaded else { throw .invalidPEM }
        // From here `key` owns `pkey`, so every throw below frees it.
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            let key = JWTKey(algorithm: .rs256, handle: pkey)
            guard EVP_PKEY_get_bits(pkey) >= 2048 else { throw .keyTooSmall }
            return key
        }
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            let key = JWTKey(algorithm: .es256, handle: pkey)
            guard groupName(of: pkey) == "prime256v1" else { throw .unsupportedCurve }
            return key
        }
        EVP_PKEY_free(pkey)
        throw .unsupportedKeyType
    }

    /// The curve's OpenSSL short name (P-256 is "prime256v1"), or `nil`.
    private static func groupName(of pkey: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &buffer, buffer.count, &length) == 1, length < buffer.count else {
            ERR_clear_error()
            return nil
        }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
