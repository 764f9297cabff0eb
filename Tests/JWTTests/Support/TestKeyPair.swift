import COpenSSL
import JWT

/// A private key generated at test time with OpenSSL, so no key material is checked in.
/// Owns its `EVP_PKEY`. Signs independently of the production code, so a test that a
/// token verifies does not just check the module against itself.
final class TestKeyPair: @unchecked Sendable {
    let pkey: OpaquePointer

    private init(_ pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    static func rsa(bits: UInt32 = 2048) -> TestKeyPair {
        generate("RSA") { EVP_PKEY_CTX_set_rsa_keygen_bits($0, Int32(bits)) }
    }

    /// `curve` is an OpenSSL group name: "P-256", "P-384", "secp256k1", …
    static func ec(curve: String = "P-256") -> TestKeyPair {
        generate("EC") { EVP_PKEY_CTX_set_group_name($0, curve) }
    }

    static func ed25519() -> TestKeyPair {
        generate("ED25519") { _ in 1 }
    }

    private static func generate(_ type: String, configure: (OpaquePointer) -> Int32) -> TestKeyPair {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { fatalError("no \(type) keygen") }
        defer { EVP_PKEY_CTX_free(context) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, configure(context) == 1,
              EVP_PKEY_generate(context, &pkey) == 1, let pkey
        else { fatalError("\(type) keygen failed") }
        return TestKeyPair(pkey)
    }

    /// The SubjectPublicKeyInfo PEM, as an operator would put in `JWT_PUBLIC_KEY_FILE`.
    var publicPEM: [UInt8] { pem { PEM_write_bio_PUBKEY($0, pkey) } }

    /// The PKCS#8 private key PEM (to check that it is refused as a public key).
    var privatePEM: [UInt8] { pem { PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) } }

    private func pem(_ write: (OpaquePointer) -> Int32) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { fatalError("PEM write failed") }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = BIO_read(bio, &chunk, Int32(chunk.count))
            if n <= 0 { break }
            out += chunk[0..<Int(n)]
        }
        return out
    }

    var jwtKey: JWTKey {
        get throws { try JWTKey.publicKey(pem: publicPEM) }
    }

    /// EVP_DigestSign with SHA-256: PKCS#1 v1.5 for RSA, DER `ECDSA-Sig-Value` for EC.
    func signSHA256(_ message: [UInt8]) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { fatalError("sign init") }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { fatalError("sign size") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else { fatalError("sign") }
        return Array(signature[0..<length])
    }

    /// An ES256 JWS signature: the DER signature converted to 32-byte big-endian `r||s`.
    /// With `negateS`, s is replaced by n − s: the other, equally valid, signature.
    func signES256(_ message: [UInt8], negateS: Bool = false) -> [UInt8] {
        let der = signSHA256(message)
        return der.withUnsafeBufferPointer { buffer -> [UInt8] in
            var cursor = buffer.baseAddress
            guard let sig = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else { fatalError("d2i_ECDSA_SIG") }
            defer { ECDSA_SIG_free(sig) }
            var r: OpaquePointer?, s: OpaquePointer?
            ECDSA_SIG_get0(sig, &r, &s)
            var raw = [UInt8](repeating: 0, count: 64)
            raw.withUnsafeMutableBufferPointer { out in
                _ = BN_bn2binpad(r, out.baseAddress, 32)
                if negateS {
                    var order: OpaquePointer?
                    _ = BN_hex2bn(&order, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
                    let flipped = BN_new()
                    _ = BN_sub(flipped, order, s)
                    _ = BN_bn2binpad(flipped, out.baseAddress! + 32, 32)
                    BN_free(flipped)
                    BN_free(order)
                } else {
                    _ = BN_bn2binpad(s, out.baseAddress! + 32, 32)
                }
            }
            return raw
        }
    }
}

/// Keys shared by all tests; generated once (RSA keygen is the slow part of the suite).
enum TestKeys {
    static let rsa = TestKeyPair.rsa()
    static let otherRSA = TestKeyPair.rsa()
    static let ec = TestKeyPair.ec()
    static let otherEC = TestKeyPair.ec()
}
