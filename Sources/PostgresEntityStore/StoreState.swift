import EntityModel

/// What ``PostgresEntityStore/prepare(for:)`` learned from the schema, persisted in the database so a
/// restarted store indexes the full text the same way before it is prepared again.
struct StoreState: Sendable, Hashable {
    /// Declared search fields by schema key; collections not listed index every top-level string.
    var searchFields: [String: [String]] = [:]

    /// The search fields of the collection at `storageKey`.
    func searchFields(forStorageKey storageKey: String) -> [String] {
        if searchFields.isEmpty { return [] }
        return searchFields[CollectionPath(storageKey: storageKey).schemaKey] ?? []
    }

    static func encodeStrings(_ strings: [String]) -> String {
        JSON.array(strings.map(JSON.string)).serialized()
    }

    static func decodeStrings(_ text: String) -> [String] {
        guard case .array(let elements)? = try? JSON(parsing: text) else { return [] }
        return elements.compactMap(\.stringValue)
    }
}
