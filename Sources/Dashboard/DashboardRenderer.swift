/// Turns a statement's rows into the JSON bodies of CONTRACT §4. Pure: rows and parameters in,
/// bytes out. Money is copied from PostgreSQL's text; the only arithmetic here is on counts.
public struct DashboardRenderer: Sendable {
    public let tenant: Tenant
    public let parameters: DashboardParameters
    /// RFC 3339 UTC time the figures were computed.
    public let generatedAt: String

    public init(tenant: Tenant, parameters: DashboardParameters, generatedAt: String) {
        self.tenant = tenant
        self.parameters = parameters
        self.generatedAt = generatedAt
    }

    public func body(_ endpoint: DashboardEndpoint, rows: DashboardRows) -> [UInt8] {
        var json = JSONWriter(capacity: endpoint == .full ? 16_384 : 2048)
        json.beginObject()
        switch endpoint {
        case .full:
            writeTenant(&json)
            writePeriod(&json)
            json.key("as_of"); json.string(parameters.asOf.description)
            json.key("summary"); json.beginObject(); writeSummaryMembers(&json, rows); json.endObject()
            json.key("accounts"); writeAccounts(&json, rows)
            json.key("transactions"); json.beginObject(); writeTransactionMembers(&json, rows); json.endObject()
            json.key("budgets"); writeBudgets(&json, rows)
        case .summary:
            writeTenant(&json)
            writePeriod(&json)
            writeSummaryMembers(&json, rows)
        case .accounts:
            writePeriod(&json)
            json.key("accounts"); writeAccounts(&json, rows)
        case .transactions:
            writePeriod(&json)
            writeTransactionMembers(&json, rows)
        case .budgets:
            json.key("as_of"); json.string(parameters.asOf.description)
            json.key("budgets"); writeBudgets(&json, rows)
        }
        if endpoint == .full || endpoint == .summary {
            json.key("generated_at"); json.string(generatedAt)
        }
        json.endObject()
        return json.bytes
    }

    private func writeTenant(_ json: inout JSONWriter) {
        json.key("tenant")
        json.beginObject()
        json.key("type"); json.string(tenant.type)
        json.key("id"); json.string(tenant.id)
        json.endObject()
    }

    private func writePeriod(_ json: inout JSONWriter) {
        json.key("period")
        json.beginObject()
        json.key("from"); json.string(parameters.from.description)
        json.key("to"); json.string(parameters.to.description)
        json.endObject()
    }

    // MARK: Summary

    private func writeSummaryMembers(_ json: inout JSONWriter, _ rows: DashboardRows) {
        var accounts = 0
        var transactions = 0
        json.key("currencies")
        json.beginArray()
        for r in rows.rows(.summaryCurrencies) {
            json.beginObject()
            json.key("currency"); json.string(r[text: 0])
            json.key("total_assets"); json.string(r[text: 1])
            json.key("total_liabilities"); json.string(r[text: 2])
            json.key("net_worth"); json.string(r[text: 3])
            json.key("income"); json.string(r[text: 4])
            json.key("expenses"); json.string(r[text: 5])
            json.key("net_cash_flow"); json.string(r[text: 6])
            json.key("savings_rate"); json.decimalNumberOrNull(r[7])
            json.endObject()
            accounts += r[int: 8]
            transactions += r[int: 9]
        }
        json.endArray()
        json.key("accounts_count"); json.int(accounts)
        json.key("transactions_count"); json.int(transactions)
        var counts = (total: 0, onTrack: 0, warning: 0, over: 0)
        for r in rows.rows(.budgets) {
            counts.total += 1
            switch r[text: 12] {
            case "over_budget": counts.over += 1
            case "warning": counts.warning += 1
            default: counts.onTrack += 1
            }
        }
        json.key("budgets")
        json.beginObject()
        json.key("total"); json.int(counts.total)
        json.key("on_track"); json.int(counts.onTrack)
        json.key("warning"); json.int(counts.warning)
        json.key("over_budget"); json.int(counts.over)
        json.endObject()
    }

    // MARK: Accounts

    private func writeAccounts(_ json: inout JSONWriter, _ rows: DashboardRows) {
        json.beginArray()
        for r in rows.rows(.accounts) {
            json.beginObject()
            json.key("id"); json.string(r[text: 0])
            json.key("name"); json.string(r[text: 1])
            json.key("type"); json.string(r[text: 2])
            json.key("currency"); json.string(r[text: 3])
            json.key("balance"); json.string(r[text: 4])
            json.key("is_active"); json.bool(r[text: 5] == "true")
            json.key("period_inflow"); json.string(r[text: 6])
            json.key("period_outflow"); json.string(r[text: 7])
            json.key("transactions_count"); json.int(r[int: 8])
            json.key("last_transaction_on"); json.stringOrNull(r[9])
            json.endObject()
        }
        json.endArray()
    }

    // MARK: Transactions

