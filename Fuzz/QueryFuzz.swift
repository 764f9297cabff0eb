// libFuzzer target: query strings (Sources/HTTP1/QueryParameters.swift, PercentDecoding.swift)
// and the dashboard's parameter validation (Sources/Dashboard/DashboardParameters.swift,
// CivilDate.swift).
//
// scripts/fuzz.sh compiles those Dashboard files, Sources/HTTP1/*.swift and this file as one
// module named HTTP1 (DashboardParameters' `import HTTP1` then only draws a warning), so the
// parameter code is fuzzed without the rest of Dashboard and its C libraries.
//
// The input is the raw query (the text after `?`). Properties:
//   1. no trap (e.g. a force-unwrap on an impossible date) for any query and several `today`s;
//   2. decoded names and values never contain NUL, and re-encoding the pairs (every byte but
//      unreserved ones as %XX) parses back to the same pairs;
//   3. a successful DashboardParameters keeps its promises (from ≤ to, at most maxRangeDays,
//      previous period from 0001-01-01 on, top in 1...100), and its canonical form, written
//      back as a query, parses to the same parameters (cache keys are stable).

@inline(never)
func fuzzFailure(_ message: String, _ query: String) -> Never {
    fatalError("query property violated: \(message)\nquery: \(query.debugDescription)")
}

let fuzzTodays: [CivilDate] = [
    CivilDate(year: 2026, month: 3, day: 31)!,
    CivilDate(year: 2024, month: 2, day: 29)!,
    CivilDate(year: 1, month: 1, day: 1)!,
    CivilDate(year: 1, month: 2, day: 15)!,
    CivilDate(year: 9999, month: 12, day: 31)!,
]

func fuzzPercentEncode(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".unicodeScalars)
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            out += "%"
            out.unicodeScalars.append(hex[Int(byte >> 4)])
            out.unicodeScalars.append(hex[Int(byte & 15)])
        }
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // A request-target holds only visible ASCII, but the functions take any String: repair
    // invalid UTF-8 (U+FFFD) rather than dropping the input.
    let query = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    if let items = QueryParameters.parse(query) {
        var encoded: [String] = []
        for item in items {
            if item.name.utf8.contains(0) || item.value.utf8.contains(0) { fuzzFailure("NUL in a decoded pair", query) }
            encoded.append(fuzzPercentEncode(item.name) + "=" + fuzzPercentEncode(item.value))
        }
        let reencoded = encoded.joined(separator: "&")
        guard let again = QueryParameters.parse(reencoded) else {
            fuzzFailure("re-encoded pairs do not parse: \(reencoded)", query)
        }
        // A pair with an empty name re-encodes as "=value", which is kept: the pairs must
        // agree one for one.
        if again.count != items.count || !zip(again, items).allSatisfy({ $0.name == $1.name && $0.value == $1.value }) {
            fuzzFailure("re-encoded pairs parse differently: \(reencoded)", query)
        }
    }

    let today = fuzzTodays[size % fuzzTodays.count]
    switch DashboardParameters.parse(rawQuery: Substring(query), today: today) {
    case .failure:
        break
    case .success(let p):
        if p.from > p.to { fuzzFailure("from after to", query) }
        if p.rangeDays > DashboardParameters.maxRangeDays { fuzzFailure("range over the maximum", query) }
        if p.previousFrom < CivilDate(year: 1, month: 1, day: 1)! { fuzzFailure("previous period before year 1", query) }
        if !(1...100).contains(p.top) { fuzzFailure("top out of range", query) }
        // Every day involved must print as a real YYYY-MM-DD that parses back to itself.
        for day in [p.from, p.to, p.asOf, p.previousFrom, p.previousTo] {
            guard CivilDate(iso: Substring(day.description)) == day else {
                fuzzFailure("\(day.daysSinceEpoch) prints as \(day.description), which does not parse back", query)
            }
        }
        let canonical = "from=\(p.from)&to=\(p.to)&as_of=\(p.asOf)&granularity=\(p.granularity.rawValue)"
            + "&top=\(p.top)&include_inactive=\(p.includeInactive)"
        guard case .success(let again) = DashboardParameters.parse(rawQuery: Substring(canonical), today: today), again == p else {
            fuzzFailure("the canonical form \(canonical) does not parse to the same parameters", query)
        }
    }
    return 0
}
