/// Why an RQL query string or expression was rejected, and where.
///
/// ``position`` is a 0-based character offset into the text given to the parser, *before*
/// percent-decoding: into the whole raw query string for ``RQLParser/parse(queryString:)`` (a
/// leading `?`, when given, counts), into the expression for ``RQLParser/parseFilter(_:)``.
///
/// ```swift
/// do {
///     _ = try RQLParser().parse(queryString: "eq(status,published")
/// } catch {
///     print(error)   // expected ')' at position 19
/// }
/// ```
public struct RQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake, for callers that map errors to codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case syntax, unknownOperator, invalidField, invalidValue, invalidParameter, tooDeep, tooLong
        }

        fileprivate let base: Base

        /// A character that does not fit the grammar: missing `)` or `,`, trailing text, bad quoting.
        public static let syntax = Code(base: .syntax)
        /// A name before `(` that is not an RQL operator.
        public static let unknownOperator = Code(base: .unknownOperator)
        /// An empty or malformed field path (`a..b`).
        public static let invalidField = Code(base: .invalidField)
        /// A value that cannot be used where it is written (`lt(f,null())`, invalid UTF-8).
        public static let invalidValue = Code(base: .invalidValue)
        /// A bad `limit`, `offset` or a repeated parameter.
        public static let invalidParameter = Code(base: .invalidParameter)
        /// Operators nested deeper than ``RQLParser/maximumDepth``.
        public static let tooDeep = Code(base: .tooDeep)
        /// Input longer than ``RQLParser/maximumLength``.
        public static let tooLong = Code(base: .tooLong)

        public var description: String { base.rawValue }
    }

    /// The kind of mistake.
    public let code: Code
    /// What is wrong, e.g. `expected ')'` or `unknown operator 'foo'`.
    public let message: String
    /// 0-based character offset of the mistake in the raw (not yet percent-decoded) input.
    public let position: Int
    /// What would have been accepted, e.g. `expected one of eq, ne, ...`; may be `nil`.
    public let hint: String?

    /// Creates an error; `position` is a character offset into the parsed text.
    public init(code: Code, message: String, position: Int, hint: String? = nil) {
        self.code = code
        self.message = message
        self.position = position
        self.hint = hint
    }

    /// `message at position N` followed by `; hint` when there is one.
    public var description: String {
        "\(message) at position \(position)" + (hint.map { "; \($0)" } ?? "")
    }

    /// The same error at another position.
    func moved(to position: Int) -> RQLError {
        RQLError(code: code, message: message, position: position, hint: hint)
    }
}
