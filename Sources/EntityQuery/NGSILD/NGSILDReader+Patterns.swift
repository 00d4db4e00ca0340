import EntityModel

extension NGSILDReader {
    /// Reads the regular expression after `~=` or `!~=`: a JSON string (`"^Eiffel|Pisa$"`), or
    /// unquoted up to the first `;`, `|` or `)` outside its groups and brackets (`^Eiffel.*`), so that
    /// an unquoted pattern writes alternatives inside a group, `(Eiffel|Pisa)`, and escapes a literal
    /// `;`, `|` or `)` with `\`.
    mutating func readPatternOperand() throws(NGSILDQueryError) -> NGSILDPattern {
        guard peek("\"") else {
            let start = index
            try readRegex(embedded: true)
            return NGSILDPattern(checked: text(start, index))
        }
        let start = index
        let pattern = try readQuotedString()
        var reader = NGSILDReader(bytes: Array(pattern.utf8), parameter: parameter, maximumDepth: maximumDepth)
        do throws(NGSILDQueryError) {
            try reader.readRegex(embedded: false)
        } catch {
            throw error.moved(to: sourceOffset(ofDecoded: error.position, inStringFrom: start))
        }
        try expectTermEnd(after: "the pattern")
        return NGSILDPattern(checked: pattern)
    }

    /// The offset in ``bytes`` of byte `decodedOffset` of the decoded JSON string whose opening
    /// quote is at `quote`: escapes such as `\\` or `\u00e9` count as the bytes they stand for.
    func sourceOffset(ofDecoded decodedOffset: Int, inStringFrom quote: Int) -> Int {
        var offset = quote + 1
        var decoded = 0
        while decoded < decodedOffset, offset < bytes.count, bytes[offset] != UInt8(ascii: "\"") {
            guard bytes[offset] == UInt8(ascii: "\\"), offset + 1 < bytes.count else {
                offset += 1
                decoded += 1
                continue
            }
            guard let (length, width) = escape(at: offset) else { break }
            offset += length
            decoded += width
        }
        return offset
    }

    /// The length of the JSON escape at `offset` and the number of UTF-8 bytes it stands for;
    /// `\uD83D\uDE00` (a surrogate pair) is one character written in 12 bytes.
    private func escape(at offset: Int) -> (length: Int, width: Int)? {
        let lengths = bytes[offset + 1] == UInt8(ascii: "u") ? [6, 12] : [2]
        for length in lengths where offset + length <= bytes.count {
            let quoted = [UInt8(ascii: "\"")] + bytes[offset..<(offset + length)] + [UInt8(ascii: "\"")]
            if let text = (try? JSON(parsing: quoted))?.stringValue { return (length, text.utf8.count) }
        }
        return nil
    }
}
