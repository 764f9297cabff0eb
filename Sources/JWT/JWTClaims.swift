/// The verified payload: a flat view of the JWT's top-level JSON object members. Only a
/// `JWTVerifier` creates one, after the signature and the registered time claims passed.
public struct JWTClaims: Sendable {
    /// The payload's members in document order (names are unique).
    public let members: [JSONMember]
    /// Expiration time, Unix seconds (RFC 7519 §4.1.4), rounded down if it had a fraction.
    public let exp: Int64

    init(members: [JSONMember], exp: Int64) {
        self.members = members
        self.exp = exp
    }

    /// The member named `name`, whatever its type.
    public func value(_ name: String) -> JSONValue? {
        for member in members where member.name == name { return member.value }
        return nil
    }

    /// A string member; `nil` if absent or not a string.
    public subscript(string name: String) -> String? {
        value(name)?.string
    }

    /// A numeric member as whole seconds (NumericDate): integers as they are, fractions
    /// rounded down; `nil` if absent, not a number, or outside `Int64`.
    public subscript(number name: String) -> Int64? {
        value(name)?.integral
    }

    /// `sub` (RFC 7519 §4.1.2), if it is a string.
    public var subject: String? {
        self[string: "sub"]
    }

    /// A member that may be one string or an array of strings, as `aud` (RFC 7519 §4.1.3):
    /// a string gives a one-element list; `nil` if absent, or if anything else, including an
    /// array holding a non-string.
    public func stringList(_ name: String) -> [String]? {
        switch value(name) {
        case .string(let single):
            return [single]
        case .array(let elements):
            var strings: [String] = []
            strings.reserveCapacity(elements.count)
            for element in elements {
                guard case .string(let text) = element else { return nil }
                strings.append(text)
            }
            return strings
        default:
            return nil
        }
    }
}
