import Foundation

/// A JSON number kept exactly as it was written, for numbers that are not 64-bit integers.
///
/// Equality and ordering are numeric (`1.50 == 1.5`); the text is what gets serialized.
public struct JSONNumber: Sendable, CustomStringConvertible {
    /// The number's JSON text, e.g. `19.99` or `-1.5e-7`.
    public let text: String

    /// Creates a number from valid JSON number text; returns `nil` when `text` is not one.
    public init?(_ text: String) {
        guard JSONNumber.isValid(text.utf8) else { return nil }
        self.text = text
    }

    init(validatedText: String) {
        self.text = validatedText
    }

    /// The value as a `Double` (rounded to the nearest representable value).
    public var doubleValue: Double { Double(text) ?? .nan }

    public var description: String { text }

    /// Checks the JSON grammar `-? int frac? exp?`.
    static func isValid(_ bytes: String.UTF8View) -> Bool {
        var iterator = Array(bytes)[...]
        if iterator.first == UInt8(ascii: "-") { iterator = iterator.dropFirst() }
        guard let first = iterator.first, isDigit(first) else { return false }
        if first == UInt8(ascii: "0") {
            iterator = iterator.dropFirst()
        } else {
            iterator = iterator.drop(while: isDigit)
        }
        if iterator.first == UInt8(ascii: ".") {
            iterator = iterator.dropFirst()
            guard let digit = iterator.first, isDigit(digit) else { return false }
            iterator = iterator.drop(while: isDigit)
        }
        if iterator.first == UInt8(ascii: "e") || iterator.first == UInt8(ascii: "E") {
            iterator = iterator.dropFirst()
            if iterator.first == UInt8(ascii: "+") || iterator.first == UInt8(ascii: "-") {
                iterator = iterator.dropFirst()
            }
            guard let digit = iterator.first, isDigit(digit) else { return false }
            iterator = iterator.drop(while: isDigit)
        }
        return iterator.isEmpty
    }

    /// Whether `byte` is an ASCII digit.
    @inline(__always) public static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

extension JSONNumber: Hashable, Comparable {
    /// Exact numeric equality: `1.50 == 1.5`, but `1e400 != 2e400` (no rounding through `Double`).
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.text == rhs.text || ExactDecimal(lhs.text).compared(to: ExactDecimal(rhs.text)) == .orderedSame
    }

    /// Hashes the rounded `Double` value: numbers that are exactly equal always round alike.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(doubleValue)
    }

    /// Exact numeric order (no rounding through `Double`).
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        ExactDecimal(lhs.text).compared(to: ExactDecimal(rhs.text)) == .orderedAscending
    }
}
