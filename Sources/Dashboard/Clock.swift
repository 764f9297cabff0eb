import Glibc

/// Wall-clock readings for the application: Unix seconds, today's UTC date, RFC 3339 stamps.
public enum WallClock {
    public static func now() -> Int64 { Int64(time(nil)) }

    public static func today() -> CivilDate { CivilDate.today(epochSeconds: Int(now())) }

    /// `2026-11-21T10:00:00Z`.
    public static func rfc3339(epochSeconds: Int64) -> String {
        let seconds = Int(epochSeconds)
        let day = CivilDate.today(epochSeconds: seconds)
        let rest = seconds - day.daysSinceEpoch * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }
}
