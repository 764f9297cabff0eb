/// The vocabulary of the demo data: currencies, account types, categories, merchants.
///
/// Strings are interned once into byte arrays so the COPY writer only copies bytes; a
/// transaction refers to its category and description by small indices.
struct SeedCatalog {
    /// Category names; a transaction's `category` indexes this (-1 is NULL).
    private(set) var categoryNames: [[UInt8]] = []
    /// Descriptions; a transaction's `description` indexes this.
    private(set) var descriptions: [[UInt8]] = []

    /// Expense categories for people and for organisations.
    private(set) var personalSpending: SeedSpendingTable!
    private(set) var businessSpending: SeedSpendingTable!

    /// Income kinds (category index, description index) for people and organisations.
    private(set) var salary: (category: Int8, descriptions: [Int16]) = (0, [])
    private(set) var sales: (category: Int8, descriptions: [Int16]) = (0, [])
    private(set) var services: (category: Int8, descriptions: [Int16]) = (0, [])
    private(set) var interest: (category: Int8, descriptions: [Int16]) = (0, [])
    private(set) var dividends: (category: Int8, descriptions: [Int16]) = (0, [])
    /// The optional category of transfers (most transfers have none).
    private(set) var transferCategory: Int8 = 0
    /// Outgoing and incoming descriptions per transfer purpose.
    private(set) var transferDescriptions: [SeedTransferPurpose: (out: Int16, in: Int16)] = [:]
    /// A budget category nobody spends in (a budget on it stays at zero).
    private(set) var unusedCategory: Int8 = 0

    static let standard = SeedCatalog()

    private init() {
        personalSpending = SeedSpendingTable(entries: [
            entry("groceries", 24, 8, 220, ["Whole Foods Market", "Trader Joe's", "Safeway", "Aldi", "Costco", "Farmers market"]),
            entry("dining", 16, 6, 150, ["Blue Bottle Coffee", "Chipotle", "Pizza Palace", "Sushi Bar", "Corner Bistro", "Food delivery"]),
            entry("transport", 12, 2, 90, ["Metro card", "Uber", "Lyft", "Shell", "Chevron", "City parking"]),
            entry("utilities", 6, 30, 260, ["Electric company", "Water utility", "Internet provider", "Mobile phone plan", "Gas utility"]),
            entry("housing", 4, 600, 2800, ["Rent", "Mortgage payment", "HOA fees", "Home repairs"]),
            entry("entertainment", 8, 5, 160, ["Netflix", "Spotify", "Cinema", "Concert tickets", "Steam", "Bookstore"]),
            entry("health", 5, 10, 400, ["Pharmacy", "Dentist", "Gym membership", "Clinic copay", "Optician"]),
            entry("shopping", 11, 10, 500, ["Amazon", "Target", "IKEA", "Apple Store", "Clothing store"]),
            entry("travel", 3, 80, 1800, ["Airline tickets", "Hotel", "Car rental", "Train tickets"]),
            entry("education", 2, 20, 900, ["Online course", "Tuition", "Books and supplies"]),
            entry("insurance", 3, 40, 400, ["Car insurance", "Health insurance", "Home insurance"]),
        ])
        businessSpending = SeedSpendingTable(entries: [
            entry("payroll", 6, 1000, 12000, ["Payroll run", "Contractor payment", "Bonus payout"]),
            entry("software", 14, 10, 2000, ["Cloud hosting", "SaaS subscription", "Domain renewal", "Software license"]),
            entry("office", 12, 20, 1500, ["Office supplies", "Coworking space", "Furniture", "Printer service"]),
            entry("marketing", 9, 50, 8000, ["Online ads", "Trade show", "Print campaign", "Sponsorship"]),
            entry("travel", 8, 80, 3500, ["Airline tickets", "Hotel", "Car rental", "Train tickets"]),
            entry("dining", 10, 15, 600, ["Client lunch", "Team dinner", "Catering", "Coffee supplies"]),
            entry("utilities", 5, 80, 1500, ["Electric company", "Internet provider", "Mobile phone plan"]),
            entry("housing", 2, 2000, 15000, ["Office rent", "Warehouse lease"]),
            entry("insurance", 3, 200, 4000, ["Liability insurance", "Property insurance"]),
            entry("legal", 3, 200, 6000, ["Law firm retainer", "Accounting services", "Filing fees"]),
        ])
        salary = income("salary", ["Payroll deposit", "Salary", "Paycheck"])
        sales = income("sales", ["Customer payment", "Online store payout", "Invoice paid"])
        services = income("services", ["Consulting fee", "Service contract", "Retainer received"])
        interest = income("interest", ["Interest payment", "Savings interest"])
        dividends = income("dividends", ["Dividend", "Fund distribution"])
        transferCategory = category("transfer")
        unusedCategory = category("gifts")
        for purpose in SeedTransferPurpose.allCases {
            transferDescriptions[purpose] = (describe(purpose.outgoing), describe(purpose.incoming))
        }
    }

