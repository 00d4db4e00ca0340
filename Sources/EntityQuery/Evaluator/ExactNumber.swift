import EntityModel

/// A number of a value expression, held exactly as PostgreSQL's `numeric` holds it: a sign, the
/// decimal digits of its unscaled magnitude and its scale (value = ±magnitude / 10^scale).
///
/// The scale follows `numeric`'s rules, which decide whether a result is an integer (scale 0, see
/// ``ArithmeticOperator``): a JSON number's scale is its digits after the point with the exponent
/// applied (`2.50` → 2, `1.5e1` → 0), a sum or difference has the larger scale, a product the sum.
struct ExactNumber: Sendable, Equatable {
    var isNegative: Bool
    /// Decimal digits, least significant first, without leading zeros (`[]` is zero).
    var magnitude: [UInt8]
    var scale: Int

    /// The operands arithmetic takes: a magnitude below 10¹⁰⁰ and at most 100 decimal places.
    static let maximumDigits = 100

    init(isNegative: Bool, magnitude: [UInt8], scale: Int) {
        var digits = magnitude
        while digits.last == 0 { digits.removeLast() }
        self.isNegative = isNegative && !digits.isEmpty
        self.magnitude = digits
        self.scale = scale
    }

    /// The number `json` holds; `nil` for other values and numbers out of the operand range.
    init?(_ json: JSON) {
        let text: String
        switch json {
        case .integer(let integer): text = String(integer)
        case .number(let number): text = number.text
        default: return nil
        }
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else {
                digits.append(byte - UInt8(ascii: "0"))
                if inFraction { fractionDigits += 1 }
            }
        }
        var exponent = 0
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            let sign = bytes.first == UInt8(ascii: "-") ? -1 : 1
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            for byte in bytes {
                exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                if exponent > 100_000 { return nil }
            }
            exponent *= sign
        }
        while digits.first == 0 { digits.removeFirst() }
        var scale = fractionDigits - exponent
        if scale < 0 {
            if digits.isEmpty { scale = 0 } else { digits += Array(repeating: 0, count: -scale) }
            scale = 0
        }
        guard scale <= Self.maximumDigits, digits.count - scale <= Self.maximumDigits else { return nil }
        self.init(isNegative: negative, magnitude: digits.reversed(), scale: scale)
    }

    var isZero: Bool { magnitude.isEmpty }

    /// The number as JSON: with `scale` digits after the point (`3.0` stays a decimal), an integer
    /// (`Int64` when it fits) for scale 0.
    var json: JSON {
        var digits = String(magnitude.reversed().map { Character(Unicode.Scalar($0 + UInt8(ascii: "0"))) })
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        if scale > 0 { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale)) }
        let text = (isNegative ? "-" : "") + digits
        if scale == 0, let integer = Int64(text) { return .integer(integer) }
        return JSONNumber(text).map(JSON.number) ?? .null
    }

    static prefix func - (value: ExactNumber) -> ExactNumber {
        ExactNumber(isNegative: !value.isNegative, magnitude: value.magnitude, scale: value.scale)
    }

    static func + (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        let scale = max(lhs.scale, rhs.scale)
        let (a, b) = (lhs.magnitude(at: scale), rhs.magnitude(at: scale))
        if lhs.isNegative == rhs.isNegative {
            return ExactNumber(isNegative: lhs.isNegative, magnitude: Digits.add(a, b), scale: scale)
        }
        if Digits.compare(a, b) != .orderedAscending {
            return ExactNumber(isNegative: lhs.isNegative, magnitude: Digits.subtract(a, b), scale: scale)
        }
        return ExactNumber(isNegative: rhs.isNegative, magnitude: Digits.subtract(b, a), scale: scale)
    }

    static func - (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber { lhs + -rhs }

    static func * (lhs: ExactNumber, rhs: ExactNumber) -> ExactNumber {
        ExactNumber(
            isNegative: lhs.isNegative != rhs.isNegative,
            magnitude: Digits.multiply(lhs.magnitude, rhs.magnitude),
            scale: lhs.scale + rhs.scale
        )
    }

    /// `lhs / rhs` truncated toward zero to `scale` decimal places; `rhs` must not be zero.
    static func quotient(_ lhs: ExactNumber, _ rhs: ExactNumber, scale: Int) -> ExactNumber {
        // lhs / rhs = (A / 10^sa) / (B / 10^sb), so the result's unscaled digits are
        // trunc(A · 10^(sb + scale) / (B · 10^sa)).
        let numerator = Array(repeating: 0, count: rhs.scale + scale) + lhs.magnitude
        let denominator = Array(repeating: 0, count: lhs.scale) + rhs.magnitude
        return ExactNumber(
            isNegative: lhs.isNegative != rhs.isNegative,
            magnitude: Digits.divide(numerator, denominator),
            scale: scale
        )
    }

    /// The value rounded to an integer (scale 0): `mode` `.down` toward zero, `.up` away from zero,
    /// `.plain` half away from zero.
    func rounded(_ mode: RoundingMode) -> ExactNumber {
        let dropped = Array(magnitude.prefix(scale))
        var kept = Array(magnitude.dropFirst(scale))
        let away: Bool
        switch mode {
        case .down: away = false
        case .up: away = dropped.contains { $0 != 0 }
        case .plain: away = (dropped.last ?? 0) >= 5 && dropped.count == scale
        }
        if away { kept = Digits.add(kept, [1]) }
        return ExactNumber(isNegative: isNegative, magnitude: kept, scale: 0)
    }

    /// How ``rounded(_:)`` rounds the magnitude.
    enum RoundingMode { case down, up, plain }

    /// The magnitude's digits at a larger `scale`.
    private func magnitude(at scale: Int) -> [UInt8] {
        magnitude.isEmpty ? [] : Array(repeating: 0, count: scale - self.scale) + magnitude
    }
}

