import EntityModel
import EntityQuery
import EntityStore

/// Where the value of a query path comes from: the entity's `jsonb` values or a metadata column.
enum FieldSource {
    /// A path into the `values` column: `value` is the `jsonb` at the path (SQL NULL when missing).
    case json(value: SQLFragment, text: SQLFragment)
    /// A text column (`id`, timestamps, `created_by`); a NULL means the field is missing.
    case textColumn(String)
    /// An integer column (`version`).
    case integerColumn(String)
    /// `_meta` itself: always an object.
    case object
    /// A path that can never resolve (`id.x`, `_meta.unknown`).
    case missing

    /// Resolves `path`. The path is bound as a `text[]` value; Postgres plans each statement with
    /// its bound values, so `"values" #> $1` matches an expression index on the same constant path.
    init(_ path: FieldPath) {
        let components = path.components
        guard let first = components.first else {
            self = .object  // the document itself
            return
        }
        switch first {
        case "id":
            self = components.count == 1 ? .textColumn("id") : .missing
        case Entity.metaKey:
            guard components.count > 1 else {
                self = .object
                return
            }
            guard components.count == 2 else {
                self = .missing
                return
            }
            switch components[1] {
            case "version": self = .integerColumn("version")
            case "created": self = .textColumn("created_at")
            case "updated": self = .textColumn("updated_at")
            case "createdBy": self = .textColumn("created_by")
            default: self = .missing
            }
        default:
            self = .json(components, in: SQLFragment(#""values""#), isObject: true)
        }
    }

    /// The value at `keys` below the `jsonb` value `base` (`base` itself for no keys); unless
    /// `isObject` says `base` is always an object, an array `base` has no members.
    static func json(_ keys: [String], in base: SQLFragment, isObject: Bool) -> FieldSource {
        guard !keys.isEmpty else {
            return .json(value: base.parenthesized, text: SQLFragment("(") + base + SQLFragment(" #>> '{}')"))
        }
        let keys = keys.map(JSONB.sanitized)
        let bound = SQLFragment.bind(.textArray(keys), "::text[]")
        var value = SQLFragment("(") + base + SQLFragment(" #> ") + bound + SQLFragment(")")
        var text = SQLFragment("(") + base + SQLFragment(" #>> ") + bound + SQLFragment(")")
        // `#>` indexes arrays with keys such as "0" or "-1", where a path must find only objects.
        let guards = (isObject ? 1 : 0)..<keys.count
        let conditions = guards.filter { JSONB.couldIndexArray(keys[$0]) }.map { position in
            SQLFragment("jsonb_typeof(") + base + SQLFragment(" #> ")
                + SQLFragment.bind(.textArray(Array(keys[..<position])), "::text[]")
                + SQLFragment(") = 'object'")
        }
        if !conditions.isEmpty {
            let condition = SQLFragment.joined(conditions, separator: " AND ")
            value = SQLFragment("(CASE WHEN ") + condition + SQLFragment(" THEN ") + value + SQLFragment(" END)")
            text = SQLFragment("(CASE WHEN ") + condition + SQLFragment(" THEN ") + text + SQLFragment(" END)")
        }
        return .json(value: value, text: text)
    }

    /// The field as text: strings unquoted (other JSON values as JSON text), columns as they are.
    var text: SQLFragment {
        switch self {
        case .json(_, let text): return text
        case .textColumn(let column): return SQLFragment(column)
        case .integerColumn(let column): return SQLFragment(column + "::text")
        case .object, .missing: return SQLFragment("NULL::text")
        }
    }

    /// The `jsonb_typeof` of the field (`NULL` when missing).
    var jsonType: SQLFragment {
        switch self {
        case .json(let value, _): return SQLFragment("jsonb_typeof") + value.parenthesized
        case .textColumn(let column): return SQLFragment("(CASE WHEN \(column) IS NULL THEN NULL ELSE 'string' END)")
        case .integerColumn: return SQLFragment("'number'")
        case .object: return SQLFragment("'object'")
        case .missing: return SQLFragment("NULL::text")
        }
    }

    /// Whether `path` addresses the JSON values (not `id` or `_meta`), so an index on it makes sense.
    static func isIndexable(_ path: FieldPath) -> Bool {
        guard let first = path.components.first else { return false }
        return first != "id" && first != Entity.metaKey
    }
}
