// libFuzzer target: the JWT verifier and its parsers (Sources/JWT).
//
// Compiled into the JWT module itself (scripts/fuzz.sh lists Sources/JWT/*.swift with this file
// and `-I Sources/COpenSSL`), so it can see internals. The input is used four ways at once, so a
// seed may be a token or a JSON text:
//   1. as a compact token for `JWTVerifier.verify` under a pinned HS256 key: never traps; a
//      success must carry a signature that really is the key's HMAC of `header.payload`, an
//      `alg` of exactly HS256, and an `exp` after `now` (the fuzzer can only reach success by
//      keeping a seed's valid signature, so any other success is a forgery);
//   2. as base64url text: a successful decode must re-encode to the same text (one spelling
//      per byte string), and encoding the input must decode back to it;
//   3. as a JSON text for `JSONValue.parse`: never traps; a result nests at most `maxDepth`
//      and has no duplicate member names;
//   4. as the payload of a token that the fuzz key signs: verification must then fail as
//      `.malformed` whenever the payload is not a JSON object, and succeed only with an `exp`
//      after `now`.

/// The HS256 secret of the seed tokens (Fuzz/seeds.py signs them with it).
let fuzzSecret = Array("findash-fuzz-secret-0123456789abcdef".utf8)
let fuzzKey = JWTKey.hmac(secret: fuzzSecret)
/// The clock reading of every verification: 2023-11-14T22:13:20Z.
let fuzzNow: Int64 = 1_700_000_000
let fuzzVerifiers = [
    JWTVerifier(key: fuzzKey, options: JWTVerifierOptions()),
    JWTVerifier(key: fuzzKey, options: JWTVerifierOptions(issuer: "findash-tests", audience: "findash", leewaySeconds: 30, maxTokenBytes: 4096)),
]

@inline(never)
func fuzzFailure(_ message: String, _ input: UnsafeBufferPointer<UInt8>) -> Never {
    let hex = Array("0123456789abcdef".unicodeScalars)
    var shown = ""
    for byte in input.prefix(400) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
            shown.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            shown += "\\x"
            shown.unicodeScalars.append(hex[Int(byte >> 4)])
            shown.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    fatalError("JWT property violated: \(message)\ninput (\(input.count) bytes): \(shown)")
}

func fuzzCheckJSON(_ value: JSONValue, depth: Int, _ input: UnsafeBufferPointer<UInt8>) {
    switch value {
    case .array(let elements):
        if depth + 1 > JSONValue.maxDepth { fuzzFailure("JSON nested deeper than maxDepth", input) }
        for element in elements { fuzzCheckJSON(element, depth: depth + 1, input) }
    case .object(let members):
        if depth + 1 > JSONValue.maxDepth { fuzzFailure("JSON nested deeper than maxDepth", input) }
        var names = Set<String>()
        for member in members {
            // Swift's String equality is canonical equivalence; the parser compares what it
            // was given. Either way, no two members may be equal as Strings here.
            if !names.insert(member.name).inserted { fuzzFailure("duplicate JSON member \(member.name)", input) }
            fuzzCheckJSON(member.value, depth: depth + 1, input)
        }
    default:
        break
    }
}

func fuzzHeaderAlgorithm(_ segment: UnsafeBufferPointer<UInt8>) -> String? {
    guard let bytes = Base64URL.decode(buffer: segment),
          case .success(let header) = bytes.withUnsafeBufferPointer({ JSONValue.parse(buffer: $0) })
    else { return nil }
    return header[member: "alg"]?.string
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let verifier = fuzzVerifiers[size & 1]

    // 1. The input as a token.
    if case .success(let claims) = verifier.verify(input, now: fuzzNow) {
        guard let dots = Optional(input.indices.filter { input[$0] == UInt8(ascii: ".") }), dots.count == 2 else {
            fuzzFailure("a token without exactly two dots verified", input)
        }
        let signingInput = UnsafeBufferPointer(rebasing: input[0..<dots[1]])
        guard let signature = Base64URL.decode(buffer: UnsafeBufferPointer(rebasing: input[(dots[1] + 1)...])),
              let expected = fuzzKey.hmacSHA256(signingInput), signature == expected
        else { fuzzFailure("a token verified whose signature is not the key's HMAC", input) }
        guard fuzzHeaderAlgorithm(UnsafeBufferPointer(rebasing: input[0..<dots[0]])) == "HS256" else {
            fuzzFailure("a token verified whose alg is not HS256", input)
        }
        if claims.exp <= fuzzNow { fuzzFailure("an expired token verified", input) }
    }

    // 2. The input as base64url.
    if let decoded = Base64URL.decode(buffer: input) {
        let again = Base64URL.encode(decoded)
        if !again.utf8.elementsEqual(input) { fuzzFailure("base64url decode/encode is not the identity", input) }
    }
    let encoded = Base64URL.encode(buffer: input)
    guard let back = Base64URL.decode(encoded), back.elementsEqual(input) else {
        fuzzFailure("base64url encode/decode is not the identity", input)
    }

    // 3. The input as JSON.
    let parsed = JSONValue.parse(buffer: input)
    if case .success(let value) = parsed { fuzzCheckJSON(value, depth: 0, input) }

    // 4. The input as the payload of a token signed with the key. JWTSigner takes a String,
    // so only valid UTF-8 input is used as it is.
    if let text = String(validating: input, as: UTF8.self) {
        let token = JWTSigner.hs256(claimsJSON: text, secret: fuzzSecret)
        let result = verifier.verify(token, now: fuzzNow)
        switch (parsed, result) {
        case (.success(.object), _):
            break
        case (_, .failure(.malformed)), (_, .failure(.tooLarge)):
            break
        default:
            fuzzFailure("a signed payload that is not a JSON object gave \(result)", input)
        }
        if case .success(let claims) = result, claims.exp <= fuzzNow { fuzzFailure("an expired payload verified", input) }
    }
    return 0
}
