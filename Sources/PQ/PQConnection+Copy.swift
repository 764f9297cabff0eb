import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PQConnection {
    /// Streams rows into a table with `COPY … FROM STDIN`.
    ///
    /// `chunks` yields the COPY payload (text or CSV, as `copySQL` says) in pieces of any
    /// size; a lazy sequence lets the caller generate data while earlier chunks are on the
    /// wire. Each chunk is flushed before the next is taken, so memory stays bounded by one
    /// chunk. The whole operation is bounded by `timeoutSeconds`.
    public func copyIn(_ copySQL: String, chunks: some Sequence<[UInt8]>, timeoutSeconds: Double) throws(PQError) {
        let deadline = PQDeadline(secondsFromNow: timeoutSeconds)
        let conn = try live()
        guard PQsendQuery(conn, copySQL) == 1 else { throw fail() }
        try flush(until: deadline)
        guard let start = try nextResult(until: deadline) else { throw fail() }
        guard start.status == PGRES_COPY_IN else {
            // Not a COPY FROM STDIN (or it failed at once): drain and report.
            let failure: PQError = start.status == PGRES_FATAL_ERROR ? .queryFailed(sqlState: start.sqlState) : .queryFailed(sqlState: "")
            while try nextResult(until: deadline) != nil {}
            throw failure
        }
        for chunk in chunks where !chunk.isEmpty {
            try chunk.withUnsafeBufferPointer { (bytes) throws(PQError) in
                try put(bytes, until: deadline)
            }
            try flush(until: deadline)
            if deadline.hasPassed { throw timedOut() }
        }
        while true {
            let state = PQputCopyEnd(try live(), nil)
            if state == 1 { break }
            if state < 0 { throw fail() }
            try waitWritable(until: deadline)
        }
        _ = try finish(until: deadline)
    }

    /// Queues one chunk, waiting for buffer space while libpq reports "would block".
    private func put(_ bytes: UnsafeBufferPointer<UInt8>, until deadline: PQDeadline) throws(PQError) {
        guard let base = bytes.baseAddress else { return }
        let conn = try live()
        // PQputCopyData takes an int length: split anything beyond 1 GiB.
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            let state = base.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: length) {
                PQputCopyData(conn, $0, Int32(length))
            }
            if state < 0 {
                // The server may have ended the COPY with an error (a constraint, a bad row):
                // collect it so the caller sees its SQLSTATE and the session stays usable.
                if PQstatus(conn) == CONNECTION_OK {
                    _ = try finish(until: deadline)
                    throw .queryFailed(sqlState: "")
                }
                throw fail()
            }
            if state == 0 {
                try waitWritable(until: deadline)
                continue
            }
            offset += length
        }
    }

    private func waitWritable(until deadline: PQDeadline) throws(PQError) {
        let conn = try live()
        if pqWait(fd: PQsocket(conn), events: Int16(POLLOUT), until: deadline) == .timedOut {
            throw timedOut()
        }
        guard PQflush(conn) >= 0 else { throw fail() }
    }
}
