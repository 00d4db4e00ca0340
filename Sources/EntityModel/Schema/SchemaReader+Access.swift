extension SchemaReader {
    /// `"access": {"read": "public-read", "create": "admin", "write": "authenticated"}`, or the read
    /// default alone: `"access": "authenticated-read"`.
    func access() throws(SchemaError) -> CollectionAccess {
        guard let value = members["access"] else { return CollectionAccess() }
        if case .string = value, let read = try choice("access", of: CollectionAccess.Read.self, naming: "read default")
        {
            return CollectionAccess(read: read)
        }
        let reader = try SchemaReader(value, path: child("access"))
        try reader.allowOnly(["read", "create", "write"])
        var access = CollectionAccess()
        if let read = try reader.choice("read", of: CollectionAccess.Read.self, naming: "read default") {
            access.read = read
        }
        if let create = try reader.choice("create", of: CollectionAccess.Create.self, naming: "creator policy") {
            access.create = create
        }
        if let write = try reader.choice("write", of: CollectionAccess.Write.self, naming: "write policy") {
            access.write = write
        }
        return access
    }

    /// The member `key` as one of the raw values of `Choice`, or `nil` when absent.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String,
        of type: Choice.Type,
        naming what: String
    ) throws(SchemaError) -> Choice? where Choice.RawValue == String {
        guard let name = try string(key) else { return nil }
        guard let choice = Choice(rawValue: name) else {
            let choices = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw SchemaError(path: child(key), reason: "unknown \(what); expected one of \(choices)")
        }
        return choice
    }

    /// IRI ids are generated as `urn:uuid:…` and may hold `/` and `:`, so they take no prefix or pattern
    /// and cannot be the parents of nested collections (whose paths join ids with `/`).
    func checkIDs(of schema: CollectionSchema) throws(SchemaError) {
        guard schema.ids == .uri else { return }
        for key in ["idPrefix", "idPattern"] where members[key] != nil {
            throw SchemaError(path: child(key), reason: "\"ids\": \"uri\" generates urn:uuid ids; drop \(key)")
        }
        if let name = schema.collections.keys.sorted().first {
            throw SchemaError(
                path: child("collections.\(name)"),
                reason: "a collection with \"ids\": \"uri\" cannot hold nested collections"
            )
        }
    }
}
