import EntityModel
import Foundation

extension Evaluator {
    /// `function(arguments)` per ``ScalarFunction``; `null` for wrong arguments.
    package static func call(_ function: ScalarFunction, _ arguments: [JSON]) -> JSON {
        let strings = arguments.compactMap(\.stringValue)
        switch (function, arguments.count) {
        case (.now, 0): return .string(Timestamp.format(Date()))
        case (.mindatetime, 0): return .string("0001-01-01T00:00:00Z")
        case (.maxdatetime, 0): return .string("9999-12-31T23:59:59.999Z")
        case (.round, 1), (.floor, 1), (.ceiling, 1): return rounded(arguments[0], function)
        case (.substring, 2), (.substring, 3):
            guard case .string(let text) = arguments[0], let start = position(arguments[1]) else { return .null }
            var scalars = text.unicodeScalars.dropFirst(start)
            if arguments.count == 3 {
                guard let count = position(arguments[2]) else { return .null }
                scalars = scalars.prefix(count)
            }
            return .string(String(String.UnicodeScalarView(scalars)))
        default:
            break
        }
        guard strings.count == arguments.count else { return .null }
        switch (function, strings.count) {
        case (.tolower, 1): return .string(mapASCII(strings[0], from: "A", to: "a"))
        case (.toupper, 1): return .string(mapASCII(strings[0], from: "a", to: "A"))
        case (.trim, 1):
            let scalars = strings[0].unicodeScalars.drop { $0 == " " }
            let end = scalars.lastIndex { $0 != " " }.map { scalars.index(after: $0) } ?? scalars.startIndex
            return .string(String(String.UnicodeScalarView(scalars[..<end])))
        case (.length, 1): return .integer(Int64(strings[0].unicodeScalars.count))
        case (.indexof, 2):
            return .integer(indexOf(Array(strings[1].unicodeScalars), in: Array(strings[0].unicodeScalars)))
        case (.concat, 2): return .string(strings[0] + strings[1])
        case (_, 1):
            return DateTimeParts(strings[0])?.component(function) ?? .null
        default:
            return .null
        }
    }

    /// `text` with the 26 ASCII letters starting at `from` mapped to those starting at `to`.
    private static func mapASCII(_ text: String, from: Unicode.Scalar, to: Unicode.Scalar) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value >= from.value, scalar.value < from.value + 26 {
                result.append(Unicode.Scalar(scalar.value - from.value + to.value)!)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func indexOf(_ part: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Int64 {
        guard part.count <= text.count else { return -1 }
        for start in 0...(text.count - part.count) where text[start..<start + part.count].elementsEqual(part) {
            return Int64(start)
        }
        return -1
    }

    /// An integer argument as a position or count: negative ones count as 0, at most 10⁹ (more
    /// than any string holds); `nil` for anything but an integer.
    private static func position(_ value: JSON) -> Int? {
        guard let number = ExactNumber(value), number.scale == 0 else { return nil }
        if number.isNegative { return 0 }
        if number.magnitude.count > 9 { return 1_000_000_000 }
        return number.magnitude.reversed().reduce(0) { $0 * 10 + Int($1) }
    }

    /// `round`, `floor`, `ceiling`: integers unchanged, decimals to a decimal without fraction
    /// (scale 1, as PostgreSQL's `round(x) + 0.0`).
    private static func rounded(_ value: JSON, _ function: ScalarFunction) -> JSON {
        guard let number = ExactNumber(value) else { return .null }
        if number.scale == 0 { return number.json }
        let mode: ExactNumber.RoundingMode
        switch function {
        case .floor: mode = number.isNegative ? .up : .down
        case .ceiling: mode = number.isNegative ? .down : .up
        default: mode = .plain
        }
        let integer = number.rounded(mode)
        return ExactNumber(isNegative: integer.isNegative, magnitude: [0] + integer.magnitude, scale: 1).json
    }
}

/// The parts of a date-time (as ``ISO8601Instant`` accepts it) or a date `YYYY-MM-DD`, as written.
struct DateTimeParts {
    var year: Int64, month: Int64, day: Int64
    var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
    /// The fraction's digits as written (trailing zeros kept), `""` for none.
    var fraction = ""
    var offsetMinutes: Int64 = 0
    var text: String

    init?(_ text: String) {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard JSONNumber.isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        self.text = text
        if bytes.count == 10 {
            guard let year = number(0, 4), bytes[4] == UInt8(ascii: "-"), let month = number(5, 2),
                bytes[7] == UInt8(ascii: "-"), let day = number(8, 2), year >= 1, (1...12).contains(month),
                day >= 1, day <= CivilCalendar.daysIn(month: month, year: year)
            else { return nil }
            (self.year, self.month, self.day) = (year, month, day)
            return
        }
        guard ISO8601Instant(text) != nil, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            while JSONNumber.isDigit(bytes[index]) { index += 1 }
            fraction = String(decoding: bytes[20..<index], as: UTF8.self)
        }
        if bytes[index] != UInt8(ascii: "Z"), let hours = number(index + 1, 2), let minutes = number(index + 4, 2) {
            offsetMinutes = (hours * 60 + minutes) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        }
    }

    /// The value of a date-time function of one argument; `null` for other functions.
    func component(_ function: ScalarFunction) -> JSON {
        switch function {
        case .year: return .integer(year)
        case .month: return .integer(month)
        case .day: return .integer(day)
        case .hour: return .integer(hour)
        case .minute: return .integer(minute)
        case .second: return .integer(second)
        case .fractionalseconds: return JSONNumber("0." + (fraction.isEmpty ? "0" : fraction)).map(JSON.number) ?? .null
        case .date: return .string(String(text.prefix(10)))
        case .time:
            let clock = text.count == 10 ? "00:00:00" : String(text.dropFirst(11).prefix(8))
            return .string(fraction.isEmpty ? clock : clock + "." + fraction)
        case .totaloffsetminutes: return .integer(offsetMinutes)
        default: return .null
        }
    }
}
