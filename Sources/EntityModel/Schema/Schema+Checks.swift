/// The checks of a schema that look across collections: reference targets, navigation names,
/// top-level operations.
extension Schema {
    /// The JSON path of the declaration of the collection with schema key `key`:
    /// `devops/services` → `namespaces.devops.collections.services`, `products/reviews` →
    /// `collections.products.collections.reviews`.
    public func documentPath(ofKey key: String) -> String {
        var names = key.split(separator: "/").map(String.init)[...]
        var parts: [String] = []
        if let first = names.first, namespaces[first] != nil {
            parts.append("namespaces.\(first)")
            names = names.dropFirst()
        }
        parts.append(contentsOf: names.map { "collections.\($0)" })
        return parts.joined(separator: ".")
    }

    /// Every reference names a collection that is not nested, from a collection that is not nested,
    /// and navigation names clash with no field, nested collection or other navigation.
    func checkReferences() throws(SchemaError) {
        // Names taken in each collection's entity type: fields and nested collections, then navigations.
        var taken: [String: Set<String>] = [:]
        for (key, collection) in allCollections {
            taken[key] = Set(collection.fields.keys).union(collection.collections.keys)
        }
        for (key, collection) in allCollections {
            for (name, reference) in collection.references {
                let fieldPath = "\(documentPath(ofKey: key)).fields.\(name)"
                guard collectionPath(forKey: key) != nil else {
                    throw SchemaError(
                        path: "\(fieldPath).type",
                        reason: "reference fields are declared only in collections that are not nested"
                    )
                }
                guard collectionPath(forKey: reference.collection) != nil else {
                    throw SchemaError(
                        path: "\(fieldPath).collection",
                        reason:
                            "unknown collection '\(reference.collection)'; name a collection that is not nested, as products or devops/services"
                    )
                }
                if reference.onDelete == .setNull, collection.fields[name]?.isRequired == true {
                    throw SchemaError(
                        path: "\(fieldPath).onDelete",
                        reason: "a required reference cannot become null; use \"restrict\""
                    )
                }
                if let navigation = reference.navigation {
                    try claim(navigation, in: key, path: "\(fieldPath).navigation", taken: &taken)
                }
                if let inverse = reference.inverse {
                    try claim(inverse, in: reference.collection, path: "\(fieldPath).inverse", taken: &taken)
                }
            }
        }
    }

    private func claim(_ name: String, in key: String, path: String, taken: inout [String: Set<String>])
        throws(SchemaError)
    {
        guard taken[key, default: []].insert(name).inserted else {
            throw SchemaError(
                path: path,
                reason: "\(key) already has a field, nested collection or navigation named \(name)"
            )
        }
    }

    /// Top-level operations name a collection that is not nested, and their names clash with no
    /// collection, namespace or other top-level operation (they share the URL space of collections).
    func checkTopLevelOperations() throws(SchemaError) {
        let operations: [(name: String, kind: String, collection: String?)] =
            actions.map { ($0.key, "actions", $0.value.collection) }
            + functions.map { ($0.key, "functions", $0.value.collection) }
        for (name, kind, collection) in operations.sorted(by: { ($0.name, $0.kind) < ($1.name, $1.kind) }) {
            let path = "\(kind).\(name)"
            guard let collection, collectionPath(forKey: collection) != nil else {
                throw SchemaError(
                    path: "\(path).collection",
                    reason:
                        "unknown collection '\(collection ?? "")'; name a collection that is not nested, as products or devops/services"
                )
            }
            if collections[name] != nil || namespaces[name] != nil {
                throw SchemaError(
                    path: path,
                    reason: "a top-level operation and a collection or namespace share the name \(name)"
                )
            }
            if kind == "functions", actions[name] != nil {
                throw SchemaError(path: path, reason: "a top-level action and function share the name \(name)")
            }
        }
    }
}

extension SchemaReader {
    /// Within a collection, actions, functions and nested collections share one name space (they are
    /// path segments after the collection or an id).
    func checkOperationNames(of schema: CollectionSchema) throws(SchemaError) {
        for name in schema.collections.keys.sorted() where schema.actions[name] != nil {
            throw SchemaError(
                path: child("actions.\(name)"),
                reason: "an action and a nested collection share the name \(name)"
            )
        }
        for name in schema.functions.keys.sorted() {
            if schema.actions[name] != nil {
                throw SchemaError(
                    path: child("functions.\(name)"),
                    reason: "an action and a function share the name \(name)"
                )
            }
            if schema.collections[name] != nil {
                throw SchemaError(
                    path: child("functions.\(name)"),
                    reason: "a function and a nested collection share the name \(name)"
                )
            }
        }
    }
}
