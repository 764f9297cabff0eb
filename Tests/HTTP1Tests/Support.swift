import Testing

@testable import HTTP1

/// The bytes of a string (tests write requests as string literals with explicit `\r\n`).
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// What a connection saw after feeding a whole input: the events in order and the bytes consumed
/// (0 when it ended in an error).
struct Transcript: Equatable, CustomStringConvertible {
    var events: [HTTPParseEvent] = []
    var consumed = 0

    var heads: [HTTPRequestHead] {
        events.compactMap { if case .head(let h) = $0 { h } else { nil } }
    }
    var error: HTTPParseError? {
        if case .error(let e) = events.last { e } else { nil }
    }
    var description: String { "\(events.map(Self.short)) consumed \(consumed)" }

    static func short(_ e: HTTPParseEvent) -> String {
        switch e {
        case .needMore: "needMore"
        case .head(let h): "head(\(h.method.name) \(h.target))"
        case .messageEnd: "messageEnd"
        case .error(let e): "error(\(e))"
        }
    }
}

/// Feeds `input` as a connection would: the pieces between `splits` arrive one after another; the
/// unconsumed input is kept and shown again, extended; `next` is called until it needs more.
func drive(_ input: [UInt8], splits: [Int] = [], limits: HTTPLimits = .init()) -> Transcript {
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var t = Transcript()
    var previous = 0
    for end in splits + [input.count] {
        buffer += input[previous..<end]
        previous = end
        var calls = 0
        while true {
            calls += 1
            if calls > 1000 {
                Issue.record("parser loops without progress")
                return t
            }
            let (event, n) = parser.next(buffer[...])
            guard n >= 0, n <= buffer.count else {
                Issue.record("consumed \(n) of \(buffer.count)")
                return t
            }
            buffer.removeFirst(n)
            t.consumed += n
            if case .needMore = event { break }
            t.events.append(event)
            if case .error = event {
                // Terminal: every later call repeats the error and consumes nothing.
                let (again, m) = parser.next(buffer[...] + [0x47])
                if again != event || m != 0 { Issue.record("error is not terminal") }
                // How much of a failed body was consumed depends on the split, and does not
                // matter: the connection closes.
                t.consumed = 0
                return t
            }
        }
    }
    return t
}

/// Checks that every split of `input` — each single split point, and byte by byte — gives the
/// same transcript as the whole input, and that no proper prefix produces an error unless the
/// whole input does at that point. Returns the whole-input transcript.
@discardableResult
func expectSplitInvariant(
    _ input: [UInt8], limits: HTTPLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) -> Transcript {
    let whole = drive(input, limits: limits)
    var mismatches: [String] = []
    for k in 0...input.count {
        let split = drive(input, splits: [k], limits: limits)
        if split != whole { mismatches.append("split at \(k): \(split)") }
        if whole.error == nil {
            // A proper prefix of a valid input: no error, and events that start the final ones.
            let prefix = drive(Array(input[..<k]), limits: limits)
            if prefix.error != nil || !whole.events.starts(with: prefix.events) {
                mismatches.append("prefix \(k): \(prefix)")
            }
        }
    }
    let byteByByte = drive(input, splits: Array(0..<input.count), limits: limits)
    if byteByByte != whole { mismatches.append("byte by byte: \(byteByByte)") }
    #expect(mismatches.isEmpty, "whole: \(whole); \(mismatches.prefix(3))", sourceLocation: sourceLocation)
    return whole
}

/// A request that follows a bad one in the same input: it must never be parsed.
let smuggledRequest = b("GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")

/// Expects `input` (followed by `smuggledRequest`) to end in an error with `status` after exactly
/// `heads` heads, for every split of the input, and never to parse the smuggled request.
@discardableResult
func expectRejected(
    _ input: [UInt8], status: Int, heads: Int = 0, limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> Transcript {
    let t = expectSplitInvariant(input + smuggledRequest, limits: limits, sourceLocation: sourceLocation)
    #expect(t.error?.status == status, "\(t)", sourceLocation: sourceLocation)
    #expect(t.heads.count == heads, "\(t)", sourceLocation: sourceLocation)
    #expect(!t.heads.contains { $0.path == "/smuggled" }, sourceLocation: sourceLocation)
    return t
}

/// Expects `input` to be one valid request, for every split; returns its head.
@discardableResult
func expectAccepted(
    _ input: [UInt8], limits: HTTPLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPRequestHead? {
    let t = expectSplitInvariant(input, limits: limits, sourceLocation: sourceLocation)
    #expect(t.events.count == 2 && t.heads.count == 1 && t.events.last == .messageEnd, "\(t)", sourceLocation: sourceLocation)
    #expect(t.consumed == input.count, "\(t)", sourceLocation: sourceLocation)
    return t.heads.first
}
