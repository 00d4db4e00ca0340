/// The range of PostgreSQL's `numeric` (and so of numbers in `jsonb`): at most 131,072 digits before
/// the decimal point and 16,383 after it. Stored and query numbers outside it are brought into it,
/// so they compare as SQLite compares such numbers (as the nearest double: infinitely large ones
/// equal, vanishingly small ones zero), while reads still return their exact text.
enum NumericRange {
    /// Digits before the decimal point `numeric` holds at most.
    static let integerDigits = 131_072
    /// Digits after the decimal point `numeric` holds at most.
    static let fractionDigits = 16_383

    /// The text of a JSON number, unchanged when `numeric` holds it; otherwise the largest number of
    /// its sign for numbers too large, and the number cut after 16,383 fractional digits (zero when
    /// nothing is left) for numbers too small.
    static func clamped(_ text: String) -> String {
        let utf8 = text.utf8
        // Without an exponent a number needs as many characters as digits: the common case is short.
        guard
            utf8.contains(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) || utf8.count > fractionDigits
        else { return text }
        guard let parsed = Parsed(text) else { return text }
        if parsed.digits.isEmpty { return "0" }
        let sign = parsed.negative ? "-" : ""
        // value = digits × 10^exponent
        let integerPlaces = parsed.digits.count + parsed.exponent
        if integerPlaces > integerDigits { return sign + "9e\(integerDigits - 1)" }
        guard parsed.exponent < -fractionDigits else { return text }
        let kept = parsed.digits.count - (-fractionDigits - parsed.exponent)
        guard kept > 0 else { return "0" }
        return sign + String(parsed.digits.prefix(kept)) + "e-\(fractionDigits)"
    }

    /// A JSON number as sign, significant digits (no leading zeros) and a power of ten.
    private struct Parsed {
        var negative = false
        var digits: [Character] = []
        var exponent = 0

        init?(_ text: String) {
            var rest = Substring(text)
            if rest.first == "-" {
                negative = true
                rest = rest.dropFirst()
            }
            let mantissa = rest.prefix { $0 != "e" && $0 != "E" }
            let exponentText = rest.dropFirst(mantissa.count + 1)
            var fraction = 0
            var seenPoint = false
            for character in mantissa {
                if character == "." {
                    seenPoint = true
                } else if character.isASCII, character.isNumber {
                    if !(digits.isEmpty && character == "0") { digits.append(character) }
                    if seenPoint { fraction += 1 }
                } else {
                    return nil
                }
            }
            var written = 0
            if !exponentText.isEmpty {
                // An exponent beyond Int's range is far beyond numeric's either way.
                guard let value = Int(exponentText.hasPrefix("+") ? exponentText.dropFirst() : exponentText) else {
                    let negativeExponent = exponentText.hasPrefix("-")
                    written = negativeExponent ? Int.min / 2 : Int.max / 2
                    exponent = written
                    return
                }
                written = value
            }
            exponent = written - fraction
        }
    }
}
