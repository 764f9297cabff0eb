/// Calendar arithmetic on day numbers (days since 1970-01-01, UTC), for the seeder only.
///
/// Howard Hinnant's `days_from_civil` / `civil_from_days`: exact for the proleptic
/// Gregorian calendar, leap years included.
enum SeedCalendar {
    static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, m, d)
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