    private func writeTransactionMembers(_ json: inout JSONWriter, _ rows: DashboardRows) {
        json.key("granularity"); json.string(parameters.granularity.rawValue)
        let largest = Dictionary(rows.rows(.largestExpenses).map { ($0[text: 0], $0) }, uniquingKeysWith: { a, _ in a })
        let categories = Dictionary(grouping: rows.rows(.categories), by: { $0[text: 0] })
        let trend = Dictionary(grouping: rows.rows(.trend), by: { $0[text: 0] })
        let buckets = TrendCalendar.bucketStarts(from: parameters.from, to: parameters.to, granularity: parameters.granularity)
        json.key("currencies")
        json.beginArray()
        for r in rows.rows(.transactionCurrencies) {
            let currency = r[text: 0]
            json.beginObject()
            json.key("currency"); json.string(currency)
            json.key("income"); json.string(r[text: 1])
            json.key("expenses"); json.string(r[text: 2])
            json.key("net"); json.string(r[text: 3])
            json.key("count"); json.int(r[int: 4])
            json.key("average_expense"); json.string(r[text: 5])
            json.key("largest_expense")
            if let e = largest[currency] {
                json.beginObject()
                json.key("id"); json.string(e[text: 1])
                json.key("amount"); json.string(e[text: 2])
                json.key("description"); json.string(e[text: 3])
                json.key("category"); json.string(e[text: 4])
                json.key("booked_on"); json.string(e[text: 5])
                json.endObject()
            } else {
                json.null()
            }
            json.key("by_category")
            json.beginArray()
            for c in categories[currency] ?? [] {
                json.beginObject()
                json.key("category"); json.string(c[text: 1])
                json.key("expenses"); json.string(c[text: 2])
                json.key("count"); json.int(c[int: 3])
                json.key("share"); json.decimalNumberOrNull(c[4])
                json.endObject()
            }
            json.endArray()
            json.key("trend")
            writeTrend(&json, buckets: buckets, rows: trend[currency] ?? [])
            json.key("previous_period")
            json.beginObject()
            json.key("from"); json.string(parameters.previousFrom.description)
            json.key("to"); json.string(parameters.previousTo.description)
            json.key("income"); json.string(r[text: 6])
            json.key("expenses"); json.string(r[text: 7])
            json.key("expenses_change_pct"); json.decimalNumberOrNull(r[8])
            json.endObject()
            json.endObject()
        }
        json.endArray()
    }

    /// Every bucket of the calendar in order; those without transactions are zeros.
    private func writeTrend(_ json: inout JSONWriter, buckets: [CivilDate], rows: [[String?]]) {
        var next = 0
        json.beginArray()
        for start in buckets {
            let key = start.description
            while next < rows.count && rows[next][text: 1] < key { next += 1 }
            json.beginObject()
            json.key("start"); json.string(key)
            if next < rows.count && rows[next][text: 1] == key {
                json.key("income"); json.string(rows[next][text: 2])
                json.key("expenses"); json.string(rows[next][text: 3])
                json.key("net"); json.string(rows[next][text: 4])
            } else {
                json.key("income"); json.string("0.00")
                json.key("expenses"); json.string("0.00")
                json.key("net"); json.string("0.00")
            }
            json.endObject()
        }
        json.endArray()
    }

    // MARK: Budgets

    private func writeBudgets(_ json: inout JSONWriter, _ rows: DashboardRows) {
        json.beginArray()
        for r in rows.rows(.budgets) {
            let status = r[text: 12]
            json.beginObject()
            json.key("id"); json.string(r[text: 0])
            json.key("name"); json.string(r[text: 1])
            json.key("category"); json.string(r[text: 2])
            json.key("currency"); json.string(r[text: 3])
            json.key("period"); json.string(r[text: 4])
            json.key("period_start"); json.string(r[text: 5])
            json.key("period_end"); json.string(r[text: 6])
            json.key("budgeted"); json.string(r[text: 7])
            json.key("spent"); json.string(r[text: 8])
            json.key("remaining"); json.string(r[text: 9])
            json.key("percent_used"); json.decimalNumberOrNull(r[10])
            json.key("alert_threshold"); json.decimalNumberOrNull(r[11])
            json.key("status"); json.string(status)
            json.key("alert")
            let percent = JSONWriter.trimmed(r[text: 10])
            switch status {
            case "over_budget":
                json.beginObject()
                json.key("level"); json.string("critical")
                json.key("message"); json.string("\(r[text: 1]) is over its \(r[text: 4]) budget: \(percent)% used")
                json.endObject()
            case "warning":
                json.beginObject()
                json.key("level"); json.string("warning")
                json.key("message"); json.string("\(r[text: 1]) has used \(percent)% of its \(r[text: 4]) budget")
                json.endObject()
            default:
                json.null()
            }
            json.key("projected_spend"); json.string(r[text: 13])
            json.key("days_elapsed"); json.int(r[int: 14])
            json.key("days_remaining"); json.int(r[int: 15])
            json.endObject()
        }
        json.endArray()
    }
}

/// Trend buckets: every day, ISO week (Monday) or calendar month overlapping the range.
public enum TrendCalendar {
    public static func bucketStarts(from: CivilDate, to: CivilDate, granularity: Granularity) -> [CivilDate] {
        var starts: [CivilDate] = []
        var start: CivilDate
        switch granularity {
        case .day: start = from
        case .week: start = from.startOfWeek
        case .month: start = from.startOfMonth
        }
        while start <= to {
            starts.append(start)
            switch granularity {
            case .day: start = start.adding(days: 1)
            case .week: start = start.adding(days: 7)
            case .month: start = start.startOfNextMonth
            }
        }
        return starts
    }
}
