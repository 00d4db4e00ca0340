import EntityModel

extension InputRecord {
    /// Parses the bytes of one record as a JSON object.
    ///
    /// - Parameters:
    ///   - bytes: The record's text (one JSON Lines line, or one element of a JSON array).
    ///   - line: The 1-based line where `bytes` start in the input.
    ///   - column: The 1-based column where `bytes` start on that line.
    ///   - showsLine: Whether a syntax error's position names its line (for records that may span lines)
    ///     or just its column.
    ///   - maximumDepth: The deepest nesting accepted.
    /// - Returns: `.record` for an object; `.malformed` with a reason such as
    ///   "not valid JSON: unexpected end of input at column 9" or "expected a JSON object, found an array".
    static func parsing(
        _ bytes: some Collection<UInt8>,
        line: Int,
        column: Int = 1,
        showsLine: Bool = false,
        maximumDepth: Int = 64
    ) -> InputRecord {
        let value: JSON
        do {
            value = try JSON(parsing: bytes, maximumDepth: maximumDepth)
        } catch {
            let errorLine = line + error.line - 1
            let errorColumn = error.line == 1 ? column + error.column - 1 : error.column
            let position = showsLine ? "at line \(errorLine), column \(errorColumn)" : "at column \(errorColumn)"
            return .malformed(line: line, reason: "not valid JSON: \(error.reason) \(position)")
        }
        guard case .object = value else {
            return .malformed(line: line, reason: "expected a JSON object, found \(describe(value))")
        }
        return .record(line: line, value: value)
    }

    /// The JSON type of `value` with its article: "an array", "a string", "null".
    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
