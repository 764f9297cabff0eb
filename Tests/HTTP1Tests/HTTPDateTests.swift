import Testing

@testable import HTTP1

struct HTTPDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 GMT"),
        (1_709_251_200, "Fri, 01 Mar 2024 00:00:00 GMT"),
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (1_735_689_599, "Tue, 31 Dec 2024 23:59:59 GMT"),
        (2_147_483_647, "Tue, 19 Jan 2038 03:14:07 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func knownInstants_formatAsIMFFixdate(_ seconds: Int, _ text: String) {
        #expect(HTTPDate.imfFixdate(epochSeconds: seconds) == text)
    }

    @Test func outOfRangeInstants_areClamped() {
        #expect(HTTPDate.imfFixdate(epochSeconds: -1) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.imfFixdate(epochSeconds: Int.min) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.imfFixdate(epochSeconds: Int.max) == "Fri, 31 Dec 9999 23:59:59 GMT")
    }

    @Test func everyDayFor400Years_followsTheCalendar() {
        // Walk day by day from 1970 and compare with a naive calendar.
        var (y, m, d) = (1970, 1, 1)
        func daysIn(_ y: Int, _ m: Int) -> Int {
            switch m {
            case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        var wrong = 0
        for day in 0..<(146_097) {
            let c = HTTPDate.civil(fromDays: day)
            if c.year != y || c.month != m || c.day != d { wrong += 1 }
            d += 1
            if d > daysIn(y, m) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
        }
        #expect(wrong == 0)
    }
}
