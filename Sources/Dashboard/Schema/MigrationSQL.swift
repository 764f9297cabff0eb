/// The SQL of each migration, embedded so the binary carries its own schema.
enum MigrationSQL {
    /// Version 1: the three tables of CONTRACT.md §1 and the indexes the dashboard reads by.
    ///
    /// Columns, names and types are exactly the contract's; other programs write these
    /// tables, so every column they may omit has a default, and constraints only restate
    /// the contract (tenant rules, enumerations, positive budget limits).
    static let tables = """
        CREATE TABLE accounts (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_type text NOT NULL CONSTRAINT accounts_tenant_type_check CHECK (tenant_type IN ('user', 'organization')),
            tenant_id   text NOT NULL CONSTRAINT accounts_tenant_id_check CHECK (tenant_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
            name        text NOT NULL,
            type        text NOT NULL CONSTRAINT accounts_type_check
                            CHECK (type IN ('checking', 'savings', 'cash', 'investment', 'credit_card', 'loan')),
            currency    char(3) NOT NULL CONSTRAINT accounts_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
            balance     numeric(19,2) NOT NULL DEFAULT 0,
            is_active   boolean NOT NULL DEFAULT true,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX accounts_tenant_idx ON accounts (tenant_type, tenant_id);

        CREATE TABLE transactions (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_type text NOT NULL CONSTRAINT transactions_tenant_type_check CHECK (tenant_type IN ('user', 'organization')),
            tenant_id   text NOT NULL CONSTRAINT transactions_tenant_id_check CHECK (tenant_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
            account_id  uuid NOT NULL REFERENCES accounts (id),
            amount      numeric(19,2) NOT NULL,
            currency    char(3) NOT NULL CONSTRAINT transactions_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
            kind        text NOT NULL CONSTRAINT transactions_kind_check CHECK (kind IN ('income', 'expense', 'transfer')),
            category    text,
            description text NOT NULL DEFAULT '',
            booked_on   date NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        -- Every dashboard figure is "this tenant, these days": tenant + date first, with the
        -- aggregated columns included so sums can be index-only scans.
        CREATE INDEX transactions_tenant_booked_idx ON transactions (tenant_type, tenant_id, booked_on)
            INCLUDE (currency, kind, amount, category, account_id);
        -- The foreign key's referencing side: without it every account delete (and the
        -- seeder's re-run) scans all transactions; also serves "last transaction of an account".
        CREATE INDEX transactions_account_booked_idx ON transactions (account_id, booked_on);

        CREATE TABLE budgets (
            id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            tenant_type     text NOT NULL CONSTRAINT budgets_tenant_type_check CHECK (tenant_type IN ('user', 'organization')),
            tenant_id       text NOT NULL CONSTRAINT budgets_tenant_id_check CHECK (tenant_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
            name            text NOT NULL,
            category        text NOT NULL,
            currency        char(3) NOT NULL CONSTRAINT budgets_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
            amount          numeric(19,2) NOT NULL CONSTRAINT budgets_amount_check CHECK (amount > 0),
            period          text NOT NULL CONSTRAINT budgets_period_check CHECK (period IN ('weekly', 'monthly', 'quarterly', 'yearly')),
            alert_threshold numeric(5,4) NOT NULL DEFAULT 0.8000,
            starts_on       date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC')::date),
            ends_on         date,
            is_active       boolean NOT NULL DEFAULT true,
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX budgets_tenant_idx ON budgets (tenant_type, tenant_id);
        """

    /// Version 2: `NOTIFY findash_changes` with payload `tenant_type:tenant_id` once per
    /// tenant a statement touched (old and new rows for UPDATE), `*` for TRUNCATE or for a
    /// statement touching more than 1,000 tenants. Statement-level AFTER triggers with
    /// transition tables: no row-level overhead, no locks taken, nothing written, so other
    /// writers are not slowed beyond the notification itself. The notification is sent at
    /// commit, so listeners never see uncommitted changes.
    static let notifications = """
        CREATE FUNCTION findash_notify_changes() RETURNS trigger
        LANGUAGE plpgsql AS $function$
        DECLARE
            tenants text[];
            tenant  text;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('findash_changes', '*');
                RETURN NULL;
            ELSIF TG_OP = 'INSERT' THEN
                SELECT array_agg(DISTINCT n.tenant_type || ':' || n.tenant_id) INTO tenants FROM findash_new_rows n;
            ELSIF TG_OP = 'DELETE' THEN
                SELECT array_agg(DISTINCT o.tenant_type || ':' || o.tenant_id) INTO tenants FROM findash_old_rows o;
            ELSE
                -- UPDATE may move a row between tenants: both must hear about it.
                SELECT array_agg(DISTINCT t.key) INTO tenants FROM (
                    SELECT n.tenant_type || ':' || n.tenant_id FROM findash_new_rows n
                    UNION ALL
                    SELECT o.tenant_type || ':' || o.tenant_id FROM findash_old_rows o
                ) AS t(key);
            END IF;
            IF tenants IS NULL THEN
                RETURN NULL;  -- the statement touched no row
            END IF;
            IF cardinality(tenants) > 1000 THEN
                PERFORM pg_notify('findash_changes', '*');
            ELSE
                FOREACH tenant IN ARRAY tenants LOOP
                    PERFORM pg_notify('findash_changes', tenant);
                END LOOP;
            END IF;
            RETURN NULL;
        END
        $function$;

        \(triggers(on: "accounts"))
        \(triggers(on: "transactions"))
        \(triggers(on: "budgets"))
        """

