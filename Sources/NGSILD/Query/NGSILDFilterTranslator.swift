import EntityModel
import EntityQuery

/// Translates the parsed NGSI-LD query parameters (`q`, `type`, `scopeQ`, `id`, `idPattern`) to
/// ``Filter``s over the stored NGSI-LD document (names expanded, then compacted against the core
/// context; one attribute instance stored as an object, several as an array).
///
/// Pure and `Sendable`: the request's `@context` enters only through the two name mappings.
///
/// ```swift
/// let translator = NGSILDFilterTranslator(
///     storedAttributeName: { name throws(NGSILDError) in try context.storedName(name) },
///     storedTypeName: { name throws(NGSILDError) in try context.storedType(name) }
/// )
/// let query = try NGSILDQueryParser().parseQuery("airQualityLevel>=4;airQualityLevel<7")
/// let filter = Filter.and([NGSILDFilterTranslator.isNGSILDEntity, try translator.filter(for: query)])
/// ```
///
/// ## `q` (clause 4.9)
/// A term on attribute `A` holds when **some instance** of `A` (the object, or an element of the
/// array) holds: its `value` (or an element of it, if it is an array), its `object` (or an element),
/// one of its `languageMap` values, its `vocab` (the query's string mapped like a type name), an
/// element of its `valueList`, or its `json`. `A.observedAt`, `.unitCode`, `.datasetId`, `.createdAt`,
/// `.modifiedAt` (and `.deletedAt`, `.instanceId`, `.objectType`, `.lang`) read that member of the
/// instance; other dotted names are sub-attributes, searched the same way (some instance of the
/// sub-attribute of some instance). `A[a.b]` reads `value.a.b` (and `json.a.b`); `A[en]` also reads
/// the language `en` of a `languageMap`.
///
/// - `A` alone: the attribute exists (with a member or `[…]`: that member or value is present and not `null`).
/// - `==`, `>`, `>=`, `<`, `<=`: values compare only with values of the same JSON type
///   (``Filter/compare(_:_:_:)``); a date, time, URI or quoted string is a string. An unquoted
///   date-time compares in time order (``Filter/dateTime(_:_:_:)``) with date-time strings, also
///   with `value.@value` (how `ngsildclient` stores dates); without offset it is taken as UTC.
/// - `==a,b,c` any of the values; `==a..b` between both bounds, inclusive, for one element.
/// - `~=` a regular expression finds a match in a string (``Filter/regex(_:_:)``).
/// - `!=` and `!~=` (also with lists and ranges): the attribute (member, value path) exists and the
///   `==` (`~=`) term does not hold: no instance equals.
/// - Entity-level `createdAt` and `modifiedAt` are the entity's `_meta.created` and `_meta.updated`.
/// - Linked-entity paths (`locatedIn{City:population}`) need `join`: ``NGSILDError/Code/badRequestData``.
public struct NGSILDFilterTranslator: Sendable {
    let storedAttributeName: @Sendable (String) throws(NGSILDError) -> String
    let storedTypeName: @Sendable (String) throws(NGSILDError) -> String

    /// Creates a translator.
    ///
    /// - Parameters:
    ///   - storedAttributeName: maps an attribute or sub-attribute name written in `q` to its stored
    ///     key (expanded with the request's context, compacted against the core context); throws for
    ///     names it cannot map.
    ///   - storedTypeName: the same for entity types (and `vocab` values).
    public init(
        storedAttributeName: @escaping @Sendable (String) throws(NGSILDError) -> String,
        storedTypeName: @escaping @Sendable (String) throws(NGSILDError) -> String
    ) {
        self.storedAttributeName = storedAttributeName
        self.storedTypeName = storedTypeName
    }

    /// The documents that are NGSI-LD entities: those with a `type` (present and not `null`).
    public static var isNGSILDEntity: Filter { .isNull("type", negated: true) }

    /// An entity type selection (`A,B`, `A|B`, `(A;B)`, `(A;B),C`): `;` means the entity has every
    /// type, `,` and `|` one of them. `type=*` is no selection: the caller skips the filter.
    ///
    /// - Throws: what `storedTypeName` throws.
    public func filter(for types: NGSILDTypeSelection) throws(NGSILDError) -> Filter {
        try Self.combining(types) { name throws(NGSILDError) in
            let stored = try storedTypeName(name)
            return .anyElement("type", .arrayElements, where: .compare(.root, .eq, .json(.string(stored))))
        }
    }

    /// A scope query (`/Madrid/#;/CompanyA/+/UnitC`): some scope of the entity (`scope`, a string or
    /// an array of strings) matches each pattern as ``NGSILDScopePattern`` describes.
    public func filter(for scopes: NGSILDScopeQuery) -> Filter {
        Self.combining(scopes) { pattern in
            .anyElement("scope", .arrayElements, where: Self.scopeTest(pattern))
        }
    }

    /// The filter of an `and`/`or` expression of terms, each term translated by `term`: the one
    /// walk that `q`, type selections and scope queries share.
    static func combining<Term, Failure: Error>(
        _ expression: NGSILDExpression<Term>,
        term: (Term) throws(Failure) -> Filter
    ) throws(Failure) -> Filter {
        switch expression {
        case .term(let value):
            return try term(value)
        case .and(let children), .or(let children):
            var filters: [Filter] = []
            for child in children { filters.append(try combining(child, term: term)) }
            if case .and = expression { return .and(filters) }
            return .or(filters)
        }
    }

    /// `id=a,b`: the entity's id is one of `ids` (none: nothing matches).
    public func filter(forIDs ids: [String]) -> Filter {
        .membership("id", ids.map { .json(.string($0)) }, negated: false)
    }

    /// `idPattern`: the regular expression finds a match in the entity's id.
    public func filter(forIDPattern pattern: NGSILDPattern) -> Filter {
        .regex("id", pattern.text)
    }

    /// The test of one scope string against a pattern: equality when it has no wildcard, else a
    /// regular expression (levels escaped, `+` one level, `/#` the scope or any below it).
    static func scopeTest(_ pattern: NGSILDScopePattern) -> Filter {
        let names = pattern.levels.compactMap { level -> String? in
            if case .name(let name) = level { return name }
            return nil
        }
        if pattern.levels.isEmpty {
            return pattern.includesDescendants ? .regex(.root, "^/") : .compare(.root, .eq, .json("/"))
        }
        if names.count == pattern.levels.count {
            let exact = "/" + names.joined(separator: "/")
            guard pattern.includesDescendants else { return .compare(.root, .eq, .json(.string(exact))) }
            return .or([.compare(.root, .eq, .json(.string(exact))), .regex(.root, "^" + escaped(exact) + "/")])
        }
        var regex = "^"
        for level in pattern.levels {
            switch level {
            case .name(let name): regex += "/" + escaped(name)
            case .anyLevel: regex += "/[^/]+"
            }
        }
        regex += pattern.includesDescendants ? "(/.+)?$" : "$"
        return .regex(.root, regex)
    }

    /// `text` with every ASCII punctuation character escaped, so that a regular expression reads it literally.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isPatternSyntax { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
