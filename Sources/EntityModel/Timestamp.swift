import Foundation

/// The one timestamp format of EntityHub: RFC 3339 in UTC with milliseconds
/// (`2024-01-02T03:04:05.678Z`), which sorts as text in time order.
public enum Timestamp {
    /// Formats `date` as `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        write(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 text of ``format(_:)`` to `output` (the fast path of JSON responses).
    public static func write(_ date: Date, into output: inout [UInt8]) {
        // Round to whole microseconds first: `Date` keeps seconds since 2001 as a `Double`, so an
        // instant such as 1969-12-31T23:59:59.999Z comes back as …59.998999… and would print as .998.
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = microseconds.floorDiv(1000)
        let seconds = milliseconds.floorDiv(1000)
        let fraction = milliseconds - seconds * 1000
        let days = seconds.floorDiv(86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(fromDays: days)
        if year < 0 { output.append(UInt8(ascii: "-")) }
        appendDigits(year.magnitude, count: max(4, Self.digitCount(year.magnitude)), to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(UInt64(month), count: 2, to: &output)
        output.append(UInt8(ascii: "-"))
        appendDigits(UInt64(day), count: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        appendDigits(UInt64(secondOfDay / 3600), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay / 60 % 60), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(UInt64(secondOfDay % 60), count: 2, to: &output)
        output.append(UInt8(ascii: "."))
        appendDigits(UInt64(fraction), count: 3, to: &output)
        output.append(UInt8(ascii: "Z"))
    }

    /// Appends the last `count` decimal digits of `value`, zero-padded.
    /// How many decimal digits `value` has (at least one).
    private static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }

    private static func appendDigits(_ value: UInt64, count: Int, to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var remaining = value
        var index = start + count - 1
        while index >= start {
            output[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    /// Parses a timestamp written by ``format(_:)`` or any RFC 3339 date-time with offset.
    public static func parse(_ text: String) -> Date? {
        DateValidator.dateTime(text)
    }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
    static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// (year, month, day) → days since 1970-01-01.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDiv(400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