    /// One trigger per event: a trigger with transition tables may have only one event.
    private static func triggers(on table: String) -> String {
        """
        CREATE TRIGGER findash_notify_insert AFTER INSERT ON \(table)
            REFERENCING NEW TABLE AS findash_new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION findash_notify_changes();
        CREATE TRIGGER findash_notify_update AFTER UPDATE ON \(table)
            REFERENCING OLD TABLE AS findash_old_rows NEW TABLE AS findash_new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION findash_notify_changes();
        CREATE TRIGGER findash_notify_delete AFTER DELETE ON \(table)
            REFERENCING OLD TABLE AS findash_old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION findash_notify_changes();
        CREATE TRIGGER findash_notify_truncate AFTER TRUNCATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION findash_notify_changes();
        """
    }

    /// A budget's spending sums one tenant's expenses in one category and currency over a
    /// period: a partial index on exactly that keeps yearly budgets of large tenants cheap.
    static let budgetSpendingIndex = """
        CREATE INDEX transactions_expense_category_idx
            ON transactions (tenant_type, tenant_id, category, currency, booked_on) INCLUDE (amount)
            WHERE kind = 'expense';
        """

    /// A second wall around tenancy. The server reads as `findash_reader` (it owns nothing and
    /// cannot bypass RLS) and names its tenant in the session settings `findash.tenant_type` /
    /// `findash.tenant_id`; even a query missing its tenant filter then sees only that tenant's
    /// rows, and without the settings it sees none. RLS is enabled but not forced, so the
    /// tables' owner — the other programs' writer — is not affected, and a second policy lets
    /// every other role through as before.
    static let rowLevelSecurity = """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'findash_reader') THEN
                CREATE ROLE findash_reader NOLOGIN;
            END IF;
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO findash_reader', current_schema());
        END
        $$;
        GRANT findash_reader TO CURRENT_USER;
        GRANT SELECT ON accounts, transactions, budgets TO findash_reader;
        \(["accounts", "transactions", "budgets"].map(rowLevelSecurity(on:)).joined(separator: "\n"))
        """

    private static func rowLevelSecurity(on table: String) -> String {
        """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        CREATE POLICY findash_reader_tenant ON \(table) FOR SELECT TO findash_reader
            USING (tenant_type = current_setting('findash.tenant_type', true)
                   AND tenant_id = current_setting('findash.tenant_id', true));
        CREATE POLICY findash_other_roles ON \(table)
            USING (current_user <> 'findash_reader') WITH CHECK (current_user <> 'findash_reader');
        """
    }

    /// The policies of migration 4, cheaper and wider: the settings are read once per statement
    /// (sub-selects become InitPlans) instead of once per row, and the tenant wall applies to
    /// every member of `findash_reader` (so `DB_READER_ROLE` may name another role granted it),
    /// while roles outside it — the owner, other writers — pass as before.
    static let rowLevelSecurityV2 = ["accounts", "transactions", "budgets"].map { table in
        """
        DROP POLICY findash_reader_tenant ON \(table);
        DROP POLICY findash_other_roles ON \(table);
        CREATE POLICY findash_reader_tenant ON \(table) FOR SELECT TO findash_reader
            USING (tenant_type = (SELECT current_setting('findash.tenant_type', true))
                   AND tenant_id = (SELECT current_setting('findash.tenant_id', true)));
        CREATE POLICY findash_other_roles ON \(table)
            USING ((SELECT NOT pg_has_role(current_user, 'findash_reader', 'MEMBER')))
            WITH CHECK ((SELECT NOT pg_has_role(current_user, 'findash_reader', 'MEMBER')));
        """
    }.joined(separator: "\n")
}
