/// One character of OData URL text: a byte as written, or the byte a `%XX` stands for.
///
/// The OData ABNF reads URLs after percent-encoding normalization: a percent-encoded unreserved
/// character (`%41`) is that character, which ``decode(_:plusIsSpace:)`` does. For every other
/// byte, ``escaped`` tells the forms apart, as the grammar does: `(` and `%28` both open a
/// parenthesis, but only a literal `=` or `&` separates query options.
struct ODataUnit: Sendable {
    let byte: UInt8
    /// True when the byte was written as `%XX` (and is not unreserved).
    let escaped: Bool
    /// Byte offset of the unit's source text in the raw input.
    let offset: Int

    /// Percent-decodes `raw`; a `%` not followed by two hex digits stays a literal `%`. With
    /// `plusIsSpace`, a literal `+` is a space (form encoding, as sent by `requests`).
    static func decode(_ raw: [UInt8], plusIsSpace: Bool) -> [ODataUnit] {
        var units: [ODataUnit] = []
        units.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "%"), index + 2 < raw.count,
                let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
            {
                let decoded = high << 4 | low
                units.append(ODataUnit(byte: decoded, escaped: !isUnreserved(decoded), offset: index))
                index += 3
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                units.append(ODataUnit(byte: UInt8(ascii: " "), escaped: true, offset: index))
                index += 1
            } else {
                units.append(ODataUnit(byte: byte, escaped: false, offset: index))
                index += 1
            }
        }
        return units
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    static func isAlpha(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        hexValue(byte) != nil
    }
}
