import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Session housekeeping used by `PQPool`, `PQListener` and the health probe.
extension PQConnection {
    /// The session's socket, or -1 when closed.
    var socket: Int32 { raw.map { PQsocket($0) } ?? -1 }

    /// Cheap check before lending out an idle connection: if the server has sent something
    /// while we were idle (typically the FATAL of a restart or `pg_terminate_backend`),
    /// read it; a session found dead is closed. No round trip.
    public func looksAlive() -> Bool {
        guard let conn = raw, PQstatus(conn) == CONNECTION_OK else {
            close()
            return false
        }
        // An idle pooled session receives nothing unasked (it LISTENs to nothing): readable
        // means the server is ending it (FATAL "terminating connection…", then EOF), which
        // libpq may not report as a bad status until a later read.
        var pfd = pollfd(fd: PQsocket(conn), events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 0) != 0 {
            close()
            return false
        }
        return true
    }

    /// Brings the session back to "idle, no transaction" before it is reused: a borrower
    /// that threw in the middle of a transaction must not hand its open (or aborted)
    /// transaction to the next one. Returns false when the session should be discarded.
    func resetForReuse() -> Bool {
        guard let conn = raw, PQstatus(conn) == CONNECTION_OK else {
            close()
            return false
        }
        switch PQtransactionStatus(conn) {
        case PQTRANS_IDLE:
            return true
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            do {
                try execute("ROLLBACK", timeoutSeconds: 2)
                return !isBroken
            } catch {
                close()
                return false
            }
        default:
            // ACTIVE (a command still running) or UNKNOWN: the protocol state is not ours.
            close()
            return false
        }
    }

    /// Reads whatever arrived and reports whether the session is still up.
    func consumeInput() -> Bool {
        guard let conn = raw, PQconsumeInput(conn) == 1, PQstatus(conn) == CONNECTION_OK else {
            close()
            return false
        }
        return true
    }

    /// Takes the notifications libpq has parsed so far (channel, payload), copied out.
    func takeNotifications() -> [(channel: String, payload: String)] {
        guard let conn = raw else { return [] }
        var received: [(channel: String, payload: String)] = []
        while let notify = PQnotifies(conn) {
            let channel = notify.pointee.relname.map { String(cString: $0) } ?? ""
            let payload = notify.pointee.extra.map { String(cString: $0) } ?? ""
            PQfreemem(notify)
            received.append((channel, payload))
        }
        return received
    }

    /// `name` quoted as an SQL identifier by libpq (for LISTEN, which takes no parameters).
    func quoteIdentifier(_ name: String) -> String? {
        guard let conn = raw else { return nil }
        let bytes = Array(name.utf8)
        guard let quoted = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                PQescapeIdentifier(conn, $0, buffer.count)
            }
        }) else { return nil }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }
}
