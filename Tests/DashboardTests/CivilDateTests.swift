import Testing
@testable import Dashboard

@Suite struct CivilDateTests {
    @Test func epochIsThursdayJanuaryFirst1970() {
        let d = CivilDate(daysSinceEpoch: 0)
        #expect(d.description == "1970-01-01")
        #expect(d.isoWeekday == 4)
    }

    @Test func roundTripsEveryDayOverFourCenturies() {
        var day = CivilDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch
        let end = CivilDate(year: 2300, month: 12, day: 31)!.daysSinceEpoch
        while day <= end {
            let d = CivilDate(daysSinceEpoch: day)
            let c = d.components
            #expect(CivilDate(year: c.year, month: c.month, day: c.day) == d)
            day += 1
        }
    }

    @Test func rejectsDaysThatDoNotExist() {
        #expect(CivilDate(iso: "2026-02-29") == nil)
        #expect(CivilDate(iso: "2028-02-29") != nil)
        #expect(CivilDate(iso: "2100-02-29") == nil)
        #expect(CivilDate(iso: "2000-02-29") != nil)
        #expect(CivilDate(iso: "2026-02-30") == nil)
        #expect(CivilDate(iso: "2026-13-01") == nil)
        #expect(CivilDate(iso: "2026-00-10") == nil)
        #expect(CivilDate(iso: "2026-04-31") == nil)
        #expect(CivilDate(iso: "0000-01-01") == nil)
    }

    @Test func rejectsMalformedText() {
        for text in ["26-01-01", "2026-1-1", "2026-01-1", "2026/01/01", "2026-01-01 ", " 2026-01-01", "２０２６-01-01", "2026-0a-01", "", "2026-01-011"] {
            #expect(CivilDate(iso: Substring(text)) == nil, "\(text)")
        }
    }

    @Test func isoWeekStartsOnMondayAcrossYearBoundary() {
        let d = CivilDate(iso: "2027-01-01")!  // a Friday
        #expect(d.isoWeekday == 5)
        #expect(d.startOfWeek.description == "2026-12-28")
        #expect(CivilDate(iso: "2026-11-23")!.startOfWeek.description == "2026-11-23")
        #expect(CivilDate(iso: "2026-11-22")!.startOfWeek.description == "2026-11-16")
    }

    @Test func monthArithmeticHandlesLeapYears() {
        #expect(CivilDate(iso: "2028-02-15")!.startOfNextMonth.description == "2028-03-01")
        #expect(CivilDate(iso: "2028-02-29")!.startOfMonth.description == "2028-02-01")
        #expect(CivilDate(iso: "2026-12-31")!.startOfNextMonth.description == "2027-01-01")
    }

    @Test func todayFromEpochSeconds() {
        #expect(CivilDate.today(epochSeconds: 1_795_219_200).description == "2026-11-21")
        #expect(CivilDate.today(epochSeconds: -1).description == "1969-12-31")
    }
}

@Suite struct TrendCalendarTests {
    @Test func weekBucketsStartOnMondaysOverlappingTheRange() {
        let b = TrendCalendar.bucketStarts(from: CivilDate(iso: "2026-12-30")!, to: CivilDate(iso: "2027-01-10")!, granularity: .week)
        #expect(b.map(\.description) == ["2026-12-28", "2027-01-04"])
    }

    @Test func monthBucketsMayStartBeforeFrom() {
        let b = TrendCalendar.bucketStarts(from: CivilDate(iso: "2028-01-15")!, to: CivilDate(iso: "2028-03-01")!, granularity: .month)
        #expect(b.map(\.description) == ["2028-01-01", "2028-02-01", "2028-03-01"])
    }

    @Test func dayBucketsCoverEveryDay() {
        let b = TrendCalendar.bucketStarts(from: CivilDate(iso: "2028-02-27")!, to: CivilDate(iso: "2028-03-01")!, granularity: .day)
        #expect(b.map(\.description) == ["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01"])
    }
}
