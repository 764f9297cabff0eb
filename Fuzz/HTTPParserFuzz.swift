// libFuzzer target: the HTTP/1.1 request parser (Sources/HTTP1/HTTPRequestParser.swift).
//
// Compiled into the HTTP1 module itself (scripts/fuzz.sh lists Sources/HTTP1/*.swift with this
// file), so it can see internals. The input is raw request bytes — a seed is a plain request.
//
// Properties checked for every input (a violation traps, which libFuzzer reports as a crash):
//   1. no trap, no out-of-bounds access (AddressSanitizer), no loop without progress;
//   2. `consumed` always lies in 0...count, and is 0 with `.needMore` while a head is pending;
//   3. after `.error` the parser is terminal: the same error, nothing consumed, whatever follows;
//   4. the verdict (the events in order) is the same for the whole input, byte by byte, and for
//      three split points derived from the input's hash — the parser's documented contract;
//   5. every head respects the limits (target length, field count).
// Limits are either the defaults or small ones (chosen by the input's hash), so that the
// limit paths (413/414/431) are reached with short inputs.

/// Everything a connection learns from one input: events in order, and the bytes consumed
/// (0 after an error: how much of a failed body was consumed depends on the split and does not
/// matter, the connection closes).
struct FuzzTranscript: Equatable {
    var events: [HTTPParseEvent] = []
    var consumed = 0
}

@inline(never)
func fuzzFailure(_ message: String, _ input: UnsafeRawBufferPointer) -> Never {
    var shown = ""
    for byte in input.prefix(400) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
            shown.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let hex = Array("0123456789abcdef".unicodeScalars)
            shown += "\\x"
            shown.unicodeScalars.append(hex[Int(byte >> 4)])
            shown.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    fatalError("HTTP parser property violated: \(message)\ninput (\(input.count) bytes): \(shown)")
}

/// Feeds `input` as the connection does: the pieces between `splits` arrive one after another;
/// unconsumed bytes are kept and shown again, extended.
func fuzzDrive(_ input: UnsafeRawBufferPointer, splits: [Int], limits: HTTPLimits) -> FuzzTranscript {
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(input.count)
    var start = 0  // index of the first unconsumed byte in `buffer`
    var t = FuzzTranscript()
    var previous = 0
    for end in splits + [input.count] {
        buffer.append(contentsOf: input[previous..<end])
        previous = end
        // Each call consumes bytes or emits an event, and only `.messageEnd` of a bodiless
        // request consumes nothing, right after its head: two calls per byte at most.
        let budget = 2 * (buffer.count - start) + 4
        var calls = 0
        while true {
            calls += 1
            if calls > budget { fuzzFailure("no progress after \(calls) calls", input) }
            let (event, n) = buffer.withUnsafeBytes { parser.next(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            if n < 0 || n > buffer.count - start { fuzzFailure("consumed \(n) of \(buffer.count - start)", input) }
            start += n
            t.consumed += n
            switch event {
            case .needMore:
                break
            case .head(let head):
                if head.target.utf8.count > limits.maxTargetBytes { fuzzFailure("target over the limit", input) }
                if head.headers.count > limits.maxHeaderFields { fuzzFailure("too many fields", input) }
                t.events.append(event)
                continue
            case .messageEnd:
                t.events.append(event)
                continue
            case .error:
                t.events.append(event)
                let (again, m) = [UInt8](repeating: 0x47, count: 3).withUnsafeBytes { parser.next($0) }
                if again != event || m != 0 { fuzzFailure("an error was not terminal", input) }
                t.consumed = 0
                return t
            }
            break
        }
        // Compact now and then, as a connection's read buffer does.
        if start > 4096 {
            buffer.removeFirst(start)
            start = 0
        }
    }
    return t
}

/// FNV-1a: a stable hash of the input, so the splits and limits are a pure function of it
/// (a crash replays exactly).
func fuzzHash(_ input: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in input {
        h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return h
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let hash = fuzzHash(input)
    var limits = HTTPLimits()
    if hash & 1 == 1 {
        limits.maxTargetBytes = 40
        limits.maxHeadBytes = 160
        limits.maxHeaderFields = 6
        limits.maxBodyBytes = 64
        limits.maxChunkExtensionBytes = 24
    }
    let whole = fuzzDrive(input, splits: [], limits: limits)
    var splits: [Int] = []
    if size > 0 {
        var h = hash
        for _ in 0..<3 {
            h = h &* 0x9E37_79B9_7F4A_7C15 &+ 1
            splits.append(Int((h >> 33) % UInt64(size + 1)))
        }
        splits.sort()
    }
    let pieces = fuzzDrive(input, splits: splits, limits: limits)
    if pieces != whole { fuzzFailure("split at \(splits) gives \(pieces.events), whole gives \(whole.events)", input) }
    // Byte by byte is quadratic in the worst case; the fuzzer's inputs are short (-max_len).
    if size <= 8192 {
        let bytes = fuzzDrive(input, splits: Array(0..<size), limits: limits)
        if bytes != whole { fuzzFailure("byte by byte gives \(bytes.events), whole gives \(whole.events)", input) }
    }
    return 0
}
