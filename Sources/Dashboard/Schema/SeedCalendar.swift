/// Calendar arithmetic on day numbers (days since 1970-01-01, UTC), for the seeder only;
/// the conversions are `CivilDate`'s.
enum SeedCalendar {
    static func day(year: Int, month: Int, day: Int) -> Int {
        CivilDate(year: year, month: month, day: day)!.daysSinceEpoch
    }

    static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        CivilDate(daysSinceEpoch: dayNumber).components
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ dayNumber: Int) -> Int {
        ((dayNumber + 3) % 7 + 7) % 7
    }

    /// First and last day of the calendar period of `kind` containing `dayNumber`
    /// (weeks are ISO weeks, Monday first).
    static func period(_ kind: SeedPeriod, containing dayNumber: Int) -> (start: Int, end: Int) {
        let (y, m, _) = civil(dayNumber)
        switch kind {
        case .weekly:
            let start = dayNumber - weekday(dayNumber)
            return (start, start + 6)
        case .monthly:
            let start = day(year: y, month: m, day: 1)
            let next = m == 12 ? day(year: y + 1, month: 1, day: 1) : day(year: y, month: m + 1, day: 1)
            return (start, next - 1)
        case .quarterly:
            let firstMonth = (m - 1) / 3 * 3 + 1
            let start = day(year: y, month: firstMonth, day: 1)
            let next = firstMonth == 10 ? day(year: y + 1, month: 1, day: 1) : day(year: y, month: firstMonth + 3, day: 1)
            return (start, next - 1)
        case .yearly:
            return (day(year: y, month: 1, day: 1), day(year: y + 1, month: 1, day: 1) - 1)
        }
    }
}

/// Budget periods of CONTRACT.md §1.
enum SeedPeriod: Int, CaseIterable {
    case weekly, monthly, quarterly, yearly

    var name: String {
        switch self {
        case .weekly: return "weekly"
        case .monthly: return "monthly"
        case .quarterly: return "quarterly"
        case .yearly: return "yearly"
        }
    }
}
