import Glibc
import Synchronization

/// `X-Request-ID`: the client's when it is 1–128 characters of `[A-Za-z0-9._:-]`, else a new one.
public enum RequestID {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix: String = {
        let seed = UInt64.random(in: 0...UInt64.max)
        let hex = String(seed, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()

    public static func isAcceptable(_ value: String) -> Bool {
        let u = value.utf8
        guard (1...128).contains(u.count) else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
        }
    }

    /// A process-unique id: a random per-process prefix and a counter.
    public static func make() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return prefix + "-" + String(n, radix: 16)
    }

    public static func resolve(_ supplied: String?) -> String {
        if let supplied, isAcceptable(supplied) { return supplied }
        return make()
    }
}