/// Arithmetic on unsigned decimal digit arrays, least significant digit first.
enum Digits {
    static func add(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var carry: UInt8 = 0
        for index in 0..<max(a.count, b.count) {
            let sum = (index < a.count ? a[index] : 0) + (index < b.count ? b[index] : 0) + carry
            result.append(sum % 10)
            carry = sum / 10
        }
        if carry > 0 { result.append(carry) }
        return result
    }

    /// `a - b` for `a >= b`.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var borrow = 0
        for index in 0..<a.count {
            var digit = Int(a[index]) - (index < b.count ? Int(b[index]) : 0) - borrow
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 10 }
            result.append(UInt8(digit))
        }
        while result.last == 0 { result.removeLast() }
        return result
    }

    static func multiply(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        var result = [Int](repeating: 0, count: a.count + b.count)
        for (i, x) in a.enumerated() {
            for (j, y) in b.enumerated() { result[i + j] += Int(x) * Int(y) }
        }
        var carry = 0
        var digits: [UInt8] = []
        for value in result {
            let total = value + carry
            digits.append(UInt8(total % 10))
            carry = total / 10
        }
        while carry > 0 {
            digits.append(UInt8(carry % 10))
            carry /= 10
        }
        while digits.last == 0 { digits.removeLast() }
        return digits
    }

    /// The integer quotient `a / b`, truncated; `b` must not be zero. Schoolbook long division.
    static func divide(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var b = b
        while b.last == 0 { b.removeLast() }
        var quotient: [UInt8] = []
        var remainder: [UInt8] = []
        for digit in a.reversed() {
            remainder.insert(digit, at: 0)
            while remainder.last == 0 { remainder.removeLast() }
            var count: UInt8 = 0
            while compare(remainder, b) != .orderedAscending {
                remainder = subtract(remainder, b)
                count += 1
            }
            quotient.append(count)
        }
        var result = Array(quotient.reversed())
        while result.last == 0 { result.removeLast() }
        return result
    }

    static func compare(_ a: [UInt8], _ b: [UInt8]) -> ComparisonOrder {
        if a.count != b.count { return a.count < b.count ? .orderedAscending : .orderedDescending }
        for index in stride(from: a.count - 1, through: 0, by: -1) where a[index] != b[index] {
            return a[index] < b[index] ? .orderedAscending : .orderedDescending
        }
        return .orderedSame
    }

    enum ComparisonOrder { case orderedAscending, orderedSame, orderedDescending }
}
