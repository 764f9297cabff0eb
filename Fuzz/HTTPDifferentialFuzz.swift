// libFuzzer target `llhttp` (optional, not part of `make fuzz-smoke`): a differential check of
// findash's HTTP parser against llhttp, the parser of Node.js, as SwiftNIO vendors it
// (CNIOLLHTTP from the local swift-nio mirror; scripts/fuzz.sh extracts and compiles it).
//
// findash is deliberately stricter (Host required, unknown methods, limits, Transfer-Encoding
// in HTTP/1.0, …), so a request that llhttp accepts and findash refuses is fine. What must never
// happen is the other way round, or a disagreement about where a message ends — that is what a
// smuggling attack needs from two parsers in a row (a proxy and a server). For every input, fed
// whole to both (llhttp strict, no lenient flags):
//   1. every message both parsers complete has the same method, request-target and end offset;
//   2. findash completes no message that llhttp refuses or has not finished.
// Comparison stops after a message that does not keep the connection alive (llhttp refuses
// data after it) and at an upgrade or CONNECT (findash refuses those).

import CNIOLLHTTP

/// What one parser made of an input: completed messages and how it ended.
struct DifferentialMessage: Equatable {
    var method: String
    var target: [UInt8]
    var end: Int
    var keepAlive: Bool
    /// Where the head ends (findash only; 0 for llhttp).
    var headEnd = 0
}

/// llhttp's callbacks fill this through `parser.data`.
final class LLHTTPRecorder {
    var target: [UInt8] = []
    var method = ""
    var upgrade = false
}

/// llhttp's verdict: the messages it completed, and its error (nil: no error, input incomplete).
func llhttpMessages(_ input: UnsafeRawBufferPointer) -> (messages: [DifferentialMessage], failed: Bool, error: String?) {
    var settings = llhttp_settings_t()
    c_nio_llhttp_settings_init(&settings)
    settings.on_url = { parser, at, length in
        let recorder = Unmanaged<LLHTTPRecorder>.fromOpaque(parser!.pointee.data).takeUnretainedValue()
        if let at { recorder.target.append(contentsOf: UnsafeRawBufferPointer(start: at, count: length)) }
        return 0
    }
    settings.on_headers_complete = { parser in
        let recorder = Unmanaged<LLHTTPRecorder>.fromOpaque(parser!.pointee.data).takeUnretainedValue()
        recorder.method = String(cString: c_nio_llhttp_method_name(llhttp_method_t(UInt32(parser!.pointee.method))))
        return 0
    }
    // Pause at each message's end, so its offset is known.
    settings.on_message_complete = { _ in Int32(HPE_PAUSED.rawValue) }
    var parser = llhttp_t()
    c_nio_llhttp_init(&parser, HTTP_REQUEST, &settings)
    let recorder = LLHTTPRecorder()
    parser.data = Unmanaged.passUnretained(recorder).toOpaque()
    var messages: [DifferentialMessage] = []
    guard let base = input.baseAddress, input.count > 0 else { return ([], false, nil) }
    var offset = 0
    while offset < input.count {
        let start = base.assumingMemoryBound(to: CChar.self) + offset
        let result = c_nio_llhttp_execute(&parser, start, input.count - offset)
        if result == HPE_OK { return (messages, false, nil) }  // everything consumed, message incomplete
        if result == HPE_PAUSED || result == HPE_PAUSED_UPGRADE {
            let end = UnsafeRawPointer(c_nio_llhttp_get_error_pos(&parser)!) - UnsafeRawPointer(base)
            let keepAlive = c_nio_llhttp_should_keep_alive(&parser) != 0
            messages.append(DifferentialMessage(method: recorder.method, target: recorder.target, end: end, keepAlive: keepAlive))
            recorder.target = []
            if result == HPE_PAUSED_UPGRADE || !keepAlive { return (messages, false, nil) }
            c_nio_llhttp_resume(&parser)
            offset = end
            continue
        }
        let name = String(cString: c_nio_llhttp_errno_name(result))
        let reason = parser.reason.map { String(cString: $0) } ?? ""
        return (messages, true, "\(name): \(reason)")
    }
    return (messages, false, nil)
}

