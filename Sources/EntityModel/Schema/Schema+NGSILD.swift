extension Schema {
    /// The name of the collection that holds NGSI-LD entities unless the server is told another.
    public static let defaultNGSILDCollection = "ngsild"

    /// This schema with the top-level collection `name` that holds NGSI-LD entities, whether or not
    /// the schema declares it (even a closed schema gets it).
    ///
    /// Undeclared, it gets the default access; declared, it may set only `access`, `indexes` and
    /// `search` (anything else is an error naming it). Its ids are always IRIs (``IDKind/uri``),
    /// whatever the declaration says.
    ///
    /// ```swift
    /// let schema = try Schema(contentsOf: url).includingNGSILDCollection(named: "ngsild")
    /// ```
    public func includingNGSILDCollection(named name: String = Schema.defaultNGSILDCollection) throws(SchemaError)
        -> Schema
    {
        let path = "collections.\(name)"
        _ = try validName(name, path: path)
        guard namespaces[name] == nil else {
            throw SchemaError(
                path: "namespaces.\(name)",
                reason: "the NGSI-LD collection \(name) cannot be a namespace"
            )
        }
        var collection = collections[name] ?? CollectionSchema()
        let undeclarable: [(key: String, declared: Bool)] = [
            ("idPrefix", collection.idPrefix != nil),
            ("idPattern", collection.idPattern != nil),
            ("fields", !collection.fields.isEmpty),
            ("strict", collection.isStrict),
            ("actions", !collection.actions.isEmpty),
            ("functions", !collection.functions.isEmpty),
            ("collections", !collection.collections.isEmpty),
        ]
        if let key = undeclarable.first(where: \.declared)?.key {
            throw SchemaError(
                path: "\(path).\(key)",
                reason: "the NGSI-LD collection may declare only access, indexes and search"
            )
        }
        collection.ids = .uri
        collection.aliasesMetadata = false
        var schema = self
        schema.collections[name] = collection
        return schema
    }
}
