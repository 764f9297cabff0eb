import COpenSSL

/// Signature computation and verification, one path per pinned algorithm.
extension JWTKey {
    /// Whether `signature` is valid for `signingInput` (the ASCII `header.payload`) under
    /// this key's algorithm. Never throws: every OpenSSL failure counts as a bad signature.
    func verifySignature(_ signature: [UInt8], signingInput: UnsafeBufferPointer<UInt8>) -> Bool {
        switch algorithm {
        case .hs256:
            return verifyHMAC(signature, signingInput: signingInput)
        case .rs256:
            return signature.withUnsafeBufferPointer { digestVerify(signature: $0, signingInput: signingInput) }
        case .es256:
            // RFC 7518 §3.4: exactly 64 bytes, R then S, each 32 bytes big-endian. A DER
            // signature (70–72 bytes) is a different encoding and is refused, not converted.
            guard signature.count == 64 else { return false }
            guard let der = Self.derECDSASignature(rawRS: signature) else { return false }
            return der.withUnsafeBufferPointer { digestVerify(signature: $0, signingInput: signingInput) }
        }
    }

    /// HMAC-SHA256 of `input`, or `nil` if OpenSSL fails or this is not an HMAC key.
    func hmacSHA256(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = digest.withUnsafeMutableBufferPointer { hmacSHA256(input, into: $0) }
        return ok ? digest : nil
    }

    private func verifyHMAC(_ signature: [UInt8], signingInput: UnsafeBufferPointer<UInt8>) -> Bool {
        guard signature.count == 32 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest in
            guard hmacSHA256(signingInput, into: digest) else { return false }
            // Constant time, so response timing does not reveal how many leading bytes matched.
            return signature.withUnsafeBufferPointer { CRYPTO_memcmp($0.baseAddress, digest.baseAddress, 32) == 0 }
        }
    }

    /// Writes the 32-byte MAC into `digest` (capacity ≥ 32). The keyed template is
    /// duplicated so the key schedule is not redone and the template stays untouched.
    private func hmacSHA256(_ input: UnsafeBufferPointer<UInt8>, into digest: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard algorithm == .hs256, let template = handle, digest.count >= 32 else { return false }
        guard let context = EVP_MAC_CTX_dup(template) else {
            ERR_clear_error()
            return false
        }
        defer { EVP_MAC_CTX_free(context) }
        var length = 0
        // An empty input has a nil base address, which OpenSSL accepts for 0 bytes.
        guard EVP_MAC_update(context, input.baseAddress, input.count) == 1,
              EVP_MAC_final(context, digest.baseAddress, &length, 32) == 1,
              length == 32
        else {
            ERR_clear_error()
            return false
        }
        return true
    }

    /// RS256 / ES256: SHA-256 then the key's public-key verification, via EVP_DigestVerify
    /// with a fresh `EVP_MD_CTX` per call (the shared `EVP_PKEY` is only read).
    private func digestVerify(signature: UnsafeBufferPointer<UInt8>, signingInput: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let pkey = handle, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            ERR_clear_error()
            return false
        }
        let valid = EVP_DigestVerify(context, signature.baseAddress, signature.count,
                                     signingInput.baseAddress, signingInput.count) == 1
        // A failed verification may queue errors; don't leak them into the next OpenSSL user.
        if !valid { ERR_clear_error() }
        return valid
    }

    /// DER `ECDSA-Sig-Value` (SEC 1 / RFC 3279) from the 64-byte JWS `r||s`, as OpenSSL's
    /// ECDSA verifier expects. OpenSSL enforces 1 ≤ r, s < n during verification.
    static func derECDSASignature(rawRS: [UInt8]) -> [UInt8]? {
        guard rawRS.count == 64 else { return nil }
        return rawRS.withUnsafeBufferPointer { raw -> [UInt8]? in
            guard let base = raw.baseAddress, let r = BN_bin2bn(base, 32, nil) else { return nil }
            guard let s = BN_bin2bn(base + 32, 32, nil) else { BN_free(r); return nil }
            guard let sig = ECDSA_SIG_new() else { BN_free(r); BN_free(s); return nil }
            defer { ECDSA_SIG_free(sig) }
            // set0 takes ownership of r and s only when it succeeds.
            guard ECDSA_SIG_set0(sig, r, s) == 1 else { BN_free(r); BN_free(s); return nil }
            // SEQUENCE { INTEGER r, INTEGER s } with 32-byte values is at most 2 + 2 × 35 = 72 bytes.
            var der = [UInt8](repeating: 0, count: 80)
            let length = der.withUnsafeMutableBufferPointer { out -> Int32 in
                var cursor = out.baseAddress
                return i2d_ECDSA_SIG(sig, &cursor)
            }
            guard length > 0, Int(length) <= der.count else { return nil }
            der.removeLast(der.count - Int(length))
            return der
        }
    }
}
