/// The rows of a finished statement, copied out of libpq's `PGresult`.
///
/// Values are PostgreSQL's text format exactly as the server sent them (numerics stay
/// exact decimal text, dates `YYYY-MM-DD` because every session runs with
/// `DateStyle=ISO`, `TimeZone=UTC`). No pointer into libpq memory survives the call that
/// produced this value.
public struct PQRows: Sendable {
    /// Column names in result order.
    public let columns: [String]
    /// Row-major values; `nil` is SQL NULL.
    public let rows: [[String?]]
    /// Rows affected for INSERT/UPDATE/DELETE/COPY (from the command tag), else the row count.
    public let affectedRows: Int

    public init(columns: [String], rows: [[String?]], affectedRows: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.affectedRows = affectedRows ?? rows.count
    }

    /// Number of rows returned.
    public var count: Int { rows.count }

    /// The value at `row`, `column` (both zero-based); `nil` is SQL NULL.
    public subscript(row: Int, column: Int) -> String? {
        rows[row][column]
    }

    /// The index of the column called `name`, if any.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }
}
