import EntityModel

/// A filter over entity documents: the one query AST shared by RQL, OData and NGSI-LD.
///
/// ## Semantics (the evaluator and every SQL backend implement exactly these)
/// - A path resolves to a value or is *missing* (any step absent or not an object).
/// - `compare(.eq)`: numbers equal numerically (`10 == 10.0`), strings and booleans exactly;
///   objects and arrays are never equal to a query value. `.ne` is the negation of `.eq`
///   (so it is true for a missing field). Numbers compare by exact decimal value (`1e400 > 1e399`,
///   nothing rounds through `Double`); strings by their UTF-8 bytes, without Unicode normalization.
///   A JSON `null` field equals no value (`eq` false, `ne` true); test it with `isNull`.
/// - Untyped literals are compared as ``QueryValue/inferred`` types them; ``Evaluator`` is the
///   reference implementation of these rules.
/// - `.lt .le .gt .ge`: true only when both sides are numbers (numeric order), both strings (order of
///   their UTF-8 bytes) or both booleans (false < true); any other pairing is false.
/// - `pattern`: the field is a string matching the pattern, where `*` matches any run of characters
///   and every other character is literal; `caseInsensitive` compares Unicode-lowercased text.
/// - `membership`: `in` is true when `eq` holds for some value; `negated` (`out`) is its negation.
/// - `isNull`: the field is missing or JSON `null`. RQL's `empty()` is no node of its own: it is the
///   string `""` (``QueryValue/empty``), so `eq(f,empty())` matches `""` only and `ne(f,empty())`
///   everything else, missing and `null` included.
/// - `regex`: the field is a string in which the regular expression finds a match (a search: it may
///   match anywhere unless anchored with `^`/`$`). The pattern is POSIX ERE text of the subset
///   ``NGSILDPattern`` documents; callers check it first (``NGSILDQueryParser/parsePattern(_:parameter:)``).
///   `^` and `$` anchor at the start and end of the whole string only, `.` matches any character
///   (line breaks included). A pattern outside the subset matches nothing in the ``Evaluator`` and
///   SQLite, and may fail the query in PostgreSQL. Character classes (`[[:alpha:]]`) agree on
///   ASCII; beyond it PostgreSQL classifies characters by the database's locale.
/// - `anyElement`: the field is present and one of its elements satisfies the child filter, whose
///   paths start at the element (``FieldPath/root`` is the element itself). With
///   ``ElementSource/arrayElements`` the elements of an array, or the value itself when it is not an
///   array (`null` included: a present value is a one-element array); with ``ElementSource/memberValues``
///   the member values of an object (none when it is not an object). A missing field has no
///   elements, so the node is false. At the top level the child of ``FieldPath/root`` sees the
///   document; its member values are the entity's values, `id` and `_meta`. Nodes nest: the child may
///   hold `anyElement` again, relative to the element. Literals in the child are typed by their form
///   (``QueryValue/inferred``), never by declared field types.
/// - `dateTime`: the field is a string holding a date-time as ``ISO8601Instant`` accepts it, and its
///   instant compares with the given instant by the operator in time order (`…T18:40:00+02:00` equals
///   `…T16:40:00.000Z`). A field that is missing or not such a string satisfies no operator except
///   `.ne`, which (as for `compare`) is the negation of `.eq` and so is true for it.
/// - `compareValues`: both sides are ``ValueExpression``s, where a missing field is `null`. With
///   `null` on a side, `eq` is true when both sides are `null` and false otherwise, `ne` is the
///   negation of `eq`, and `lt le gt ge` are false. Otherwise: numbers compare by exact decimal value,
///   two strings that both hold a date-time (``ISO8601Instant``) by instant, other strings by their
///   UTF-8 bytes, booleans false < true; any other pairing (mixed kinds, arrays, objects) is
///   unequal and unordered (`eq` and the orderings false, `ne` true).
/// - `stringTest`: both sides are strings and the first contains, starts with or ends with the
///   second, comparing code points exactly (case-sensitive); false for anything else (`null`
///   included).
/// - `valueIn`: `compareValues(value, .eq, v)` holds for some `v` of the list (so `null in (null)`
///   is true); false for an empty list.
/// - `related`: some entity of the relation's target collection is linked to the document (see
///   ``Relation/Link``), readable by ``Relation/readableBy`` when set, and satisfies the child
///   filter, whose paths start at that entity's document. ``Relation/Link/reference(_:)`` links the
///   target whose `id` equals the document's field (a string; any other value links nothing),
///   ``Relation/Link/inverse(_:)`` every target whose field is a string equal to the document's `id`.
///   OData's `all(x: p)` over a navigation is `not(related(r, where: not(p)))`.
/// - `search`: the entity matches the search text exactly as ``Query/search`` with that text
///   would: every word of the text (words as ``Evaluator/searchWords(_:)`` cuts them) is a prefix
///   of some word of the collection's search fields, in any order and place; a text without words
///   matches everything. So `search("big red")` is `and([search("big"), search("red")])`: a phrase
///   is all its words, not a sequence of them. It searches the entity itself: inside the child of
///   `anyElement` or `related` it is false (there is no entity of this collection to search), so
///   `not` of it is true there.
/// - `and`, `or`, `not`: two-valued boolean logic (an empty `and` is true, an empty `or` false).
///
/// ```swift
/// // Some instance of `speed` has a number value above 50:
/// Filter.anyElement("speed", .arrayElements, where: .compare("value", .gt, .json(50)))
/// // `name` starts with "Eiffel"; `observedAt` is after noon UTC:
/// Filter.regex("name.value", "^Eiffel")
/// Filter.dateTime("airQualityLevel.observedAt", .gt, ISO8601Instant("2020-09-09T12:00:00Z")!)
/// ```
public indirect enum Filter: Sendable, Hashable {
    case and([Filter])
    case or([Filter])
    case not(Filter)
    case compare(FieldPath, ComparisonOperator, QueryValue)
    case pattern(FieldPath, String, caseInsensitive: Bool)
    case membership(FieldPath, [QueryValue], negated: Bool)
    case isNull(FieldPath, negated: Bool)
    /// The field is a string in which the POSIX ERE pattern (already checked) finds a match.
    case regex(FieldPath, String)
    /// Some element (or member value) of the field satisfies the filter, read from the element.
    case anyElement(FieldPath, ElementSource, where: Filter)
    /// The field is an ISO 8601 date-time string in the given order with the instant.
    case dateTime(FieldPath, ComparisonOperator, ISO8601Instant)
    /// Two computed values in the given order (OData's comparisons of expressions).
    case compareValues(ValueExpression, ComparisonOperator, ValueExpression)
    /// The first string contains, starts with or ends with the second (case-sensitive).
    case stringTest(StringTest, ValueExpression, ValueExpression)
    /// The value equals (as `compareValues(.eq)`) one of the values (OData's `in`).
    case valueIn(ValueExpression, [JSON])
    /// Some related (readable) entity of the relation's target collection satisfies the filter, read
    /// from that entity's document.
    case related(Relation, where: Filter)
    /// The entity matches the full-text search text as ``Query/search`` does (every word a prefix of
    /// some word of the collection's search fields); combine several with `and`, `or` and `not`.
    ///
    /// ```swift
    /// // OData `$search=(tea OR coffee) AND NOT decaf`:
    /// Filter.and([.or([.search("tea"), .search("coffee")]), .not(.search("decaf"))])
    /// ```
    case search(String)
}

