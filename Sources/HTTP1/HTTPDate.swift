/// The `Date` header's format, IMF-fixdate (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
/// Pure arithmetic — Howard Hinnant's `civil_from_days` — so no Foundation and no locale.
/// A server formats it once a second, not per response.
public enum HTTPDate {
    private static let dayNames: StaticString = "SunMonTueWedThuFriSat"
    private static let monthNames: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"

    /// Formats seconds since 1970-01-01T00:00:00Z. Values outside 1970-01-01 … 9999-12-31T23:59:59
    /// are clamped to that range, so the result is always 29 well-formed bytes.
    public static func imfFixdate(epochSeconds: Int) -> String {
        let t = min(max(epochSeconds, 0), 253_402_300_799)
        let days = t / 86400
        let secondOfDay = t % 86400
        let (year, month, day) = civil(fromDays: days)
        let weekday = (days + 4) % 7  // 1970-01-01 was a Thursday; 0 is Sunday
        return String(unsafeUninitializedCapacity: 29) { out in
            var n = 0
            func put(_ b: UInt8) { out[n] = b; n += 1 }
            func put3(_ names: StaticString, _ index: Int) {
                for k in 0..<3 { put(names.utf8Start[index * 3 + k]) }
            }
            func put2(_ v: Int) { put(UInt8(48 + v / 10)); put(UInt8(48 + v % 10)) }
            put3(dayNames, weekday)
            put(44); put(32)  // ", "
            put2(day); put(32)
            put3(monthNames, month - 1); put(32)
            put2(year / 100); put2(year % 100); put(32)
            put2(secondOfDay / 3600); put(58)
            put2(secondOfDay / 60 % 60); put(58)
            put2(secondOfDay % 60)
            put(32); put(71); put(77); put(84)  // " GMT"
            return n
        }
    }

    /// Year, month (1–12) and day (1–31) of a day count since 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097  // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // [0, 365]
        let mp = (5 * doy + 2) / 153  // [0, 11], March-based
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
