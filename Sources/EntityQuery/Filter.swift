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
/// - `and`, `or`, `not`: two-valued boolean logic (an empty `and` is true, an empty `or` false).
public indirect enum Filter: Sendable, Hashable {
    case and([Filter])
    case or([Filter])
    case not(Filter)
    case compare(FieldPath, ComparisonOperator, QueryValue)
    case pattern(FieldPath, String, caseInsensitive: Bool)
    case membership(FieldPath, [QueryValue], negated: Bool)
    case isNull(FieldPath, negated: Bool)
}

/// Comparison operators of ``Filter/compare(_:_:_:)``.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case eq, ne, lt, le, gt, ge
}

extension Filter {
    /// Every field path the predicate reads.
    public var fieldPaths: [FieldPath] {
        switch self {
        case .and(let children), .or(let children): return children.flatMap(\.fieldPaths)
        case .not(let child): return child.fieldPaths
        case .compare(let path, _, _), .pattern(let path, _, _), .membership(let path, _, _),
            .isNull(let path, _):
            return [path]
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
        case .pattern, .isNull:
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
        case .string, .date:
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
