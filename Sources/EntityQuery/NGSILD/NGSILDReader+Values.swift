import EntityModel

extension NGSILDReader {
    /// Reads what follows a comparison operator: one value, or after `==`/`!=` also a list
    /// (`1,3,5`) or a range (`5..9`). `true`/`false` and URIs follow `==`/`!=` only.
    ///
    /// A URI in a list (`urn:a,urn:b`) goes beyond the grammar, whose lists hold no URIs; it is
    /// unambiguous and lets relationships be compared with several entities.
    mutating func readOperand(of comparison: NGSILDComparisonOperator) throws(NGSILDQueryError) -> NGSILDQueryPredicate
    {
        let equality = comparison == .equal || comparison == .unequal
        let negated = comparison == .unequal
        let start = index
        let first = try readValue()
        if peek("."), peek(".", ahead: 1) {
            guard equality else { throw error(.syntax, "a range needs '==' or '!='") }
            guard first.isComparable else {
                throw error(.invalidValue, "a range is between numbers, strings, date-times, dates or times", at: start)
            }
            index += 2
            let upperStart = index
            let upper = try readValue()
            guard upper.isSameKind(as: first) else {
                throw error(.invalidValue, "both ends of a range must be of the same kind", at: upperStart)
            }
            try expectTermEnd(after: "the range")
            return .inRange(first, upper, negated: negated)
        }
        if peek(",") {
            guard equality else { throw error(.syntax, "a list of values needs '==' or '!='") }
            var values = [first]
            while consume(",") { values.append(try readValue()) }
            try expectTermEnd(after: "the list")
            return .anyOf(values, negated: negated)
        }
        try expectTermEnd(after: "the value")
        guard equality || first.isComparable else {
            let what = first == .bool(true) || first == .bool(false) ? "'\(first)'" : "a URI"
            throw error(.invalidValue, "\(what) can only follow '==' or '!='", at: start)
        }
        return .compare(comparison, first)
    }

    /// Reads one value: a number, quoted string, date-time, date, time, `true`, `false` or URI.
    mutating func readValue() throws(NGSILDQueryError) -> NGSILDQueryValue {
        guard let (first, _) = scalar(at: index) else { throw error(.invalidValue, "expected a value") }
        switch first {
        case "\"":
            return .string(try readQuotedString())
        case "'":
            throw error(.invalidValue, "strings are quoted with '\"', not \"'\"")
        case "-", "0"..."9":
            return try readNumberOrTime()
        default:
            var end = index
            while end < bytes.count, Self.isSchemeByte(bytes[end]) { end += 1 }
            if end > index, end < bytes.count, bytes[end] == UInt8(ascii: ":") {
                return .uri(try readIRI("a URI"))
            }
            for word in ["true", "false"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return .bool(word == "true")
            }
            let isWord = scalar(at: index).map { Self.isLetter($0.scalar) } ?? false
            throw error(.invalidValue, isWord ? "expected a value; quote strings with '\"'" : "expected a value")
        }
    }

    /// Reads a JSON string (RFC 8259) and decodes its escapes.
    mutating func readQuotedString() throws(NGSILDQueryError) -> String {
        let start = index
        index += 1
        while true {
            guard index < bytes.count else { throw error(.invalidValue, "unterminated string", at: start) }
            let byte = bytes[index]
            index += byte == UInt8(ascii: "\\") ? 2 : 1
            if byte == UInt8(ascii: "\"") { break }
        }
        let value: JSON
        do throws(JSONParsingError) {
            value = try JSON(parsing: bytes[start..<index])
        } catch {
            throw self.error(.invalidValue, error.reason, at: start + error.offset)
        }
        return value.stringValue ?? ""
    }

    /// A date (`2017-12-24`) or date-time (`2017-12-24T12:00:00Z`) when four digits and `-` come
    /// first, a time (`12:00:00`) when two digits and `:` do, otherwise a number.
    private mutating func readNumberOrTime() throws(NGSILDQueryError) -> NGSILDQueryValue {
        let start = index
        if hasDigits(4), peek("-", ahead: 4) {
            guard hasDigits(2, ahead: 5), peek("-", ahead: 7), hasDigits(2, ahead: 8) else {
                throw error(.invalidValue, "invalid date, expected YYYY-MM-DD")
            }
            index += 10
            guard consume("T") else {
                guard DateValidator.isDate(text(start, index)) else {
                    throw error(.invalidValue, "invalid date '\(text(start, index))'", at: start)
                }
                return .date(text(start, index))
            }
            try skipTime(of: "date-time")
            guard DateValidator.isDateTime(text(start, index)) else {
                throw error(.invalidValue, "invalid date-time '\(text(start, index))'", at: start)
            }
            return .dateTime(text(start, index))
        }
        if hasDigits(2), peek(":", ahead: 2) {
            try skipTime(of: "time")
            guard DateValidator.isDateTime("1970-01-01T" + text(start, index)) else {
                throw error(.invalidValue, "invalid time '\(text(start, index))'", at: start)
            }
            return .time(text(start, index))
        }
        return .number(try readNumber())
    }

    /// Skips `hh:mm:ss`, an optional fraction and an optional `Z` or `±hh:mm`.
    private mutating func skipTime(of what: String) throws(NGSILDQueryError) {
        guard hasDigits(2), peek(":", ahead: 2), hasDigits(2, ahead: 3), peek(":", ahead: 5), hasDigits(2, ahead: 6)
        else {
            throw error(.invalidValue, "invalid \(what), expected hh:mm:ss")
        }
        index += 8
        if peek("."), hasDigits(1, ahead: 1) {
            index += 1
            while hasDigits(1) { index += 1 }
        }
        if consume("Z") { return }
        if peek("+") || peek("-"), hasDigits(2, ahead: 1), peek(":", ahead: 3), hasDigits(2, ahead: 4) {
            index += 6
        }
    }

    /// Reads a JSON number, keeping its text; a `.` followed by another `.` starts a range instead.
    private mutating func readNumber() throws(NGSILDQueryError) -> JSONNumber {
        let start = index
        _ = consume("-")
        while hasDigits(1) { index += 1 }
        if peek("."), !peek(".", ahead: 1) {
            index += 1
            while hasDigits(1) { index += 1 }
        }
        if peek("e") || peek("E") {
            index += 1
            if peek("+") || peek("-") { index += 1 }
            while hasDigits(1) { index += 1 }
        }
        do throws(JSONParsingError) {
            _ = try JSON(parsing: bytes[start..<index])
        } catch {
            throw self.error(.invalidValue, error.reason, at: start + error.offset)
        }
        return JSONNumber(text(start, index))!
    }

    /// Whether `count` ASCII digits start at `index + ahead`.
    func hasDigits(_ count: Int, ahead: Int = 0) -> Bool {
        let start = index + ahead
        return start + count <= bytes.count && bytes[start..<(start + count)].allSatisfy(JSONNumber.isDigit)
    }
}
