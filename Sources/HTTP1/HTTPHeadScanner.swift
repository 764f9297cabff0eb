/// Phase one of reading a head: finds where it ends, incrementally, and rejects early what can be
/// rejected from single bytes — bare LF, bare CR, NUL, a target over its limit (414), too many
/// lines or bytes (431). It remembers how far it got, so a head trickled in byte by byte is scanned
/// once in total rather than once per call. Offsets are relative to the caller's unconsumed input,
/// which the caller keeps in place (consumed is 0) until the head is complete.
///
/// Every decision depends only on the bytes up to the position decided on, so any split of the
/// input gives the same outcome as the whole input at once.
struct HTTPHeadScanner: Sendable {
    /// Where the head's parts are, once its end has been found.
    struct Layout: Sendable {
        var requestLineStart: Int
        /// The first and second SP of the request line (-1 if absent).
        var sp1: Int
        var sp2: Int
        /// Index of the CR ending the request line.
        var requestLineEnd: Int
        /// Index just past the blank line ending the head: the head's byte count.
        var headEnd: Int
        var fieldCount: Int
    }

    enum Outcome {
        case needMore
        case complete(Layout)
        case error(HTTPParseError)
    }

    private var scanned = 0
    private var lineStart = 0
    /// Completed non-empty lines: the request line, then header fields.
    private var lines = 0
    private var requestLineStart = 0
    private var requestLineEnd = -1
    private var sp1 = -1
    private var sp2 = -1
    /// Index of the target byte one past `maxTargetBytes`: reaching it with a target byte is a 414.
    private var targetGuard = Int.max

    init() {}

    mutating func scan(_ p: UnsafeRawBufferPointer, limits: HTTPLimits) -> Outcome {
        let count = p.count
        // The caller must present the same prefix again; if it did not, start over
        // rather than index past the end.
        if scanned > count { self = HTTPHeadScanner() }
        let maxHead = limits.maxHeadBytes
        let limit = min(count, maxHead)
        var i = scanned
        while i < limit {
            // Eight bytes at a time while none is special (≤ SP) and the target limit is not among
            // them (targetGuard ≥ i always holds: passing it ends the target or the scan).
            if limit - i >= 8, targetGuard - i >= 8 {
                let special = ASCII.belowVisibleMask(ASCII.load8(p, i))
                if special == 0 {
                    i += 8
                    continue
                }
                i += special.trailingZeroBitCount >> 3
            }
            let b = p[i]
            if b > ASCII.sp {
                // The common case: one compare, and one for the target limit.
                if i == targetGuard { return .error(.uriTooLong) }
                i += 1
                continue
            }
            switch b {
            case ASCII.sp:
                if lines == 0 {
                    if sp1 < 0 {
                        sp1 = i
                        let (g, o) = i.addingReportingOverflow(1)
                        let (g2, o2) = g.addingReportingOverflow(max(0, limits.maxTargetBytes))
                        targetGuard = o || o2 ? Int.max : g2
                    } else if sp2 < 0 {
                        sp2 = i
                        targetGuard = Int.max
                    }
                }
            case ASCII.cr:
                // RFC 9112 §2.2: a CR must be followed by LF; a bare CR is refused.
                let next = i + 1
                if next >= count {
                    scanned = i
                    return .needMore
                }
                if p[next] != ASCII.lf { return .error(.badRequest("bare CR")) }
                if next >= maxHead { return .error(.headersTooLarge) }
                if i == lineStart {
                    if lines == 0 {
                        // RFC 9112 §2.2: ignore empty lines before the request line.
                        lineStart = i + 2
                        requestLineStart = lineStart
                        i += 2
                        continue
                    }
                    return .complete(Layout(
                        requestLineStart: requestLineStart, sp1: sp1, sp2: sp2,
                        requestLineEnd: requestLineEnd, headEnd: i + 2, fieldCount: lines - 1))
                }
                if lines == 0 {
                    requestLineEnd = i
                    targetGuard = Int.max
                }
                lines += 1
                if lines - 1 > limits.maxHeaderFields { return .error(.headersTooLarge) }
                lineStart = i + 2
                i += 2
                continue
            case ASCII.lf:
                return .error(.badRequest("bare LF"))
            case ASCII.nul:
                return .error(.badRequest("NUL in head"))
            default:
                // HTAB and other controls: judged by position in phase two, but a 414 is due here.
                if i == targetGuard { return .error(.uriTooLong) }
            }
            i += 1
        }
        // No end of head within maxHeadBytes: any head would be too large.
        if i >= maxHead { return .error(.headersTooLarge) }
        scanned = i
        return .needMore
    }
}
