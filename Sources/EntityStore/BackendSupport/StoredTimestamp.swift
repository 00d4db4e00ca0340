import EntityModel
import Foundation

/// Timestamps are stored as ``Timestamp/format(_:)`` text (`2024-01-02T03:04:05.678Z`), which sorts
/// and compares as text in time order, so `_meta.created` filters and sorts correctly. They keep
/// millisecond precision. Shared by the backends of this package (`package` access).
package enum StoredTimestamp {
    package static func text(_ date: Date) -> String {
        Timestamp.format(date)
    }

    /// Parses the stored form exactly (integer milliseconds); other forms go through ``Timestamp/parse(_:)``.
    package static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z"),
            let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2),
            let millisecond = digits(bytes, 20, 3)
        else { return Timestamp.parse(text) }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let milliseconds = ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millisecond
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for byte in bytes[start..<(start + count)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days from 1970-01-01 (proleptic Gregorian, Howard Hinnant's algorithm; years 0...9999).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
