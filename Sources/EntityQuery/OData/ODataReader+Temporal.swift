extension ODataReader {
    /// `date`: `[-] yyyy(yy…) - mm - dd`, not followed by a time.
    mutating func readDateLiteral() throws(ODataQueryError) -> ODataLiteral {
        let date = try readDate()
        if let next = byte(), ODataUnit.isDigit(next) || Self.isIdentifierByte(next) {
            throw fail(expected: "the end of the date")
        }
        return .date(date)
    }

    /// `year "-" month "-" day`.
    mutating func readDate() throws(ODataQueryError) -> String {
        var text = consumeLiteral("-") ? "-" : ""
        guard let first = byte(), ODataUnit.isDigit(first), !units[index].escaped else {
            throw fail(expected: "a year")
        }
        let year = try readDigitRun()
        guard year.count >= 4, first != UInt8(ascii: "0") || year.count == 4 else {
            throw fail(.invalidValue, "a year has four digits, or more without a leading zero", at: index)
        }
        text += year
        try expectLiteral("-")
        text += "-" + (try readTwoDigits(in: 1...12, "a month"))
        try expectLiteral("-")
        text += "-" + (try readTwoDigits(in: 1...31, "a day"))
        return text
    }

    /// Two digits whose value is in `range`; fails at the digit that leaves it.
    mutating func readTwoDigits(in range: ClosedRange<Int>, _ role: String) throws(ODataQueryError) -> String {
        let start = index
        let tens = try readDigits(1)
        let lowest = range.lowerBound / 10
        let highest = range.upperBound / 10
        guard let tensValue = Int(tens), (lowest...highest).contains(tensValue) else {
            throw fail(expected: role, at: start)
        }
        let unitsStart = index
        let ones = try readDigits(1)
        guard let value = Int(tens + ones), range.contains(value) else {
            throw fail(expected: role, at: unitsStart)
        }
        return tens + ones
    }

    /// `timeOfDayLiteral` (`:` may be `%3A`) or `timeOfDayValue`: `hh:mm[:ss[.fraction]]`.
    mutating func readTime(urlForm: Bool) throws(ODataQueryError) -> String {
        var text = try readTwoDigits(in: 0...23, "an hour")
        try expectColon(urlForm: urlForm)
        text += ":" + (try readTwoDigits(in: 0...59, "minutes"))
        let beforeSeconds = index
        if urlForm ? consume(":") : consumeUnencoded(":") {
            guard let seconds = attempt({ reader throws(ODataQueryError) in try reader.readSeconds() }) else {
                index = beforeSeconds
                return text
            }
            text += ":" + seconds
            if peekLiteral("."), let next = byte(ahead: 1), ODataUnit.isDigit(next) {
                index += 1
                text += "." + (try readDigitRun(maximum: 12))
            }
        }
        return text
    }

    private mutating func readSeconds() throws(ODataQueryError) -> String {
        let start = index
        let seconds = try readDigits(2)
        guard let value = Int(seconds), value <= 60 else { throw fail(expected: "seconds", at: start) }
        return seconds
    }

    private mutating func expectColon(urlForm: Bool) throws(ODataQueryError) {
        if urlForm {
            try expect(":")
        } else if !consumeUnencoded(":") {
            throw fail(expected: "':'")
        }
    }

    /// `timeOfDayLiteral` / `timeOfDayValue` as a literal.
    mutating func readTimeOfDay(urlForm: Bool) throws(ODataQueryError) -> ODataLiteral {
        let time = try readTime(urlForm: urlForm)
        if let next = byte(), ODataUnit.isDigit(next) { throw fail(expected: "the end of the time") }
        return .timeOfDay(time)
    }

    /// `dateTimeOffsetLiteral` (URL form) or `dateTimeOffsetValue`: `date T time (Z / ±hh:mm)`.
    /// `lenient` (the URL form only) reads a missing offset as UTC and a space before `hh:mm` as
    /// the `+` that form decoding turned into a space.
    mutating func readDateTimeOffset(urlForm: Bool, lenient: Bool) throws(ODataQueryError) -> ODataLiteral {
        let date = try readDate()
        guard let t = byte(), t | 0x20 == UInt8(ascii: "t"), !units[index].escaped else {
            throw fail(expected: "'T'")
        }
        index += 1
        let time = try readTime(urlForm: urlForm)
        if let z = byte(), z | 0x20 == UInt8(ascii: "z"), !units[index].escaped {
            index += 1
            return .dateTimeOffset("\(date)T\(time)Z")
        }
        let beforeOffset = index
        var sign = consumeSign(urlForm: urlForm)
        if sign == nil, lenient, atSpace, isOffsetAhead(1) {
            index += 1
            sign = "+"
        }
        guard let sign else {
            guard lenient else { throw fail(expected: "'Z' or an offset") }
            return .dateTimeOffset("\(date)T\(time)Z")
        }
        if let offset = attempt({ reader throws(ODataQueryError) in try reader.readOffset(urlForm: urlForm) }) {
            return .dateTimeOffset("\(date)T\(time)\(sign)\(offset)")
        }
        guard lenient else { throw fail(expected: "an offset hh:mm") }
        index = beforeOffset
        return .dateTimeOffset("\(date)T\(time)Z")
    }

    private mutating func readOffset(urlForm: Bool) throws(ODataQueryError) -> String {
        let hours = try readTwoDigits(in: 0...23, "an hour")
        try expectColon(urlForm: urlForm)
        return hours + ":" + (try readTwoDigits(in: 0...59, "minutes"))
    }

    /// Whether `hh:mm` (digits, colon, digits) starts `ahead` units from here.
    private func isOffsetAhead(_ ahead: Int) -> Bool {
        guard let h1 = byte(ahead: ahead), let h2 = byte(ahead: ahead + 1), let colon = byte(ahead: ahead + 2),
            let m1 = byte(ahead: ahead + 3), let m2 = byte(ahead: ahead + 4)
        else { return false }
        return ODataUnit.isDigit(h1) && ODataUnit.isDigit(h2) && colon == UInt8(ascii: ":")
            && ODataUnit.isDigit(m1) && ODataUnit.isDigit(m2)
    }

    /// `durationLiteral`: `[duration] '…'` around a `durationValue`.
    mutating func readDurationLiteral() throws(ODataQueryError) -> ODataLiteral {
        _ = consumeCaseInsensitive("duration")
        try expect("'")
        let value = try readDurationValue()
        try expect("'")
        return .duration(value)
    }

    /// `durationValue`: `[-] P [nD] [T [nH] [nM] [n[.n]S]]`.
    mutating func readDurationValue() throws(ODataQueryError) -> String {
        var text = consumeLiteral("-") ? "-" : ""
        try expectLetter("P")
        text += "P"
        if let days = attempt({ reader throws(ODataQueryError) in try reader.readDurationPart("D") }) {
            text += days
        }
        if consumeLetter("T") {
            text += "T"
            for designator: Unicode.Scalar in ["H", "M"] {
                if let part = attempt({ reader throws(ODataQueryError) in try reader.readDurationPart(designator) }) {
                    text += part
                }
            }
            if let seconds = attempt({ reader throws(ODataQueryError) in try reader.readDurationSeconds() }) {
                text += seconds
            }
        }
        return text
    }

    private mutating func readDurationPart(_ designator: Unicode.Scalar) throws(ODataQueryError) -> String {
        let digits = try readDigitRun()
        try expectLetter(designator)
        return digits + String(designator)
    }

    private mutating func readDurationSeconds() throws(ODataQueryError) -> String {
        var digits = try readDigitRun()
        if consumeLiteral(".") { digits += "." + (try readDigitRun()) }
        try expectLetter("S")
        return digits + "S"
    }

    /// Consumes the ASCII letter `letter` in either case.
    mutating func consumeLetter(_ letter: Unicode.Scalar) -> Bool {
        guard let byte = byte(), byte | 0x20 == UInt8(ascii: letter) | 0x20, ODataUnit.isAlpha(byte) else {
            return false
        }
        index += 1
        return true
    }

    mutating func expectLetter(_ letter: Unicode.Scalar) throws(ODataQueryError) {
        guard consumeLetter(letter) else { throw fail(expected: "'\(letter)'") }
    }
}
