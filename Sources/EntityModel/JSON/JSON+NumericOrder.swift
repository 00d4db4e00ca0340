import Foundation

extension JSON {
    /// Compares two JSON numbers by their exact decimal values, without rounding through `Double`.
    ///
    /// `10`, `10.0` and `1e1` are the same; `9007199254740993` is greater than `9007199254740992`
    /// and `1e400` is greater than `1e399`. Returns `nil` when either value is not a number.
    ///
    /// ```swift
    /// JSON.integer(10).numericallyCompared(to: try JSON(parsing: "1e1"))   // .orderedSame
    /// ```
    public func numericallyCompared(to other: JSON) -> ComparisonResult? {
        switch (self, other) {
        case (.integer(let lhs), .integer(let rhs)):
            return lhs < rhs ? .orderedAscending : lhs == rhs ? .orderedSame : .orderedDescending
        case (.integer(let lhs), .number(let rhs)):
            return ExactDecimal(String(lhs)).compared(to: ExactDecimal(rhs.text))
        case (.number(let lhs), .integer(let rhs)):
            return ExactDecimal(lhs.text).compared(to: ExactDecimal(String(rhs)))
        case (.number(let lhs), .number(let rhs)):
            return ExactDecimal(lhs.text).compared(to: ExactDecimal(rhs.text))
        default:
            return nil
        }
    }
}

/// A JSON number's exact value as sign, significant digits and decimal exponent:
/// value = ±0.d₁d₂d₃… × 10^exponent, with no leading or trailing zero digits (zero has no digits).
struct ExactDecimal {
    let isNegative: Bool
    let digits: [UInt8]
    let exponent: Int

    /// `text` must be valid JSON number syntax.
    init(_ text: String) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var mantissa: [UInt8] = []
        var pointPosition: Int?
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                pointPosition = mantissa.count
            } else {
                mantissa.append(byte - UInt8(ascii: "0"))
            }
        }
        var written = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var sign = 1
            if bytes.first == UInt8(ascii: "-") {
                sign = -1
                bytes = bytes.dropFirst()
            } else if bytes.first == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            for byte in bytes {
                // Saturate: exponents beyond ±10¹⁵ compare the same as infinity would.
                if written < 1_000_000_000_000_000 { written = written * 10 + Int(byte - UInt8(ascii: "0")) }
            }
            written *= sign
        }
        let integerDigits = pointPosition ?? mantissa.count
        let leadingZeros = mantissa.prefix(while: { $0 == 0 }).count
        let significant = mantissa.dropFirst(leadingZeros)
        let trailingZeros = significant.reversed().prefix(while: { $0 == 0 }).count
        self.digits = Array(significant.dropLast(trailingZeros))
        self.exponent = digits.isEmpty ? 0 : written + integerDigits - leadingZeros
        self.isNegative = negative && !digits.isEmpty
    }

    func compared(to other: ExactDecimal) -> ComparisonResult {
        if isNegative != other.isNegative { return isNegative ? .orderedAscending : .orderedDescending }
        let magnitude = compareMagnitude(other)
        guard isNegative else { return magnitude }
        switch magnitude {
        case .orderedAscending: return .orderedDescending
        case .orderedDescending: return .orderedAscending
        case .orderedSame: return .orderedSame
        }
    }

    private func compareMagnitude(_ other: ExactDecimal) -> ComparisonResult {
        if digits.isEmpty || other.digits.isEmpty {
            if digits.isEmpty && other.digits.isEmpty { return .orderedSame }
            return digits.isEmpty ? .orderedAscending : .orderedDescending
        }
        if exponent != other.exponent { return exponent < other.exponent ? .orderedAscending : .orderedDescending }
        for (lhs, rhs) in zip(digits, other.digits) where lhs != rhs {
            return lhs < rhs ? .orderedAscending : .orderedDescending
        }
        if digits.count == other.digits.count { return .orderedSame }
        return digits.count < other.digits.count ? .orderedAscending : .orderedDescending
    }
}
