import EntityQuery
import EntityStore
import GRDB

/// Where the value of a query path comes from: the entity's JSON values or a metadata column.
enum FieldSource {
    /// A JSON value: `value` is its SQL value (as `json_extract` gives it), `type` its `json_type`
    /// (both NULL when missing), `tree` the arguments of a `json_each` over it.
    case json(value: SQLFragment, type: SQLFragment, tree: SQLFragment)
    /// A text column (`id`, timestamps, `created_by`); a NULL means the field is missing.
    case textColumn(String)
    /// An integer column (`version`).
    case integerColumn(String)
    /// `_meta` itself: always an object.
    case object
    /// A path that can never resolve (`id.x`, `_meta.unknown`).
    case missing

    /// Resolves `path`. Paths in `indexedPaths` get their JSON path inlined as a quoted SQL literal
    /// so that the expression matches the expression index; all others are bound arguments.
    init(_ path: FieldPath, indexedPaths: Set<[String]>) throws(StoreError) {
        let components = path.components
        guard let first = components.first else {
            self = .object  // the document itself
            return
        }
        switch first {
        case "id":
            self = components.count == 1 ? .textColumn("id") : .missing
        case "_meta":
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
            guard let text = JSONPath.text(components) else { throw JSONPath.unqueryable(path) }
            if indexedPaths.contains(components) {
                self = .json(in: SQLFragment(#""values""#), path: SQLFragment(JSONPath.quotedLiteral(text)))
            } else {
                self = .json(in: SQLFragment(#""values""#), path: SQLFragment("?", [text.databaseValue]))
            }
        }
    }

    /// The value at `path` below the current element of the `json_each` row `alias` (the element
    /// itself for an empty path). Only an object element has members: other elements are never read
    /// as JSON text (a string element holding `{…}` is a string).
    init(_ path: [String], inElement alias: String) throws(StoreError) {
        guard !path.isEmpty else {
            self = .json(
                value: SQLFragment(alias + ".value"),
                type: SQLFragment(alias + ".type"),
                tree: SQLFragment("(CASE WHEN \(alias).type IN ('array', 'object') THEN \(alias).value END)")
            )
            return
        }
        guard let text = JSONPath.text(path) else { throw JSONPath.unqueryable(FieldPath(path)) }
        let container = SQLFragment("(CASE WHEN \(alias).type = 'object' THEN \(alias).value END)")
        self = .json(in: container, path: SQLFragment("?", [text.databaseValue]))
    }

    /// The value at the JSON path `path` (an SQL expression) of the JSON text `document`.
    static func json(in document: SQLFragment, path: SQLFragment) -> FieldSource {
        .json(
            value: SQLFragment("json_extract(") + document + SQLFragment(", ") + path + SQLFragment(")"),
            type: SQLFragment("json_type(") + document + SQLFragment(", ") + path + SQLFragment(")"),
            tree: document + SQLFragment(", ") + path
        )
    }

    /// The SQL value of the field: numbers as numbers, strings as text, booleans as 0/1, arrays and
    /// objects as JSON text, NULL when missing or JSON null.
    var value: SQLFragment {
        switch self {
        case .json(let value, _, _): return value
        case .textColumn(let column), .integerColumn(let column): return SQLFragment(column)
        case .object, .missing: return SQLFragment("NULL")
        }
    }
}

/// SQLite JSON path text for object keys.
enum JSONPath {
    /// `$."a"."b"`, or `nil` when a key cannot be written safely: keys with `"`, `\` or control
    /// characters are compared by SQLite against their escaped form, differently across versions.
    static func text(_ components: [String]) -> String? {
        var text = "$"
        for key in components {
            guard !key.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 })
            else {
                return nil
            }
            text += ".\"" + key + "\""
        }
        return text
    }

    /// The error for a path whose keys ``text(_:)`` cannot write.
    static func unqueryable(_ path: FieldPath) -> StoreError {
        StoreError(
            .invalidQuery,
            "the field path '\(path)' cannot be queried: its keys contain '\"', '\\' or control characters"
        )
    }

    /// `text` as a single-quoted SQL string literal.
    static func quotedLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
