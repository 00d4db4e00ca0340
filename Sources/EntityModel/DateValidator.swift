import Foundation

/// Strict validation of ISO 8601 / RFC 3339 dates (`2024-01-02`) and date-times
/// (`2024-01-02T03:04:05`, with optional fraction and `Z` or `±hh:mm` offset).
public enum DateValidator {
    /// Whether `text` is a valid calendar date `YYYY-MM-DD`.
    public static func isDate(_ text: String) -> Bool {
        parseDate(Array(text.utf8)[...]) != nil && text.utf8.count == 10
    }

    /// Whether `text` is a valid date-time (offset optional; a missing offset means UTC).
    public static func isDateTime(_ text: String) -> Bool {
        dateTime(text) != nil
    }

    /// Parses a date-time into a `Date`; `nil` when invalid.
    public static func dateTime(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let (year, month, day) = parseDate(bytes[0..<10]) else { return nil }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"),
            let minute = number(bytes[14..<16]), bytes[16] == UInt8(ascii: ":"),
            let second = number(bytes[17..<19]),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > start else { return nil }
            fraction = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self)) ?? 0
        }
        var offsetSeconds: Int64 = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard bytes.count == index + 6, let hours = number(bytes[(index + 1)..<(index + 3)]),
                    bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(bytes[(index + 4)..<(index + 6)]),
                    hours < 24, minutes < 60
                else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            default:
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    static func parseDate(_ bytes: ArraySlice<UInt8>) -> (Int64, Int64, Int64)? {
        guard bytes.count >= 10 else { return nil }
        let start = bytes.startIndex
        guard let year = number(bytes[start..<start + 4]), bytes[start + 4] == UInt8(ascii: "-"),
            let month = number(bytes[start + 5..<start + 7]), bytes[start + 7] == UInt8(ascii: "-"),
            let day = number(bytes[start + 8..<start + 10]),
            (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year)
        else { return nil }
        return (year, month, day)
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : value
    }
}
