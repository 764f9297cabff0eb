/// Verifies compact JWS tokens (RFC 7515 §7.1) carrying JWT claims (RFC 7519) under one
/// pinned key, following RFC 8725's advice. Pure and deterministic: the only inputs are the
/// token bytes, the key, the options and the caller's clock reading.
///
/// Order of checks: size; shape (exactly three non-empty segments); header (strict JSON
/// object, `alg` equal to the key's algorithm, no `crit`, `typ` absent, `JWT` or `at+jwt`); signature;
/// and only then the payload and its claims, so an unsigned payload is never parsed.
public struct JWTVerifier: Sendable {
    public let key: JWTKey
    public let options: JWTVerifierOptions

    public init(key: JWTKey, options: JWTVerifierOptions) {
        self.key = key
        self.options = options
    }

    /// Verifies `token` at time `now` (Unix seconds).
    public func verify(_ token: String, now: Int64) -> Result<JWTClaims, JWTError> {
        // Check the size before `withUTF8`, which may copy a bridged string.
        guard token.utf8.count <= options.maxTokenBytes else { return .failure(.tooLarge) }
        var token = token
        return token.withUTF8 { verify(bytes: $0, now: now) }
    }

    /// Verifies `token` at time `now` (Unix seconds).
    public func verify(_ token: Substring, now: Int64) -> Result<JWTClaims, JWTError> {
        guard token.utf8.count <= options.maxTokenBytes else { return .failure(.tooLarge) }
        var token = token
        return token.withUTF8 { verify(bytes: $0, now: now) }
    }

    /// Verifies the token's bytes (e.g. a slice of a request buffer) at time `now` (Unix seconds).
    public func verify(_ token: some Collection<UInt8>, now: Int64) -> Result<JWTClaims, JWTError> {
        guard token.count <= options.maxTokenBytes else { return .failure(.tooLarge) }
        if let result = token.withContiguousStorageIfAvailable({ verify(bytes: $0, now: now) }) { return result }
        return Array(token).withUnsafeBufferPointer { verify(bytes: $0, now: now) }
    }

    func verify(bytes token: UnsafeBufferPointer<UInt8>, now: Int64) -> Result<JWTClaims, JWTError> {
        guard token.count <= options.maxTokenBytes else { return .failure(.tooLarge) }

        // Exactly two dots: JWS compact serialization has three parts (RFC 7515 §7.1); four
        // or five would be JWE, which we don't accept.
        var firstDot = -1, secondDot = -1
        for i in 0..<token.count where token[i] == UInt8(ascii: ".") {
            if firstDot < 0 {
                firstDot = i
            } else if secondDot < 0 {
                secondDot = i
            } else {
                return .failure(.malformed)
            }
        }
        // Every segment non-empty: an empty signature is `alg: none`'s shape (RFC 7518 §3.6).
        guard firstDot > 0, secondDot > firstDot + 1, secondDot < token.count - 1 else { return .failure(.malformed) }
        let headerSegment = UnsafeBufferPointer(rebasing: token[0..<firstDot])
        let payloadSegment = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        let signatureSegment = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])

        if let error = checkHeader(headerSegment) { return .failure(error) }

        guard let signature = Base64URL.decode(buffer: signatureSegment) else { return .failure(.malformed) }
        // The signing input is the encoded `header.payload` exactly as received (RFC 7515 §5.2).
        let signingInput = UnsafeBufferPointer(rebasing: token[0..<secondDot])
        guard key.verifySignature(signature, signingInput: signingInput) else { return .failure(.badSignature) }

        guard let payloadBytes = Base64URL.decode(buffer: payloadSegment),
              case .success(.object(let members)) = payloadBytes.withUnsafeBufferPointer({ JSONValue.parse(buffer: $0) })
        else { return .failure(.malformed) }
        return checkClaims(members, now: now)
    }

    /// The JOSE header rules (RFC 7515 §4.1, RFC 8725 §3.1), or `nil` when they pass.
    private func checkHeader(_ segment: UnsafeBufferPointer<UInt8>) -> JWTError? {
        guard let bytes = Base64URL.decode(buffer: segment),
              case .success(.object(let header)) = bytes.withUnsafeBufferPointer({ JSONValue.parse(buffer: $0) })
        else { return .malformed }
        var algorithm: JSONValue?
        for member in header {
            switch member.name {
            case "alg":
                algorithm = member.value
            case "crit":
                // We implement no JWS extension, so any critical one makes the token
                // unprocessable (RFC 7515 §4.1.11).
                return .malformed
            case "typ":
                guard let typ = member.value.string, Self.isAccessTokenType(typ) else { return .malformed }
            default:
                continue // kid, jku, jwk, x5u, …: ignored; the key is pinned, never taken from a token.
            }
        }
        guard let algorithm, case .string(let name) = algorithm else { return .malformed }
        // Exact, case-sensitive match with the pinned algorithm: "none", "None", "HS256"
        // against an RSA key and every other confusion all end here.
        guard name == key.algorithm.rawValue else { return .unsupportedAlgorithm }
        return nil
    }

    /// `JWT` (RFC 7519 §5.1) or `at+jwt` (RFC 9068 §2.1, OAuth access tokens), with or without
    /// the `application/` prefix (RFC 7515 §4.1.9), compared case-insensitively like media types.
    /// Other types (`JOSE`, `logout+jwt`, …) are tokens made for another purpose.
    private static func isAccessTokenType(_ text: String) -> Bool {
        var lowered = text.utf8.map { (65...90).contains($0) ? $0 | 0x20 : $0 }[...]
        if lowered.starts(with: "application/".utf8) { lowered = lowered.dropFirst(12) }
        return lowered.elementsEqual("jwt".utf8) || lowered.elementsEqual("at+jwt".utf8)
    }
}