/// Which values of a field ``Filter/anyElement(_:_:where:)`` tries.
public enum ElementSource: String, Sendable, Hashable, CaseIterable {
    /// The elements of an array; a present value that is not an array is its only element.
    case arrayElements
    /// The member values of an object (in no particular order); other values have none.
    case memberValues
}

/// Comparison operators of ``Filter/compare(_:_:_:)``.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, lt, le, gt, ge
}

extension Filter {
    /// The conjunction of `conditions`: `nil` for none, the condition itself for one (the same query,
    /// cache key and SQL as written alone), else ``and(_:)``.
    public static func all(_ conditions: [Filter]) -> Filter? {
        switch conditions.count {
        case 0: return nil
        case 1: return conditions[0]
        default: return .and(conditions)
        }
    }

    /// Every field path the predicate reads. Paths inside ``anyElement(_:_:where:)`` follow its path
    /// (`anyElement(a, where: compare(b))` reads `a` and `a.b`), without array positions. Of
    /// ``related(_:where:)`` only the link's path on this document counts (`id` for an inverse link).
    public var fieldPaths: [FieldPath] {
        switch self {
        case .and(let children), .or(let children): return children.flatMap(\.fieldPaths)
        case .not(let child): return child.fieldPaths
        case .compare(let path, _, _), .pattern(let path, _, _), .membership(let path, _, _),
            .isNull(let path, _), .regex(let path, _), .dateTime(let path, _, _):
            return [path]
        case .anyElement(let path, _, let child):
            return [path] + child.fieldPaths.map(path.appending).filter { $0 != path }
        case .compareValues(let lhs, _, let rhs), .stringTest(_, let lhs, let rhs):
            return lhs.fieldPaths + rhs.fieldPaths
        case .valueIn(let value, _):
            return value.fieldPaths
        case .search:
            // The search fields are the collection's, not named by the filter.
            return []
        case .related(let relation, _):
            // The child reads the target's documents, not this one.
            switch relation.link {
            case .reference(let path): return [path]
            case .inverse: return ["id"]
            }
        }
    }

