import Glibc

/// A failed system call: its name and `errno`. Never carries addresses or user data.
public struct SystemError: Error, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The outcome of a non-blocking system call.
enum IOResult<T> {
    case done(T)
    case wouldBlock
}

/// Runs a system call that returns -1 on failure: retries `EINTR`, turns `EAGAIN` into
/// `.wouldBlock`, throws everything else. `EBADF`/`EFAULT` are programming errors.
@inline(__always)
func retrying<T: FixedWidthInteger>(_ call: StaticString, _ body: () -> T) throws(SystemError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = Glibc.errno
        switch code {
        case EINTR: continue
        case EAGAIN: return .wouldBlock
        case EBADF, EFAULT: preconditionFailure("\(call): \(code) — a descriptor or buffer bug")
        default: throw SystemError(call: "\(call)", errno: code)
        }
    }
}
