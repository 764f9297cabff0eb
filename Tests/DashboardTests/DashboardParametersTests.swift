import Testing
@testable import Dashboard

@Suite struct DashboardParametersTests {
    let today = CivilDate(iso: "2026-11-21")!

    func parse(_ query: String) -> Result<DashboardParameters, DashboardParameters.Invalid> {
        DashboardParameters.parse(rawQuery: Substring(query), today: today)
    }

    func invalidParameter(_ query: String) -> String? {
        if case .failure(let e) = parse(query) { return e.parameter }
        return nil
    }

    @Test func defaultsAreMonthToDate() throws {
        let p = try parse("").get()
        #expect(p.from.description == "2026-11-01")
        #expect(p.to.description == "2026-11-21")
        #expect(p.asOf == p.to)
        #expect(p.granularity == .day)
        #expect(p.top == 10)
        #expect(p.includeInactive == false)
    }

    @Test func explicitDefaultsEqualImplicitOnes() throws {
        #expect(try parse("") .get() == parse("to=2026-11-21&from=2026-11-01&as_of=2026-11-21&top=10&granularity=day&include_inactive=false").get())
    }

    @Test func defaultFromIsFirstOfToMonth() throws {
        let p = try parse("to=2025-03-15").get()
        #expect(p.from.description == "2025-03-01")
    }

    @Test func granularityDefaultsByRangeLength() throws {
        #expect(try parse("from=2026-01-01&to=2026-01-31").get().granularity == .day)
        #expect(try parse("from=2026-01-01&to=2026-02-01").get().granularity == .week)
        #expect(try parse("from=2026-01-01&to=2026-07-02").get().granularity == .week)  // 183 days
        #expect(try parse("from=2026-01-01&to=2026-07-03").get().granularity == .month)
    }

    @Test func previousPeriodHasTheSameLength() throws {
        let p = try parse("from=2026-11-01&to=2026-11-21").get()
        #expect(p.previousFrom.description == "2026-10-11")
        #expect(p.previousTo.description == "2026-10-31")
    }

    @Test func badValuesNameTheirParameter() {
        #expect(invalidParameter("from=2026-02-30") == "from")
        #expect(invalidParameter("to=2026-13-01") == "to")
        #expect(invalidParameter("as_of=26-01-01") == "as_of")
        #expect(invalidParameter("from=2026-11-22&to=2026-11-21") == "from")
        #expect(invalidParameter("top=0") == "top")
        #expect(invalidParameter("top=101") == "top")
        #expect(invalidParameter("top=abc") == "top")
        #expect(invalidParameter("top=+5") == "top")
        #expect(invalidParameter("include_inactive=yes") == "include_inactive")
        #expect(invalidParameter("granularity=year") == "granularity")
        #expect(invalidParameter("from=%zz") == "from")
        #expect(invalidParameter("top=%C0%B1&from=2026-01-01") == "top")
    }

    @Test func unknownParametersAreIgnoredWhateverTheirBytes() {
        for query in ["x=%FF", "%FF=1", "utm=100%", "a=%00&from=2026-11-01", "from=2026-11-01&from=%zz"] {
            #expect((try? parse(query).get()) != nil, "\(query)")
        }
    }

    @Test func rangeLimitIs1830DaysInclusive() {
        // 2020-01-01 + 1829 days = 2025-01-03: 1,830 days in all.
        #expect((try? parse("from=2020-01-01&to=2025-01-03").get()) != nil)
        #expect(invalidParameter("from=2020-01-01&to=2025-01-04") == "to")
    }

    @Test func unknownParametersAreIgnored() throws {
        #expect(try parse("foo=bar&tenant_id=evil").get() == parse("").get())
    }
}

@Suite struct EarliestDatesTests {
    @Test func previousPeriodBeforeYearOneIsRejectedNamingFrom() {
        let today = CivilDate(iso: "2026-11-21")!
        let r = DashboardParameters.parse(rawQuery: "from=0001-01-01&to=0001-01-05", today: today)
        guard case .failure(let e) = r else { Issue.record("accepted a range whose previous period is in year 0"); return }
        #expect(e.parameter == "from")
        #expect((try? DashboardParameters.parse(rawQuery: "from=0001-01-06&to=0001-01-10", today: today).get()) != nil)
    }
}
