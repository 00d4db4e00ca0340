import EntityModel
import Foundation

/// An oaio version stamp: 20 digits of UTC time, `yyyyMMddHHmmss` and six digits of microseconds
/// (`20261124004339145703`). Stamps order as their text does, which is the order of their times.
public struct OaioStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    /// The oldest stamp a client syncs from (`OLDEST_SYNC_STAMP`): every stamp must be newer.
    public static let oldestSync = OaioStamp(microseconds: 1_672_485_071_012_345)
    /// How far a stamp may be ahead of the server's clock (`MAX_STAMP_DIFF`): what clients allow.
    public static let maximumClockDifference: TimeInterval = 69

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The stamp of `date`, to the microsecond (rounded down).
    public init(_ date: Date) {
        microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// Reads a stamp's text: exactly 20 digits naming a valid UTC time; `nil` otherwise.
    public init?(text: String) {
        let digits = Array(text.utf8)
        guard digits.count == 20, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        func number(_ range: Range<Int>) -> Int {
            digits[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        let (year, month, day) = (number(0..<4), number(4..<6), number(6..<8))
        let (hour, minute, second) = (number(8..<10), number(10..<12), number(12..<14))
        guard year >= 1970, (1...12).contains(month),
            (1...CivilCalendar.daysIn(month: Int64(month), year: Int64(year))).contains(Int64(day)),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        microseconds = seconds * 1_000_000 + Int64(number(14..<20))
    }

    /// The 20 digits.
    public var description: String {
        let seconds = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        let (days, secondOfDay) = seconds.quotient.quotientAndRemainder(dividingBy: 86_400)
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay % 3600 / 60)
        let second = Int(secondOfDay % 60)
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(Int(year), 4) + padded(Int(month), 2) + padded(Int(day), 2) + padded(hour, 2) + padded(minute, 2)
            + padded(second, 2) + padded(Int(seconds.remainder), 6)
    }

    /// The next stamp: one microsecond later.
    public var next: OaioStamp { OaioStamp(microseconds: microseconds + 1) }

    public static func < (lhs: OaioStamp, rhs: OaioStamp) -> Bool { lhs.microseconds < rhs.microseconds }
}
