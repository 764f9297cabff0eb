import Basics

/// Remembers tokens whose signature and claims were already checked, so a client that sends the
/// same token on every request pays for HMAC/RSA/ECDSA once. `exp` is still enforced on every
/// hit (and `nbf`/`iat` only ever become valid with time, so a remembered outcome stays right
/// until `exp`). Bounded: the table is cleared when full.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let outcome: AuthOutcome
        let expires: Int64
    }
    private let entries = Locked<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    func outcome(for token: String, now: Int64) -> AuthOutcome? {
        entries.withLock { table in
            guard let entry = table[token] else { return nil }
            guard now < entry.expires else {
                table[token] = nil
                return nil
            }
            return entry.outcome
        }
    }

    /// Only positive outcomes (and 403s) are remembered: a bad token costs the attacker as much
    /// as us, and caching garbage would let it crowd out good entries.
    func remember(_ token: String, outcome: AuthOutcome, expires: Int64) {
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[token] = Entry(outcome: outcome, expires: expires)
        }
    }
}
