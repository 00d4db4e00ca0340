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
        let milliseconds = microseconds.floorDivided(by: 1000)
        let seconds = milliseconds.floorDivided(by: 1000)
        let fraction = milliseconds - seconds * 1000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromDays: days)
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
}
