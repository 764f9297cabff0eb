import CLibPQ

/// Sole owner of one libpq `PGresult`: cleared in `deinit`, values copied out before it goes.
final class PQResult {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) {
        self.raw = raw
    }

    deinit {
        PQclear(raw)
    }

    var status: ExecStatusType { PQresultStatus(raw) }

    /// The SQLSTATE of an error result ("" when the server sent none, e.g. client-side errors).
    var sqlState: String {
        guard let field = PQresultErrorField(raw, findash_pg_diag_sqlstate()) else { return "" }
        return String(cString: field)
    }

    /// Copies every value out as text, so no pointer into the result escapes.
    func rows() -> PQRows {
        let rowCount = Int(PQntuples(raw))
        let columnCount = Int(PQnfields(raw))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(PQfname(raw, Int32(column)).map { String(cString: $0) } ?? "")
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                let r = Int32(row), c = Int32(column)
                if PQgetisnull(raw, r, c) != 0 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(raw, r, c))
                    let bytes = UnsafeRawBufferPointer(start: PQgetvalue(raw, r, c), count: length)
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            rows.append(values)
        }
        let tag = PQcmdTuples(raw).map { String(cString: $0) } ?? ""
        return PQRows(columns: columns, rows: rows, affectedRows: Int(tag))
    }
}
