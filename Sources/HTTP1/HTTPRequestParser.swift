/// A strict, resumable HTTP/1.1 request parser: a value type and a pure function of the bytes it
/// is shown (STYLE habit 1, after picohttpparser). No I/O, no buffering of its own, no globals.
///
/// Use: keep the connection's unconsumed input in a buffer; call `next(_:)` with it; drop
/// `consumed` bytes from its front; on `.needMore` read more and call again.
///
///     .head(h)       the head bytes are consumed; keep calling to consume the body
///     .messageEnd    the body (if any) is consumed; the parser is ready for the next request
///     .needMore      append input and call again with the whole unconsumed input
///     .error(e)      terminal: answer `e.status` with `Connection: close`, then close
///
/// While a head is incomplete `consumed` is 0, and the parser remembers how far it has scanned,
/// so the caller must show the same bytes again, extended. The outcome does not depend on how
/// the input is split. After an error every call returns the same error and consumes nothing, so
/// bytes after a bad request can never be read as another request.
public struct HTTPRequestParser: Sendable {
    private enum State: Sendable {
        case head(HTTPHeadScanner)
        case noBody
        case contentLength(remaining: Int)
        case chunked(HTTPChunkedDecoder)
        case failed(HTTPParseError)
    }

    /// The limits this parser enforces.
    public let limits: HTTPLimits
    private var state = State.head(HTTPHeadScanner())

    public init(limits: HTTPLimits = .init()) {
        self.limits = limits
    }

    /// Whether the parser is between messages: no byte of a next request has been consumed and no
    /// body is pending. A connection may close quietly (or time out as idle) only here.
    public var isIdle: Bool {
        if case .head = state { return true }
        return false
    }

    /// Looks at `bytes` (the unconsumed input, starting where the previous call's `consumed`
    /// ended) and returns the next event and how many bytes of `bytes` it consumed.
    public mutating func next(_ bytes: UnsafeRawBufferPointer) -> (event: HTTPParseEvent, consumed: Int) {
        switch state {
        case .head(var scanner):
            switch scanner.scan(bytes, limits: limits) {
            case .needMore:
                state = .head(scanner)
                return (.needMore, 0)
            case .error(let e):
                return fail(e)
            case .complete(let layout):
                switch HTTPHeadParser.parse(bytes, layout, limits: limits) {
                case .failure(let e):
                    return fail(e)
                case .success(let (head, framing)):
                    switch framing {
                    case .none: state = .noBody
                    case .contentLength(let n): state = .contentLength(remaining: n)
                    case .chunked: state = .chunked(HTTPChunkedDecoder(limits: limits))
                    }
                    return (.head(head), layout.headEnd)
                }
            }
        case .noBody:
            state = .head(HTTPHeadScanner())
            return (.messageEnd, 0)
        case .contentLength(let remaining):
            let n = min(remaining, bytes.count)
            if n == remaining {
                state = .head(HTTPHeadScanner())
                return (.messageEnd, n)
            }
            state = .contentLength(remaining: remaining - n)
            return (.needMore, n)
        case .chunked(var decoder):
            let (outcome, n) = decoder.decode(bytes)
            switch outcome {
            case .needMore:
                state = .chunked(decoder)
                return (.needMore, n)
            case .done:
                state = .head(HTTPHeadScanner())
                return (.messageEnd, n)
            case .error(let e):
                return fail(e)
            }
        case .failed(let e):
            return (.error(e), 0)
        }
    }

    /// Convenience for tests and callers holding an array.
    public mutating func next(_ bytes: [UInt8]) -> (event: HTTPParseEvent, consumed: Int) {
        bytes.withUnsafeBytes { next($0) }
    }

    /// Convenience for tests and callers holding an array slice.
    public mutating func next(_ bytes: ArraySlice<UInt8>) -> (event: HTTPParseEvent, consumed: Int) {
        bytes.withUnsafeBytes { next($0) }
    }

    private mutating func fail(_ e: HTTPParseError) -> (event: HTTPParseEvent, consumed: Int) {
        state = .failed(e)
        return (.error(e), 0)
    }
}
