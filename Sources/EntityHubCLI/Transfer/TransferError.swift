/// Why an input could not be read at all: it cannot be opened, or its structure is broken beyond the
/// current record (an unterminated quoted field, a JSON array that never closes, an impossible CSV header).
///
/// Records that are merely wrong (not an object, a row with too many fields) are not errors: the readers
/// return them as ``InputRecord/malformed(line:reason:)`` and carry on.
///
/// ```swift
/// TransferError.unterminatedQuotedField(source: "orders.csv", line: 12, column: 5).description
/// // "orders.csv:12:5: unterminated quoted field"
/// ```
struct TransferError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case cannotOpen
        case cannotRead
        case invalidDocument
        case unterminatedQuotedField
        case invalidHeader
        case recordTooLarge
    }

    private let code: Code
    /// What went wrong, fit for users (no position in it).
    let message: String
    /// The name of the input (the path as given, or `stdin`), when known.
    let source: String?
    /// The 1-based line of the problem, when it has a position.
    let line: Int?
    /// The 1-based column (in bytes) of the problem, when known.
    let column: Int?

    private init(_ code: Code, _ message: String, source: String?, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
    }

    /// One line: `source:line:column: message`, leaving out the parts that are not known.
    var description: String {
        var prefix = source ?? ""
        if let line {
            prefix += prefix.isEmpty ? "line \(line)" : ":\(line)"
            if let column { prefix += ":\(column)" }
        }
        return prefix.isEmpty ? message : "\(prefix): \(message)"
    }

    /// Whether both errors are of the same kind (whatever their message and position).
    func isSameKind(as other: TransferError) -> Bool { code == other.code }
}

extension TransferError {
    /// The input could not be opened (`reason` is the system's, e.g. "No such file or directory").
    static func cannotOpen(source: String, reason: String) -> TransferError {
        TransferError(.cannotOpen, "cannot open the input: \(reason)", source: source)
    }

    /// Reading failed after the input was opened.
    static func cannotRead(source: String, reason: String) -> TransferError {
        TransferError(.cannotRead, "cannot read the input: \(reason)", source: source)
    }

    /// The document's structure is broken (e.g. a JSON array that is not closed).
    static func invalidDocument(_ message: String, source: String?, line: Int?, column: Int?) -> TransferError {
        TransferError(.invalidDocument, message, source: source, line: line, column: column)
    }

    /// A CSV quoted field that opens at `line`:`column` and never closes.
    static func unterminatedQuotedField(source: String?, line: Int, column: Int) -> TransferError {
        TransferError(.unterminatedQuotedField, "unterminated quoted field", source: source, line: line, column: column)
    }

    /// A CSV header that cannot name the fields of an object (empty, duplicate or conflicting names).
    static func invalidHeader(_ message: String, source: String?, line: Int? = nil) -> TransferError {
        TransferError(.invalidHeader, message, source: source, line: line)
    }

    /// A record (line, element or row) that starts at `line` and exceeds `limit` bytes.
    static func recordTooLarge(limit: Int, source: String?, line: Int) -> TransferError {
        let mebibyte = 1024 * 1024
        let size = limit >= mebibyte && limit % mebibyte == 0 ? "\(limit / mebibyte) MiB" : "\(limit) bytes"
        return TransferError(.recordTooLarge, "record is larger than \(size)", source: source, line: line)
    }
}
