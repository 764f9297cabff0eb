// bench/sqlgen: prints the exact statement text findash sends for each dashboard endpoint.
//
// Compiled by bench/run.sh together with Sources/Dashboard/DashboardSQL.swift (the one source of
// the server's SQL), so the floor runs what the server runs without editing Sources:
//   swiftc -O Sources/Dashboard/DashboardSQL.swift bench/sqlgen/main.swift -o sqlgen
//   sqlgen DIR   →   DIR/<endpoint>.sql, one raw statement each ($1 … $9 as in DashboardSQL)
// The endpoint → sections table mirrors DashboardEndpoint.sections; run.sh checks the result
// against the statements the running server actually prepared (PostgreSQL log).
import Foundation

let endpoints: [(String, [DashboardSQL.Section])] = [
    ("dashboard", DashboardSQL.Section.allCases),
    ("summary", [.summaryCurrencies, .budgets]),
    ("accounts", [.accounts]),
    ("transactions", [.transactionCurrencies, .largestExpenses, .categories, .trend]),
    ("budgets", [.budgets]),
]

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write("usage: sqlgen DIR\n".data(using: .utf8)!)
    exit(2)
}
let dir = CommandLine.arguments[1]
for (name, sections) in endpoints {
    let path = dir + "/" + name + ".sql"
    try DashboardSQL.statement(sections).write(toFile: path, atomically: true, encoding: .utf8)
}