    /// Replaces every literal by a typed value: a field with a declared type converts the literal to
    /// that type (or throws ``QueryTypeError`` naming the field and the expected type); other fields
    /// use ``QueryValue/inferred``. Values that are already typed (``QueryValue/json(_:)``, such as
    /// ``QueryValue/empty``) are kept as they are.
    public func typed(by fieldType: (FieldPath) -> FieldType?) throws(QueryTypeError) -> Filter {
        switch self {
        case .and(let children):
            var typed: [Filter] = []
            for child in children { typed.append(try child.typed(by: fieldType)) }
            return .and(typed)
        case .or(let children):
            var typed: [Filter] = []
            for child in children { typed.append(try child.typed(by: fieldType)) }
            return .or(typed)
        case .not(let child):
            return .not(try child.typed(by: fieldType))
        case .compare(let path, let op, let value):
            return .compare(path, op, try value.typed(as: fieldType(path), field: path))
        case .membership(let path, let values, let negated):
            var typed: [QueryValue] = []
            for value in values { typed.append(try value.typed(as: fieldType(path), field: path)) }
            return .membership(path, typed, negated: negated)
        case .anyElement(let path, let source, let child):
            // The child's paths start at an element: no declared type applies to them.
            return .anyElement(path, source, where: try child.typed(by: { _ in nil }))
        case .related(let relation, let child):
            // The child's paths are the target collection's: no declared type of this one applies.
            return .related(relation, where: try child.typed(by: { _ in nil }))
        case .pattern, .isNull, .regex, .dateTime, .compareValues, .stringTest, .valueIn, .search:
            // Literals of value expressions are typed JSON already.
            return self
        }
    }
}

/// A query value that does not fit the declared type of the field it is compared with.
public struct QueryTypeError: Error, Sendable, Hashable, CustomStringConvertible {
    public let field: FieldPath
    public let value: String
    public let expected: FieldType

    public var description: String { "\(field): '\(value)' is not \(expected.article)" }
}

extension QueryValue {
    /// This value as JSON of the given declared type (inferred when `type` is nil).
    ///
    /// A value that is already typed is kept as it is, also when it is not of `type`: it then equals
    /// none of the field's values, as `eq(count,empty())` (the string `""`) on an integer field.
    public func typed(as type: FieldType?, field: FieldPath) throws(QueryTypeError) -> QueryValue {
        guard let type else { return .json(inferred) }
        let text: String
        switch self {
        case .json: return self
        case .literal(let literal, _): text = literal
        }
        switch type {
        case .string, .date, .reference:
            let value = JSON.string(text)
            guard type.accepts(value) else { throw QueryTypeError(field: field, value: text, expected: type) }
            return .json(value)
        case .datetime:
            // Stored date-times are canonical UTC (`Timestamp.format`), so literals are made canonical too.
            guard let date = DateValidator.dateTime(text) else {
                throw QueryTypeError(field: field, value: text, expected: type)
            }
            return .json(.string(Timestamp.format(date)))
        case .integer, .decimal:
            guard JSONNumber(text) != nil, let number = try? JSON(parsing: text), type.accepts(number) else {
                throw QueryTypeError(field: field, value: text, expected: type)
            }
            return .json(number)
        case .boolean:
            guard text == "true" || text == "false" else {
                throw QueryTypeError(field: field, value: text, expected: type)
            }
            return .json(.bool(text == "true"))
        case .object, .array:
            throw QueryTypeError(field: field, value: text, expected: type)
        }
    }
}

extension Filter {
    /// Whether the predicate's truth for a document depends on that document's stored values alone,
    /// so that a total of its matches changes only when a matching document is written: false when it
    /// follows a relation into another collection (``related(_:where:)``) or reads the clock (`now()`).
    /// A backend may keep such totals up to date write by write.
    public var dependsOnlyOnItsDocument: Bool {
        switch self {
        case .and(let children), .or(let children): return children.allSatisfy(\.dependsOnlyOnItsDocument)
        case .not(let child), .anyElement(_, _, let child): return child.dependsOnlyOnItsDocument
        case .related: return false
        case .compareValues(let lhs, _, let rhs), .stringTest(_, let lhs, let rhs):
            return !lhs.readsTheClock && !rhs.readsTheClock
        case .valueIn(let value, _): return !value.readsTheClock
        case .compare, .pattern, .membership, .isNull, .regex, .dateTime, .search: return true
        }
    }
}

extension ValueExpression {
    /// Whether the expression calls `now()`.
    var readsTheClock: Bool {
        switch self {
        case .field, .literal: return false
        case .arithmetic(_, let lhs, let rhs): return lhs.readsTheClock || rhs.readsTheClock
        case .negate(let operand): return operand.readsTheClock
        case .call(let function, let arguments): return function == .now || arguments.contains(where: \.readsTheClock)
        }
    }
}