/// Differences that are findash's documented choices, not framing disagreements:
/// - a Content-Length list of identical values ("5, 5"), or identical Content-Length fields,
///   count as one value (RFC 9110 §8.6 lets a recipient do that; differing ones are refused);
/// - framing fields (Content-Length, Transfer-Encoding) in a chunked body's trailer section are
///   dropped like every trailer field (RFC 9110 §6.5.1: never used for framing).
/// llhttp refuses all of these, and a front end that refuses them cannot be fooled by them.
func tolerated(_ input: UnsafeRawBufferPointer, _ message: DifferentialMessage, llhttpError: String?) -> Bool {
    guard let error = llhttpError else { return false }
    if error == "HPE_UNEXPECTED_CONTENT_LENGTH: Duplicate Content-Length" { return true }
    let framingError = error.hasPrefix("HPE_INVALID_CONTENT_LENGTH") || error.hasPrefix("HPE_UNEXPECTED_CONTENT_LENGTH")
        || error.hasPrefix("HPE_INVALID_TRANSFER_ENCODING")
    guard framingError else { return false }
    let head = UnsafeRawBufferPointer(rebasing: input[..<message.headEnd])
    let trailers = UnsafeRawBufferPointer(rebasing: input[message.headEnd..<message.end])
    return fieldValues(head, "content-length:").contains { $0.contains(UInt8(ascii: ",")) }
        || !fieldValues(trailers, "content-length:").isEmpty
        || !fieldValues(trailers, "transfer-encoding:").isEmpty
}

/// The values of every line in `bytes` that starts with `name` (lower case, with its colon),
/// compared ASCII case-insensitively.
func fieldValues(_ bytes: UnsafeRawBufferPointer, _ name: String) -> [[UInt8]] {
    let n = Array(name.utf8)
    var values: [[UInt8]] = []
    var lineStart = 0
    while lineStart + n.count <= bytes.count {
        var matches = true
        for k in 0..<n.count {
            var b = bytes[lineStart + k]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != n[k] { matches = false; break }
        }
        var j = lineStart + (matches ? n.count : 0)
        var value: [UInt8] = []
        while j < bytes.count && bytes[j] != 0x0A {
            if matches && bytes[j] != 0x0D { value.append(bytes[j]) }
            j += 1
        }
        if matches { values.append(value) }
        lineStart = j + 1
    }
    return values
}

func findashMessages(_ input: UnsafeRawBufferPointer) -> (messages: [DifferentialMessage], failed: Bool) {
    var parser = HTTPRequestParser()
    var messages: [DifferentialMessage] = []
    var offset = 0
    var head: HTTPRequestHead?
    var headEnd = 0
    while true {
        let (event, consumed) = parser.next(UnsafeRawBufferPointer(rebasing: input[offset...]))
        offset += consumed
        switch event {
        case .needMore:
            return (messages, false)
        case .error:
            return (messages, true)
        case .head(let h):
            head = h
            headEnd = offset
        case .messageEnd:
            guard let h = head else { return (messages, true) }
            messages.append(DifferentialMessage(method: h.method.name, target: Array(h.target.utf8), end: offset,
                                                keepAlive: h.keepAlive, headEnd: headEnd))
            head = nil
            if !h.keepAlive { return (messages, false) }
        }
    }
}

@inline(never)
func differentialFailure(_ message: String, _ input: UnsafeRawBufferPointer) -> Never {
    var shown = ""
    let hex = Array("0123456789abcdef".unicodeScalars)
    for byte in input.prefix(600) {
        if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
            shown.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            shown += "\\x"
            shown.unicodeScalars.append(hex[Int(byte >> 4)])
            shown.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    fatalError("findash and llhttp disagree: \(message)\ninput (\(input.count) bytes): \(shown)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDifferential(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let ours = findashMessages(input)
    let theirs = llhttpMessages(input)
    for (i, (a, b)) in zip(ours.messages, theirs.messages).enumerated() {
        if a.end != b.end || a.method != b.method || a.target != b.target {
            differentialFailure("message \(i): findash \(a.method) \(String(decoding: a.target, as: UTF8.self)) ends at \(a.end), "
                + "llhttp \(b.method) \(String(decoding: b.target, as: UTF8.self)) ends at \(b.end)", input)
        }
        if !a.keepAlive || !b.keepAlive { return 0 }
    }
    if ours.messages.count > theirs.messages.count {
        let m = ours.messages[theirs.messages.count]
        // llhttp stops comparing after an upgrade; findash never upgrades, so nothing to say.
        if theirs.messages.last.map({ !$0.keepAlive }) == true { return 0 }
        if tolerated(input, m, llhttpError: theirs.error) { return 0 }
        differentialFailure("findash completed message \(theirs.messages.count) (\(m.method), ends at \(m.end)) that llhttp "
            + (theirs.failed ? "refused (\(theirs.error ?? ""))" : "had not finished"), input)
    }
    return 0
}
