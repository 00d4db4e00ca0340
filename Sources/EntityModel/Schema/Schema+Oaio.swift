extension Schema {
    /// The collection that holds the objects of oaio clients.
    public static let oaioCollection = "oaio"

    /// This schema with the top-level collection ``oaioCollection``, whether or not the schema declares
    /// it (even a closed schema gets it).
    ///
    /// Undeclared, it gets the default access: private, and any signed-in user may create. Declared,
    /// it keeps its declaration. Its ids are always text (``IDKind/text``): oaio ids are Unicode.
    public func includingOaioCollection() throws(SchemaError) -> Schema {
        let name = Self.oaioCollection
        guard namespaces[name] == nil else {
            throw SchemaError(path: "namespaces.\(name)", reason: "the oaio collection cannot be a namespace")
        }
        var collection = collections[name] ?? CollectionSchema()
        collection.ids = .text
        var schema = self
        schema.collections[name] = collection
        return schema
    }
}
