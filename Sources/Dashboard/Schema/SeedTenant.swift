/// One demo tenant and its share of the transactions.
struct SeedTenant {
    let index: Int
    let isOrganization: Bool
    let id: String

    var typeName: String { isOrganization ? "organization" : "user" }
    let transactionCount: Int

    /// The tenants of a run, largest first.
    ///
    /// Sizes follow Zipf's law with exponent 1.2 (weight 1/rank^1.2): with 50 tenants the
    /// largest gets 30 % of all transactions, the second 13 %, and 33 of them under 1 % each.
    static func plan(_ options: SeedOptions) -> [SeedTenant] {
        // The fields are public vars: clamp again rather than trust init's clamping.
        let count = max(1, options.tenants)
        let total = max(0, options.transactions)
        let weights = (0..<count).map { 1 / SeedMath.pow(Double($0 + 1), 1.2) }
        let totalWeight = weights.reduce(0, +)
        var sizes = weights.map { Int(Double(total) * $0 / totalWeight) }
        sizes[0] += total - sizes.reduce(0, +)

        var tenants: [SeedTenant] = []
        var users = 0
        var organizations = 0
        for index in 0..<count {
            let isOrganization: Bool
            let id: String
            if index == 1 {
                // Same tenant_id as tenant 0, other tenant_type: the isolation showcase.
                isOrganization = true
                id = tenants[0].id
            } else if index % 3 == 2 {
                organizations += 1
                isOrganization = true
                id = "org_" + padded(organizations)
            } else {
                users += 1
                isOrganization = false
                id = "user_" + padded(users)
            }
            tenants.append(SeedTenant(index: index, isOrganization: isOrganization, id: id, transactionCount: sizes[index]))
        }
        return tenants
    }

    private static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
