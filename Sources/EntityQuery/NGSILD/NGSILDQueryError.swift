/// Why an NGSI-LD query parameter (`q`, `scopeQ`, `type`, `idPattern`) was rejected, and where.
///
/// ``position`` is a 0-based character offset into the text given to the parser, which is the
/// parameter's value after the HTTP layer percent-decoded it.
///
/// ```swift
/// do {
///     _ = try NGSILDQueryParser().parseQuery(#"name=="Eiffel Tower";height>="#)
/// } catch {
///     print(error)   // q: expected a value at position 29
/// }
/// ```
public struct NGSILDQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake, for callers that map errors to codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case syntax, invalidName, invalidValue, invalidPattern, tooDeep, tooLong
        }

        fileprivate let base: Base

        /// A character that does not fit the grammar: a missing `)`, an unknown operator, trailing text.
        public static let syntax = Code(base: .syntax)
        /// An attribute name, entity type or scope level that breaks the naming rules (`1a`, `a..b`).
        public static let invalidName = Code(base: .invalidName)
        /// A malformed value (`1.`, an unterminated string, `2017-13-01`) or one that cannot be used where
        /// it is written (`a>true`).
        public static let invalidValue = Code(base: .invalidValue)
        /// A regular expression outside the supported POSIX ERE subset (`a**`, `\d`, `(?=a)`).
        public static let invalidPattern = Code(base: .invalidPattern)
        /// Parentheses nested deeper than ``NGSILDQueryParser/maximumDepth``.
        public static let tooDeep = Code(base: .tooDeep)
        /// Input longer than ``NGSILDQueryParser/maximumLength``.
        public static let tooLong = Code(base: .tooLong)

        public var description: String { base.rawValue }
    }

    /// The URL parameter that was parsed: `q`, `scopeQ`, `type` or `idPattern`.
    public let parameter: String
    /// The kind of mistake.
    public let code: Code
    /// What is wrong, e.g. `expected a value` or `unknown operator '=~'`.
    public let message: String
    /// 0-based character offset of the mistake in the parameter's (percent-decoded) value.
    public let position: Int

    /// Creates an error; `position` is a character offset into the parsed text.
    public init(parameter: String, code: Code, message: String, position: Int) {
        self.parameter = parameter
        self.code = code
        self.message = message
        self.position = position
    }

    /// `parameter: message at position N`, e.g. `q: expected a value at position 14`.
    public var description: String {
        "\(parameter): \(message) at position \(position)"
    }

    /// The same error at another position.
    func moved(to position: Int) -> NGSILDQueryError {
        NGSILDQueryError(parameter: parameter, code: code, message: message, position: position)
    }
}
