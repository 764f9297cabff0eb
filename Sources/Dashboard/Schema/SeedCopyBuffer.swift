/// A byte buffer that formats rows in PostgreSQL's COPY text format (tab-separated,
/// `\N` for NULL, one line per row), without `String` round trips on the hot path.
///
/// Only values that need no escaping go through here: the seeder's own names, codes and
/// numbers never contain tabs, newlines or backslashes.
struct SeedCopyBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func text(_ value: [UInt8]) { bytes.append(contentsOf: value) }
    mutating func text(_ value: String) { bytes.append(contentsOf: value.utf8) }
    mutating func tab() { bytes.append(0x09) }
    mutating func newline() { bytes.append(0x0A) }
    mutating func null() { bytes.append(contentsOf: [0x5C, 0x4E]) }  // \N

    /// A non-negative integer, zero-padded to `width` digits.
    mutating func digits(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(0x30 + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// An integer in decimal.
    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// Cents as an exact decimal with two places: -123450 → `-1234.50`.
    mutating func money(_ cents: Int64) {
        if cents < 0 { bytes.append(0x2D) }
        let magnitude = cents.magnitude
        integer(Int64(magnitude / 100))
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(magnitude % 100 / 10))
        bytes.append(0x30 + UInt8(magnitude % 10))
    }

    /// A day number as `YYYY-MM-DD`.
    mutating func date(_ dayNumber: Int) {
        let (y, m, d) = SeedCalendar.civil(dayNumber)
        digits(y, width: 4)
        bytes.append(0x2D)
        digits(m, width: 2)
        bytes.append(0x2D)
        digits(d, width: 2)
    }

    /// A UTC timestamp: `YYYY-MM-DD HH:MM:SS+00`.
    mutating func timestamp(day dayNumber: Int, second: Int) {
        date(dayNumber)
        bytes.append(0x20)
        digits(second / 3600, width: 2)
        bytes.append(0x3A)
        digits(second / 60 % 60, width: 2)
        bytes.append(0x3A)
        digits(second % 60, width: 2)
        bytes.append(contentsOf: [0x2B, 0x30, 0x30])
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A UUID in canonical lowercase form.
    mutating func uuid(_ value: SeedUUID) {
        let hex = SeedCopyBuffer.hexDigits
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { bytes.append(0x2D) }
            let word = index < 16 ? value.high : value.low
            let shift = UInt64(60 - (index % 16) * 4)
            bytes.append(hex[Int((word >> shift) & 0xF)])
        }
    }
}
