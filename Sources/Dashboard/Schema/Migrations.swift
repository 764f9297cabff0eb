import PQ

/// The database schema as an ordered list of versioned migrations (CONTRACT.md §1), and
/// the routine that applies the missing ones.
///
/// Applied versions are recorded in `findash_schema_migrations`. Each migration runs in its
/// own transaction together with its bookkeeping row, so it is applied completely or not
/// at all. A session-level advisory lock serialises concurrent runs (two replicas starting
/// at once): the second waits, then finds nothing left to do. Running again is a no-op.
public enum Migrations {
    /// Every migration, in order. Never edit one that has shipped: append a new version.
    public static let all: [(version: Int, name: String, sql: String)] = [
        (1, "accounts, transactions and budgets", MigrationSQL.tables),
        (2, "change notifications on findash_changes", MigrationSQL.notifications),
        (3, "index for budget spending", MigrationSQL.budgetSpendingIndex),
        (4, "row-level security for the reader role", MigrationSQL.rowLevelSecurity),
        (5, "row-level security: per-statement settings, members of the reader role", MigrationSQL.rowLevelSecurityV2),
    ]

    /// The key of the advisory lock held while migrating ("findash" in ASCII), shared by
    /// every replica.
    static let advisoryLockKey: Int64 = 0x66_69_6E_64_61_73_68

    /// Applies the migrations the database has not seen yet and returns their versions
    /// (empty when the schema is current).
    ///
    /// Throws `MigrationError` naming the migration that failed (its transaction is rolled
    /// back, earlier ones stay applied), or `PQError` for connection problems.
    public static func migrate(conninfo: String) throws -> [Int] {
        let connection = try PQConnection(conninfo: conninfo, timeoutSeconds: 10)
        // Another replica may be migrating: wait for it (long DDL on a big table can take a
        // while). The lock is released explicitly below, and by the server if we die.
        _ = try connection.query("SELECT pg_advisory_lock(\(advisoryLockKey))", timeoutSeconds: 600)
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(advisoryLockKey))", timeoutSeconds: 10) }

        try connection.execute("""
            CREATE TABLE IF NOT EXISTS findash_schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, timeoutSeconds: 30)
        let rows = try connection.query("SELECT version FROM findash_schema_migrations", timeoutSeconds: 30)
        let done = Set(rows.rows.compactMap { $0.first.flatMap { $0 }.flatMap { Int($0) } })

        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            do throws(PQError) {
                try connection.execute("BEGIN", timeoutSeconds: 10)
                // Fail rather than queue behind a long transaction: a waiting DDL lock would
                // block every other reader and writer of the table meanwhile.
                try connection.execute("SET LOCAL lock_timeout = '30s'", timeoutSeconds: 10)
                try connection.execute(migration.sql, timeoutSeconds: 600)
                _ = try connection.query("""
                    INSERT INTO findash_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))
                    """, timeoutSeconds: 30)
                try connection.execute("COMMIT", timeoutSeconds: 60)
            } catch {
                if !connection.isBroken { try? connection.execute("ROLLBACK", timeoutSeconds: 10) }
                throw MigrationError(version: migration.version, name: migration.name, underlying: error)
            }
            applied.append(migration.version)
        }
        return applied
    }
}

/// A migration that failed; its transaction was rolled back.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let version: Int
    public let name: String
    public let underlying: PQError

    /// One log-safe line, e.g. `migration 2 (…) failed: database statement failed (SQLSTATE 42501)`.
    public var description: String {
        "migration \(version) (\(name)) failed: \(underlying.logDescription)"
    }
}
