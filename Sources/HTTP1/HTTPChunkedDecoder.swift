/// A resumable decoder for the chunked transfer coding (RFC 9112 §7.1), as a value type: it takes
/// whatever bytes are there, consumes all of them (or up to the end of the message), and discards
/// the data. A byte-at-a-time state machine for the framing, a bulk skip for chunk data.
///
///     chunked-body = *chunk last-chunk trailer-section CRLF
///     chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
///     chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
///
/// Strict where the grammar allows leeway: no whitespace anywhere in a size line (BWS is refused,
/// like llhttp's strict mode), at most 32 size digits (leading zeros included), sizes that overflow
/// `Int` are a 400. Trailer fields are validated like header fields and dropped.
struct HTTPChunkedDecoder: Sendable {
    enum Outcome: Equatable {
        case needMore
        case done
        case error(HTTPParseError)
    }

    private enum State: Equatable {
        case size, sizeLF
        case extNameStart, extName, extValueStart, extToken, extQuoted, extQuotedEscape, extAfterQuoted
        case data(remaining: Int), dataCR, dataLF
        case trailerLineStart, trailerName, trailerValue, trailerLF, finalLF
        case done
    }

    private static let maxSizeDigits = 32

    private let limits: HTTPLimits
    private var state = State.size
    private var size = 0
    private var sizeDigits = 0
    private var total = 0
    private var extensionBytes = 0
    private var trailerBytes = 0
    private var trailerFields = 0

    init(limits: HTTPLimits) { self.limits = limits }

    /// Consumes bytes of the chunked body; `consumed` is all of `p` unless the message ended first.
    mutating func decode(_ p: UnsafeRawBufferPointer) -> (outcome: Outcome, consumed: Int) {
        let count = p.count
        var i = 0
        while i < count {
            if case .data(let remaining) = state {
                let n = min(remaining, count - i)
                i += n
                state = remaining == n ? .dataCR : .data(remaining: remaining - n)
                continue
            }
            let b = p[i]
            i += 1
            if let error = step(b) { return (.error(error), i) }
            if state == .done { return (.done, i) }
        }
        return (.needMore, i)
    }

    /// Advances the framing state machine by one byte.
    private mutating func step(_ b: UInt8) -> HTTPParseError? {
        switch state {
        case .size:
            if let v = ASCII.hexValue(b) {
                sizeDigits += 1
                guard sizeDigits <= Self.maxSizeDigits else { return .badRequest("chunk size too long") }
                // Overflow check before shifting: size * 16 + v must fit in Int.
                guard size <= (Int.max - v) / 16 else { return .badRequest("chunk size overflow") }
                size = size * 16 + v
                return nil
            }
            guard sizeDigits > 0 else { return .badRequest("invalid chunk size") }
            // The body limit is checked once the size is known (total ≤ maxBodyBytes holds).
            guard size <= limits.maxBodyBytes - total else { return .payloadTooLarge }
            switch b {
            case ASCII.cr: state = .sizeLF
            case ASCII.semicolon: state = .extNameStart; return countExtensionByte()
            default: return .badRequest("invalid chunk size")
            }
        case .sizeLF:
            guard b == ASCII.lf else { return .badRequest("chunk size line without LF") }
            total += size
            state = size == 0 ? .trailerLineStart : .data(remaining: size)
            size = 0
            sizeDigits = 0
        case .extNameStart, .extName, .extValueStart, .extToken, .extQuoted, .extQuotedEscape, .extAfterQuoted:
            return stepExtension(b)
        case .data:
            break  // handled in bulk by decode(_:)
        case .dataCR:
            guard b == ASCII.cr else { return .badRequest("chunk data not followed by CRLF") }
            state = .dataLF
        case .dataLF:
            guard b == ASCII.lf else { return .badRequest("chunk data not followed by CRLF") }
            state = .size
        case .trailerLineStart, .trailerName, .trailerValue, .trailerLF, .finalLF:
            return stepTrailer(b)
        case .done:
            break
        }
        return nil
    }

    /// chunk-ext-name = token; chunk-ext-val = token / quoted-string (RFC 9110 §5.6.4).
    private mutating func stepExtension(_ b: UInt8) -> HTTPParseError? {
        let invalid = HTTPParseError.badRequest("invalid chunk extension")
        if b == ASCII.cr {
            switch state {
            case .extName, .extToken, .extAfterQuoted: state = .sizeLF; return nil
            default: return invalid
            }
        }
        if let e = countExtensionByte() { return e }
        switch state {
        case .extNameStart:
            guard ASCII.isTchar(b) else { return invalid }
            state = .extName
        case .extName:
            if ASCII.isTchar(b) { return nil }
            if b == ASCII.equals { state = .extValueStart }
            else if b == ASCII.semicolon { state = .extNameStart }
            else { return invalid }
        case .extValueStart:
            if b == ASCII.quote { state = .extQuoted }
            else if ASCII.isTchar(b) { state = .extToken }
            else { return invalid }
        case .extToken:
            if ASCII.isTchar(b) { return nil }
            guard b == ASCII.semicolon else { return invalid }
            state = .extNameStart
        case .extQuoted:
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if b == ASCII.quote { state = .extAfterQuoted }
            else if b == ASCII.backslash { state = .extQuotedEscape }
            else if !ASCII.isFieldValueByte(b) { return invalid }
        case .extQuotedEscape:
            // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
            guard ASCII.isFieldValueByte(b) else { return invalid }
            state = .extQuoted
        case .extAfterQuoted:
            guard b == ASCII.semicolon else { return invalid }
            state = .extNameStart
        default:
            return invalid
        }
        return nil
    }

    private mutating func countExtensionByte() -> HTTPParseError? {
        extensionBytes += 1
        return extensionBytes > limits.maxChunkExtensionBytes ? .payloadTooLarge : nil
    }

    /// trailer-section = *( field-line CRLF ), then the final CRLF (RFC 9112 §7.1.2).
    private mutating func stepTrailer(_ b: UInt8) -> HTTPParseError? {
        trailerBytes += 1
        if trailerBytes > limits.maxHeadBytes { return .headersTooLarge }
        switch state {
        case .trailerLineStart:
            if b == ASCII.cr { state = .finalLF; return nil }
            if ASCII.isOWS(b) { return .badRequest("obs-fold in trailer") }
            guard ASCII.isTchar(b) else { return .badRequest("invalid trailer name") }
            trailerFields += 1
            if trailerFields > limits.maxHeaderFields { return .headersTooLarge }
            state = .trailerName
        case .trailerName:
            if ASCII.isTchar(b) { return nil }
            guard b == ASCII.colon else { return .badRequest("invalid trailer name") }
            state = .trailerValue
        case .trailerValue:
            if b == ASCII.cr { state = .trailerLF; return nil }
            guard ASCII.isFieldValueByte(b) else { return .badRequest("invalid trailer value") }
        case .trailerLF:
            guard b == ASCII.lf else { return .badRequest("bare CR in trailer") }
            state = .trailerLineStart
        case .finalLF:
            guard b == ASCII.lf else { return .badRequest("bare CR after trailers") }
            state = .done
        default:
            break
        }
        return nil
    }
}
