/// The request methods of RFC 9110 §9 and PATCH (RFC 5789). Methods are case-sensitive
/// (RFC 9110 §9.1): `get` is a valid token but an unknown method, answered `501`.
public enum HTTPMethod: Sendable, Equatable, Hashable, CustomStringConvertible {
    case get, head, post, put, delete, patch, options, trace, connect

    /// The method's token as sent on the wire, e.g. `"GET"`.
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        }
    }

    public var description: String { name }

    /// Recognises a method token from its bytes; nil for any other token.
    /// Switches on length and compares bytes, so no String is built per request.
    static func recognise(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod? {
        func matches(_ literal: StaticString) -> Bool {
            guard literal.utf8CodeUnitCount == range.count else { return false }
            let l = literal.utf8Start
            var k = 0
            while k < range.count {
                if p[range.lowerBound + k] != l[k] { return false }
                k += 1
            }
            return true
        }
        switch range.count {
        case 3: return matches("GET") ? .get : matches("PUT") ? .put : nil
        case 4: return matches("POST") ? .post : matches("HEAD") ? .head : nil
        case 5: return matches("PATCH") ? .patch : matches("TRACE") ? .trace : nil
        case 6: return matches("DELETE") ? .delete : nil
        case 7: return matches("OPTIONS") ? .options : matches("CONNECT") ? .connect : nil
        default: return nil
        }
    }
}
