import EntityModel
import EntityQuery

public struct NGSILDFilterTranslator: Sendable {
    public init(
        storedAttributeName: @escaping @Sendable (String) throws(NGSILDError) -> String,
        storedTypeName: @escaping @Sendable (String) throws(NGSILDError) -> String
    ) {}
    public func filter(for query: NGSILDQuery) throws(NGSILDError) -> Filter { .and([]) }
    public func filter(for types: NGSILDTypeSelection) throws(NGSILDError) -> Filter { .and([]) }
    public func filter(for scopes: NGSILDScopeQuery) -> Filter { .and([]) }
    public func filter(forIDs ids: [String]) -> Filter { .and([]) }
    public func filter(forIDPattern pattern: NGSILDPattern) -> Filter { .and([]) }
    public static var isNGSILDEntity: Filter { .isNull(FieldPath("type"), negated: true) }
}
