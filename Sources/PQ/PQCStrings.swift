#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with a C array of C strings (`NULL` for `nil`), valid only during the call.
///
/// libpq takes parameter values and connection keywords as `const char *const *`; the
/// copies are made with `strdup` and freed right after, so nothing outlives the call.
func withCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { value in
        guard let value else { return nil }
        return strdup(value)
    }
    defer { for pointer in pointers { free(pointer) } }
    // A trailing NULL terminates keyword arrays; harmless for parameter arrays.
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}
