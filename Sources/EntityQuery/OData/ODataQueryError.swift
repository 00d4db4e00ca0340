/// Why an OData URL, query option or `Prefer` value was rejected, and where: one error type for the
/// parser and ``ODataTranslator``.
///
/// ``position`` is a 0-based character offset into the text given to the parser, *before*
/// percent-decoding; ``option`` names the query option it lies in (`$filter`), when there is one.
///
/// ```swift
/// do {
///     _ = try ODataParser(names: names).parseQuery("$filter=contains(Name,'x'")
/// } catch {
///     print(error)   // expected ')' at position 25 in $filter
/// }
/// ```
public struct ODataQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake, for callers that map errors to status codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case syntax, unknownName, invalidValue, typeMismatch, duplicateOption, unsupported, tooDeep, tooLong
        }

        fileprivate let base: Base

        /// Text that does not fit the grammar: a missing `)`, an operator without operand, trailing text.
        public static let syntax = Code(base: .syntax)
        /// A name the model does not have where the grammar needs one (an entity set, a property).
        public static let unknownName = Code(base: .unknownName)
        /// A literal that is malformed or out of range (`2012-13-01`, `$top=-1`, invalid UTF-8).
        public static let invalidValue = Code(base: .invalidValue)
        /// Operands or literals of the wrong type (`Name eq 1`, `Price add 'x'`).
        public static let typeMismatch = Code(base: .typeMismatch)
        /// A system query option given twice.
        public static let duplicateOption = Code(base: .duplicateOption)
        /// Valid OData that this service does not implement (`$apply`, geo functions): HTTP 501.
        public static let unsupported = Code(base: .unsupported)
        /// Expressions nested deeper than the parser's limit.
        public static let tooDeep = Code(base: .tooDeep)
        /// Input longer than the parser's limit.
        public static let tooLong = Code(base: .tooLong)

        public var description: String { base.rawValue }
    }

    /// The kind of mistake.
    public let code: Code
    /// What is wrong, e.g. `expected ')'` or `unknown property 'Foo'`.
    public let message: String
    /// 0-based character offset of the mistake in the raw input.
    public let position: Int
    /// The text found at ``position``: a name, a character, or `end of input`.
    public let token: String
    /// The query option the mistake is in (`$filter`), if any.
    public let option: String?

    /// Creates an error; `position` is a character offset into the parsed text.
    public init(code: Code, message: String, position: Int, token: String, option: String? = nil) {
        self.code = code
        self.message = message
        self.position = position
        self.token = token
        self.option = option
    }

    /// `message at position N` followed by ` in $option` when in an option.
    public var description: String {
        "\(message) at position \(position)" + (option.map { " in \($0)" } ?? "")
    }

    /// The same error at another position (in characters) or in another option.
    func relocated(to position: Int, option: String?) -> ODataQueryError {
        ODataQueryError(code: code, message: message, position: position, token: token, option: option)
    }
}
