import EntityQuery
import EntityStore
import GRDB

/// Where the value of a query path comes from: the entity's JSON values or a metadata column.
enum FieldSource {
    /// A path into the `values` JSON column; `path` is the SQL for the JSON path argument.
    case json(path: SQLFragment)
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
        switch components[0] {
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
            guard let text = JSONPath.text(components) else {
                throw StoreError(
                    .invalidQuery,
                    "the field path '\(path)' cannot be queried: its keys contain '\"', '\\' or control characters"
                )
            }
            if indexedPaths.contains(components) {
                self = .json(path: SQLFragment(JSONPath.quotedLiteral(text)))
            } else {
                self = .json(path: SQLFragment("?", [text.databaseValue]))
            }
        }
    }

    /// The SQL value of the field: numbers as numbers, strings as text, booleans as 0/1, arrays and
    /// objects as JSON text, NULL when missing or JSON null.
    var value: SQLFragment {
        switch self {
        case .json(let path): return SQLFragment(#"json_extract("values", "#) + path + SQLFragment(")")
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

    /// `text` as a single-quoted SQL string literal.
    static func quotedLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
