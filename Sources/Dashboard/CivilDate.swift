/// A calendar day (proleptic Gregorian, UTC), stored as days since 1970-01-01.
/// Pure arithmetic (Howard Hinnant's civil-from-days), so period rules are unit-testable.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }

    /// The day for a valid year/month/day; nil when the day does not exist (2026-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD` (four, two and two ASCII digits) naming a real day.
    public init?(iso text: Substring) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(u[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func today(epochSeconds: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    public var isoWeekday: Int {
        let d = (daysSinceEpoch % 7 + 7) % 7  // 1970-01-01 was a Thursday (4)
        return (d + 3) % 7 + 1
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// Days from `self` to `other` (other − self).
    public func days(to other: CivilDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    public var startOfWeek: CivilDate { adding(days: 1 - isoWeekday) }

    public var startOfMonth: CivilDate {
        let c = components
        return CivilDate(year: c.year, month: c.month, day: 1)!
    }

    /// The first day of the next month (may be year 10000's: arithmetic only, never printed).
    public var startOfNextMonth: CivilDate {
        let c = components
        return adding(days: CivilDate.daysIn(month: c.month, year: c.year) - c.day + 1)
    }

    /// `YYYY-MM-DD`, written into the string's own storage (this is on every request's path).
    public var description: String {
        let c = components
        return String(unsafeUninitializedCapacity: 10) { buf in
            func put(_ value: Int, at end: Int, width: Int) {
                var v = value
                for i in stride(from: end, to: end - width, by: -1) {
                    buf[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                    v /= 10
                }
            }
            put(c.year, at: 3, width: 4)
            buf[4] = UInt8(ascii: "-")
            put(c.month, at: 6, width: 2)
            buf[7] = UInt8(ascii: "-")
            put(c.day, at: 9, width: 2)
            return 10
        }
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
