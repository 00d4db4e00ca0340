import EntityModel

/// An instant written as an ISO 8601 (RFC 3339) date-time with a UTC offset, compared in time order
/// by ``Filter/dateTime(_:_:_:)``.
///
/// The accepted form is strict: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a second (`.` and one
/// or more digits, as many as written), then `Z` or an offset `+HH:MM` / `-HH:MM`. Years run from
/// 0001 to 9999, days must exist in their month (`2021-02-29` does not), hours 00–23, minutes and
/// seconds 00–59 (no leap second), offsets up to ±23:59; `T` and `Z` are upper case. Anything else
/// is not a date-time.
///
/// Instants are exact: nothing rounds through `Double`, and fractions of any length compare
/// digit by digit (`…00.5Z` < `…00.50001Z`, `…00.5Z` == `…00.500Z`).
///
/// ```swift
/// let a = ISO8601Instant("2020-09-09T16:40:00.000Z")!
/// let b = ISO8601Instant("2020-09-09T18:40:00+02:00")!
/// a == b   // true
/// ISO8601Instant("2020-09-09T16:40:00")   // nil: no offset
/// ```
public struct ISO8601Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down: the fraction is added to them).
    public let seconds: Int64
    /// The digits of the fraction of a second after ``seconds``, without trailing zeros (`""` for none).
    public let fractionDigits: String

    /// Parses a date-time of the form described on the type; `nil` for anything else.
    public init?(_ text: String) {
        guard let (seconds, fraction) = Self.parse(Array(text.utf8)) else { return nil }
        self.seconds = seconds
        self.fractionDigits = fraction
    }

    public static func < (lhs: ISO8601Instant, rhs: ISO8601Instant) -> Bool {
        if lhs.seconds != rhs.seconds { return lhs.seconds < rhs.seconds }
        // Without trailing zeros, digit strings order as the fractions they write.
        return lhs.fractionDigits.utf8.lexicographicallyPrecedes(rhs.fractionDigits.utf8)
    }

    /// The instant in UTC, e.g. `2020-09-09T16:40:00.5Z`.
    public var description: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        var text = Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) + "T"
        text += Self.padded(time / 3600, 2) + ":" + Self.padded(time / 60 % 60, 2) + ":" + Self.padded(time % 60, 2)
        if !fractionDigits.isEmpty { text += "." + fractionDigits }
        return text + "Z"
    }

    /// Text whose byte order is the time order of instants, for backends that compare text: the
    /// seconds shifted to be positive in 12 digits, `.`, then ``fractionDigits``.
    public var orderKey: String {
        Self.padded(seconds + 100_000_000_000, 12) + "." + fractionDigits
    }

    // MARK: Parsing

    private static func parse(_ bytes: [UInt8]) -> (Int64, String)? {
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
            index < bytes.count && bytes[index] == UInt8(ascii: character)
        }
        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
            let day = number(8, 2), byte(10, is: "T"), let hour = number(11, 2), byte(13, is: ":"),
            let minute = number(14, 2), byte(16, is: ":"), let second = number(17, 2),
            year >= 1, (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
            hour < 24,
            minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction: [UInt8] = []
        if byte(index, is: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                fraction.append(bytes[index])
                index += 1
            }
            guard !fraction.isEmpty else { return nil }
            while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        }
        var offset: Int64 = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard let offsetHours = number(index + 1, 2), byte(index + 3, is: ":"),
                let offsetMinutes = number(index + 4, 2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return (seconds, String(decoding: fraction, as: UTF8.self))
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