    private mutating func category(_ name: String) -> Int8 {
        if let index = categoryNames.firstIndex(of: Array(name.utf8)) { return Int8(index) }
        categoryNames.append(Array(name.utf8))
        return Int8(categoryNames.count - 1)
    }

    private mutating func describe(_ text: String) -> Int16 {
        if let index = descriptions.firstIndex(of: Array(text.utf8)) { return Int16(index) }
        descriptions.append(Array(text.utf8))
        return Int16(descriptions.count - 1)
    }

    private mutating func entry(_ name: String, _ weight: Int, _ minimum: Double, _ maximum: Double, _ merchants: [String]) -> SeedSpendingEntry {
        SeedSpendingEntry(category: category(name), weight: weight, minimum: minimum, maximum: maximum,
                          merchants: merchants.map { describe($0) })
    }

    private mutating func income(_ name: String, _ texts: [String]) -> (category: Int8, descriptions: [Int16]) {
        (category(name), texts.map { describe($0) })
    }

    /// "Refund: " is prefixed to the merchant of a positive expense.
    static let refundPrefix: [UInt8] = Array("Refund: ".utf8)
}

/// One expense category with its share of transactions and typical amount range (in US
/// dollars before the tenant's scale and currency are applied).
struct SeedSpendingEntry {
    let category: Int8
    let weight: Int
    let minimum: Double
    let maximum: Double
    let merchants: [Int16]
}

/// A weighted list of expense categories.
struct SeedSpendingTable {
    let entries: [SeedSpendingEntry]
    let weights: [Int]
    let totalWeight: Int

    init(entries: [SeedSpendingEntry]) {
        self.entries = entries
        weights = entries.map(\.weight)
        totalWeight = weights.reduce(0, +)
    }
}

/// Why money moves between two accounts of one tenant.
enum SeedTransferPurpose: CaseIterable {
    case savings, cardPayment, loanPayment, investing

    var outgoing: String {
        switch self {
        case .savings: return "Transfer to savings"
        case .cardPayment: return "Credit card payment"
        case .loanPayment: return "Loan payment"
        case .investing: return "Investment contribution"
        }
    }

    var incoming: String {
        switch self {
        case .savings: return "Transfer from checking"
        case .cardPayment: return "Payment received - thank you"
        case .loanPayment: return "Loan payment received"
        case .investing: return "Contribution received"
        }
    }
}

/// The currencies of the demo data. All amounts are `numeric(19,2)`; JPY has no minor
/// unit, so its amounts are whole yen written with `.00`.
enum SeedCurrency: Int, CaseIterable {
    case usd, eur, gbp, jpy

    var code: [UInt8] {
        switch self {
        case .usd: return Array("USD".utf8)
        case .eur: return Array("EUR".utf8)
        case .gbp: return Array("GBP".utf8)
        case .jpy: return Array("JPY".utf8)
        }
    }

    /// Converts an amount in US dollars to this currency's cents (rounded to whole yen for JPY).
    func cents(fromDollars dollars: Double) -> Int64 {
        switch self {
        case .usd: return Int64((dollars * 100).rounded())
        case .eur: return Int64((dollars * 92).rounded())
        case .gbp: return Int64((dollars * 79).rounded())
        case .jpy: return Int64((dollars * 150).rounded()) * 100
        }
    }

    /// The smallest amount that reads naturally as a budget step (10 units).
    var roundingStep: Int64 { 1000 }
}

/// Account types of CONTRACT.md §1.
enum SeedAccountType: Int, CaseIterable {
    case checking, savings, cash, investment, creditCard, loan

    var name: [UInt8] {
        switch self {
        case .checking: return Array("checking".utf8)
        case .savings: return Array("savings".utf8)
        case .cash: return Array("cash".utf8)
        case .investment: return Array("investment".utf8)
        case .creditCard: return Array("credit_card".utf8)
        case .loan: return Array("loan".utf8)
        }
    }

    var isLiability: Bool { self == .creditCard || self == .loan }
}

/// Transaction kinds of CONTRACT.md §1.
enum SeedKind: UInt8 {
    case income, expense, transfer

    var name: [UInt8] {
        switch self {
        case .income: return Array("income".utf8)
        case .expense: return Array("expense".utf8)
        case .transfer: return Array("transfer".utf8)
        }
    }
}
