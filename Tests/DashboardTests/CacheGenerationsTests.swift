import Basics
import Testing
@testable import Dashboard

/// A generation store in this process whose `write` can run code in the middle of a publish,
/// to look at what a worker would see in that window.
private final class InterleavingStore: GenerationStore {
    let values = LocalGenerationStore()
    let duringWrite = Locked<((String) -> Void)?>(nil)
    let writes = Locked<[String]>([])

    func read(_ key: String) -> String?? { values.read(key) }

    func write(_ key: String, _ value: String) -> Bool {
        writes.withLock { $0.append(key) }
        duringWrite.withLock { $0 }?(key)
        return values.write(key, value)
    }
}

@Suite struct CacheGenerationsTests {
    @Test func bypassedUntilListeningAndKeyedOnceUp() {
        let store = InterleavingStore()
        let generations = CacheGenerations(store: store)
        #expect(generations.resolvePrefix(for: "user:a", now: 0) == nil)
        generations.listening(true)
        let first = generations.resolvePrefix(for: "user:a", now: 1)
        #expect(first != nil)
        #expect(generations.knownPrefix(for: "user:a", now: 2) == first)
        #expect(generations.resolvePrefix(for: "user:b", now: 2) != first)
    }

    @Test func aChangeGivesTheTenantANewPrefixAndLeavesOthersAlone() {
        let generations = CacheGenerations(store: InterleavingStore())
        generations.listening(true)
        let a = generations.resolvePrefix(for: "user:a", now: 0)
        let b = generations.resolvePrefix(for: "user:b", now: 0)
        generations.changed("user:a")
        #expect(generations.knownPrefix(for: "user:a", now: 1) == nil)
        #expect(generations.resolvePrefix(for: "user:a", now: 1) != a)
        #expect(generations.knownPrefix(for: "user:b", now: 1) == b)
    }

    /// After the notification channel comes back, changes of the gap are unknown: no worker may
    /// build a key from the epoch stored before the gap, not even while the new one is being
    /// published.
    @Test func noKeyFromTheOldEpochWhileReconnecting() {
        let store = InterleavingStore()
        let generations = CacheGenerations(store: store)
        generations.listening(true)
        let before = generations.resolvePrefix(for: "user:a", now: 0)
        #expect(before != nil)
        generations.listening(false)

        let seen = Locked<[String?]>([])
        store.duringWrite.withLock {
            $0 = { key in
                if key == CacheGenerations.epochKey {
                    seen.withLock { $0.append(generations.resolvePrefix(for: "user:a", now: 1)) }
                }
            }
        }
        generations.listening(true)
        store.duringWrite.withLock { $0 = nil }

        #expect(seen.withLock { $0 } == [nil])
        let after = generations.resolvePrefix(for: "user:a", now: 2)
        #expect(after != nil && after != before)
        #expect(store.writes.withLock { $0.filter { $0 == CacheGenerations.epochKey }.count } == 2)
    }

    /// A failed publish on reconnection: keys stay private to this process until a new epoch
    /// is stored.
    @Test func aFailedEpochPublishIsRetriedBeforeSharedKeys() {
        final class FailingOnce: GenerationStore {
            let values = LocalGenerationStore()
            let failNext = Locked(true)
            func read(_ key: String) -> String?? { values.read(key) }
            func write(_ key: String, _ value: String) -> Bool {
                if failNext.withLock({ let f = $0; $0 = false; return f }) { return false }
                return values.write(key, value)
            }
        }
        let store = FailingOnce()
        let generations = CacheGenerations(store: store)
        generations.listening(true)
        let prefix = generations.resolvePrefix(for: "user:a", now: 0)
        #expect(prefix?.contains(".") == true)  // shared (epoch.tenant), not private
        #expect(store.values.read(CacheGenerations.epochKey) != .some(nil))
    }
}
