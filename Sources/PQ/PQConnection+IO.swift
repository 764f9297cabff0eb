import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The asynchronous plumbing under `query`, `execute` and `copyIn`: flushing, waiting on the
/// socket with a deadline, collecting results, and closing a session that failed.
extension PQConnection {
    /// The open `PGconn`, or `.unavailable` when the session is already broken.
    func live() throws(PQError) -> OpaquePointer {
        guard let raw else { throw .unavailable }
        guard PQstatus(raw) == CONNECTION_OK else {
            close()
            throw .unavailable
        }
        return raw
    }

    /// Closes the session now and returns the error to throw for a lost connection.
    func fail() -> PQError {
        close()
        return .unavailable
    }

    /// Closes the session (idempotent). In non-blocking mode `PQfinish` only queues its
    /// Terminate message, so closing never blocks on a stalled server.
    func close() {
        if let raw {
            PQfinish(raw)
            self.raw = nil
        }
    }

    /// Closes the session because a deadline passed.
    func timedOut() -> PQError {
        close()
        return .timeout
    }

    /// Sends everything libpq has queued, waiting for the socket as needed.
    func flush(until deadline: PQDeadline) throws(PQError) {
        let conn = try live()
        while true {
            let state = PQflush(conn)
            if state == 0 { return }
            if state < 0 { throw fail() }
            // libpq's docs: wait for read- or write-readiness; on read-readiness consume input
            // (the server may be blocked writing to us), then flush again.
            if pqWait(fd: PQsocket(conn), events: Int16(POLLIN | POLLOUT), until: deadline) == .timedOut {
                throw timedOut()
            }
            guard PQconsumeInput(conn) == 1 else { throw fail() }
        }
    }

    /// Reads one result, waiting on the socket while libpq is busy. `nil` means the
    /// command is complete.
    func nextResult(until deadline: PQDeadline) throws(PQError) -> PQResult? {
        let conn = try live()
        while PQisBusy(conn) != 0 {
            if pqWait(fd: PQsocket(conn), events: Int16(POLLIN), until: deadline) == .timedOut {
                throw timedOut()
            }
            guard PQconsumeInput(conn) == 1 else { throw fail() }
        }
        return PQgetResult(conn).map(PQResult.init)
    }

    /// Flushes the command just sent and collects all its results. Returns the last
    /// successful result; throws the first error after draining (so the connection is
    /// left ready for the next command). A session lost on the way is `.unavailable`,
    /// whatever error result preceded the loss.
    func finish(until deadline: PQDeadline) throws(PQError) -> PQResult? {
        try flush(until: deadline)
        var last: PQResult? = nil
        var failure: PQError? = nil
        while let result = try nextResult(until: deadline) {
            switch result.status {
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = .queryFailed(sqlState: result.sqlState) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                // A COPY where none was expected: only copyIn can drive that protocol.
                throw fail()
            default:
                last = result
            }
        }
        guard let raw, PQstatus(raw) == CONNECTION_OK else { throw fail() }
        if let failure { throw failure }
        return last
    }
}
