/// Why a JSON text could not be parsed, and where.
public struct JSONParsingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset (0-based) in the input where the problem was found.
    public let offset: Int
    /// 1-based line and column of ``offset``.
    public let line: Int
    public let column: Int
    /// What was wrong, e.g. `expected ',' or '}' after an object member`.
    public let reason: String

    public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}
