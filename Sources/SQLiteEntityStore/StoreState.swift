import EntityModel
import GRDB

/// What ``SQLiteEntityStore/prepare(for:)`` learned from the schema, persisted in the database so a
/// restarted store indexes and queries the same way before it is prepared again.
struct StoreState: Sendable, Hashable {
    /// Declared search fields by schema key; collections not listed index every top-level string.
    var searchFields: [String: [String]] = [:]
    /// Field paths with an expression index on `(collection, json_extract("values", path))`.
    var indexedPaths: Set<[String]> = []

    /// The search fields of the collection at `storageKey`.
    func searchFields(forStorageKey storageKey: String) -> [String] {
        if searchFields.isEmpty { return [] }
        return searchFields[CollectionPath(storageKey: storageKey).schemaKey] ?? []
    }

    static func load(_ db: Database) throws -> StoreState {
        var state = StoreState()
        for row in try Row.fetchAll(db, sql: "SELECT schema_key, fields FROM search_fields") {
            state.searchFields[row[0]] = try decodeStrings(row[1])
        }
        for text in try String.fetchAll(db, sql: "SELECT path FROM value_indexes") {
            state.indexedPaths.insert(try decodeStrings(text))
        }
        return state
    }

    static func encodeStrings(_ strings: [String]) -> String {
        JSON.array(strings.map(JSON.string)).serialized()
    }

    static func decodeStrings(_ text: String) throws -> [String] {
        guard case .array(let elements) = try JSON(parsing: text) else { return [] }
        return elements.compactMap(\.stringValue)
    }
}
