/// A parsed NGSI-LD `scopeQ` parameter (the scope query language of clause 4.19).
///
/// Produced by ``NGSILDQueryParser/parseScopeQuery(_:)``: scope patterns combined with `;` (AND)
/// and `|` or `,` (OR), grouped with parentheses.
///
/// ```swift
/// let query = try NGSILDQueryParser().parseScopeQuery("/Madrid/#;/CompanyA/+/UnitC")
/// query.description   // /Madrid/#;/CompanyA/+/UnitC
/// ```
public typealias NGSILDScopeQuery = NGSILDExpression<NGSILDScopePattern>

/// One scope pattern of `scopeQ`, such as `/Madrid/Gardens`, `/Madrid/+` or `/Madrid/#`.
///
/// An entity matches when one of its scopes (4.18) matches: level by level, where `+` stands for
/// any one level; with ``includesDescendants`` (a trailing `/#`) the scope may go on below the
/// pattern's levels. `/#` alone matches every entity that has a scope.
public struct NGSILDScopePattern: Sendable, Hashable, CustomStringConvertible {
    /// One level of a scope pattern.
    public enum Level: Sendable, Hashable {
        /// A level name, which the scope must have at this place.
        case name(String)
        /// `+`: any one level.
        case anyLevel
    }

    /// The levels after the leading `/`, without a trailing `#`.
    public var levels: [Level]
    /// Whether the pattern ends with `/#`: the scope itself or any scope below it.
    public var includesDescendants: Bool

    /// Creates a pattern.
    public init(levels: [Level], includesDescendants: Bool = false) {
        self.levels = levels
        self.includesDescendants = includesDescendants
    }

    /// The pattern written back in `scopeQ` syntax.
    public var description: String {
        let written = levels.map { level -> String in
            switch level {
            case .name(let name): return "/" + name
            case .anyLevel: return "/+"
            }
        }
        return written.joined() + (includesDescendants ? "/#" : "")
    }
}
