/// The parser's limits, in one place (STYLE habit 3). Every limit bounds memory or work that a
/// client could otherwise make unbounded; exceeding one ends the connection with the status noted.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request-target in bytes. Default 8192 (8 KiB). Longer → `414 URI Too Long`,
    /// detected as soon as the target's 8193rd byte arrives, before the head is complete.
    public var maxTargetBytes = 8192

    /// Longest head in bytes: request line, header fields and the blank line that ends them
    /// (and any empty lines before the request line). Default 32768 (32 KiB). A head that has not
    /// ended within this many bytes → `431 Request Header Fields Too Large`. The same bound
    /// applies to a chunked body's trailer section.
    public var maxHeadBytes = 32768

    /// Most header fields in one head (and most trailer fields). Default 100. More → `431`.
    public var maxHeaderFields = 100

    /// Largest request body in bytes, by Content-Length or as the sum of chunk sizes.
    /// Default 1_048_576 (1 MiB). Larger → `413 Content Too Large`.
    public var maxBodyBytes = 1_048_576

    /// Most bytes of chunk extensions (`;name=value` after a chunk size) summed over one message.
    /// Default 16384 (16 KiB), as Node's llhttp after CVE-2024-22019: extensions are parsed and
    /// dropped, so without a bound a client could make the server read without end. More → `413`.
    public var maxChunkExtensionBytes = 16384

    /// The defaults above.
    public init() {}
}
