/// One byte of percent-decoded RQL text, remembering whether it was written as `%XX` and where it
/// came from.
///
/// Structure (`(` `)` `,` `&` `=`) is recognised only in bytes written literally, so `a%2Cb` is one
/// value `a,b`. Quotes count either way, because HTTP clients percent-encode `"`.
struct RQLUnit: Sendable {
    let byte: UInt8
    /// True when the byte was decoded from `%XX` (or from `+` in form-encoded text).
    let escaped: Bool
    /// Byte offset of the unit's source text in the raw input.
    let offset: Int

    /// Whether this is `character` written literally.
    func isLiteral(_ character: Unicode.Scalar) -> Bool {
        !escaped && byte == UInt8(ascii: character)
    }

    /// Whether this byte is a quote character (`"` or `'`), written literally or percent-encoded.
    var isQuote: Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// Percent-decodes `raw[range]`; a `%` not followed by two hex digits stays a literal `%`.
    /// With `formEncoded`, a literal `+` becomes a space.
    static func decode(_ raw: [UInt8], _ range: Range<Int>, formEncoded: Bool = false) -> [RQLUnit] {
        var units: [RQLUnit] = []
        units.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = raw[index]
            if byte == UInt8(ascii: "%"), index + 3 <= range.upperBound,
                let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
            {
                units.append(RQLUnit(byte: high << 4 | low, escaped: true, offset: index))
                index += 3
            } else if formEncoded, byte == UInt8(ascii: "+") {
                units.append(RQLUnit(byte: UInt8(ascii: " "), escaped: true, offset: index))
                index += 1
            } else {
                units.append(RQLUnit(byte: byte, escaped: false, offset: index))
                index += 1
            }
        }
        return units
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Array where Element == RQLUnit {
    /// The decoded bytes as text; `nil` when they are not valid UTF-8.
    var text: String? {
        String(validating: map(\.byte), as: UTF8.self)
    }
}

extension Array where Element == RQLUnit {
    /// When the quote at `open` starts a quoted value, the index of its closing quote.
    ///
    /// The closing quote is the next unit with the same quote byte that is not doubled (a doubled
    /// quote stands for one quote character), and it must be followed by a literal `,` or `)` or
    /// the end. Otherwise (`'s-Hertogenbosch`) the value is bare and the quote an ordinary character.
    func closingQuote(from open: Int) -> Int? {
        let quote = self[open].byte
        var index = open + 1
        while index < count {
            guard self[index].byte == quote else {
                index += 1
                continue
            }
            if index + 1 < count, self[index + 1].byte == quote {
                index += 2
                continue
            }
            guard index + 1 == count || self[index + 1].isLiteral(",") || self[index + 1].isLiteral(")") else {
                return nil
            }
            return index
        }
        return nil
    }
}

extension ArraySlice where Element == RQLUnit {
    /// The decoded bytes as text; `nil` when they are not valid UTF-8.
    var text: String? {
        String(validating: map(\.byte), as: UTF8.self)
    }
}
