import Foundation

/// Why a schema file was rejected, with the JSON path of the offending part.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where in the schema document, e.g. `collections.products.fields.price.type`.
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}

extension Schema {
    /// Loads a schema from a JSON file.
    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let document: JSON
        do {
            document = try JSON(parsing: data)
        } catch {
            throw SchemaError(path: "", reason: error.description)
        }
        try self.init(json: document)
    }

    /// Builds a schema from its JSON document:
    ///
    /// ```json
    /// {"namespaces": {"devops": {"collections": {"services": {"idPrefix": "SRVC"}}}},
    ///  "collections": {"products": {"idPrefix": "PRD", "idPattern": "###-###-###",
    ///     "fields": {"name": {"type": "string", "required": true}}, "indexes": ["name"]}}}
    /// ```
    public init(json: JSON) throws(SchemaError) {
        let root = try SchemaReader(json, path: "")
        try root.allowOnly(["namespaces", "collections", "actions", "functions"])
        var namespaces: [String: NamespaceSchema] = [:]
        for (name, value) in try root.objectMembers("namespaces") {
            let namespace = try SchemaReader(value, path: "namespaces.\(name)")
            try namespace.allowOnly(["collections"])
            namespaces[try validName(name, path: namespace.path)] = NamespaceSchema(
                collections: try namespace.collections()
            )
        }
        self.init(
            namespaces: namespaces,
            collections: try root.collections(),
            actions: try root.topLevelActions(),
            functions: try root.topLevelFunctions()
        )
        for (name, _) in namespaces where collections[name] != nil {
            throw SchemaError(path: "namespaces.\(name)", reason: "a namespace and a collection share the name \(name)")
        }
        try checkReferences()
        try checkTopLevelOperations()
    }
}

func validName(_ name: String, path: String) throws(SchemaError) -> String {
    let allowed = name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
    guard !name.isEmpty, allowed else {
        throw SchemaError(path: path, reason: "names may contain only letters, digits, '-' and '_'")
    }
    guard !name.hasPrefix("_") else {
        throw SchemaError(path: path, reason: "names starting with '_' are reserved for EntityHub's own endpoints")
    }
    return name
}

/// Field names are the components of query dot paths, so they cannot be empty or contain a dot.
func validFieldName(_ name: String, path: String) throws(SchemaError) -> String {
    guard !name.isEmpty, !name.contains(".") else {
        throw SchemaError(path: path, reason: "field names must be non-empty and cannot contain '.'")
    }
    return name
}

struct SchemaReader {
    let members: [String: JSON]
    let path: String

    init(_ value: JSON, path: String) throws(SchemaError) {
        guard case .object(let members) = value else {
            throw SchemaError(path: path, reason: "expected an object, found \(value.typeName)")
        }
        self.members = members
        self.path = path
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func allowOnly(_ keys: Set<String>) throws(SchemaError) {
        for key in members.keys.sorted() where !keys.contains(key) {
            throw SchemaError(
                path: child(key),
                reason: "unknown key; expected one of \(keys.sorted().joined(separator: ", "))"
            )
        }
    }

    func objectMembers(_ key: String) throws(SchemaError) -> [(String, JSON)] {
        guard let value = members[key] else { return [] }
        guard case .object(let object) = value else {
            throw SchemaError(path: child(key), reason: "expected an object, found \(value.typeName)")
        }
        return object.sorted { $0.key < $1.key }
    }

    func string(_ key: String) throws(SchemaError) -> String? {
        guard let value = members[key] else { return nil }
        guard case .string(let text) = value else {
            throw SchemaError(path: child(key), reason: "expected a string, found \(value.typeName)")
        }
        return text
    }

    func bool(_ key: String) throws(SchemaError) -> Bool? {
        guard let value = members[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw SchemaError(path: child(key), reason: "expected true or false, found \(value.typeName)")
        }
        return flag
    }

    func strings(_ key: String) throws(SchemaError) -> [String] {
        guard let value = members[key] else { return [] }
        guard case .array(let elements) = value else {
            throw SchemaError(path: child(key), reason: "expected an array of strings, found \(value.typeName)")
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element, !text.isEmpty else {
                throw SchemaError(path: "\(child(key))[\(index)]", reason: "expected a non-empty string")
            }
            result.append(text)
        }
        return result
    }

    func collections() throws(SchemaError) -> [String: CollectionSchema] {
        var result: [String: CollectionSchema] = [:]
        for (name, value) in try objectMembers("collections") {
            let path = child("collections.\(name)")
            result[try validName(name, path: path)] = try SchemaReader(value, path: path).collection()
        }
        return result
    }

    func collection() throws(SchemaError) -> CollectionSchema {
        try allowOnly([
            "idPrefix", "idPattern", "ids", "fields", "strict", "indexes", "search", "actions", "functions",
            "collections", "access", "requireETag",
        ])
        var fields: [String: FieldSchema] = [:]
        for (name, value) in try objectMembers("fields") {
            let path = child("fields.\(name)")
            if name == "id" || name == Entity.metaKey {
                throw SchemaError(path: path, reason: "\(name) is reserved for the entity's id and metadata")
            }
            fields[try validFieldName(name, path: path)] = try SchemaReader(value, path: path).field(
                allowingReference: true
            )
        }
        var schema = CollectionSchema(
            idPrefix: try string("idPrefix"),
            idPattern: try string("idPattern"),
            fields: fields,
            isStrict: try bool("strict") ?? false,
            indexes: try strings("indexes"),
            searchFields: try strings("search"),
            actions: try actions(),
            functions: try functions(),
            collections: try collections(),
            access: try access(),
            ids: try choice("ids", of: IDKind.self, naming: "id kind") ?? .urlSafe
        )
        schema.requiresETag = try bool("requireETag") ?? false
        try checkOperationNames(of: schema)
        try checkIDs(of: schema)
        return schema
    }
}
