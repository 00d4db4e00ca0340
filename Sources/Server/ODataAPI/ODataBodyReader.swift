import EntityModel
import EntityQuery
import Foundation

/// Reads an OData entity body into an EntityHub document: OData names back to field names,
/// annotations dropped, `Nav@odata.bind` turned into the reference field, computed properties
/// ignored, and Int64/Decimal strings (`IEEE754Compatible=true`) turned into numbers.
struct ODataBodyReader: Sendable {
    let model: ODataModel
    let type: ODataStructuredType
    let maximumDepth: Int
    /// In a `$batch`: the entities earlier requests created, by request id (`$1` → `categories('C9')`).
    var batchReferences: [String: String] = [:]

    /// The JSON object of a request body: 415 for a body that is declared as another media type,
    /// 400 naming the problem when it is not a JSON object.
    func object(_ body: [UInt8], contentType: String?) throws -> [String: JSON] {
        if let contentType, !Self.isJSON(contentType) {
            throw ODataError(
                .unsupportedMediaType,
                "the body is \(contentType); OData bodies are application/json",
                target: "Content-Type"
            )
        }
        guard !body.isEmpty else { throw ODataError(.badRequest, "the request needs a JSON body") }
        let json: JSON
        do {
            json = try JSON(parsing: body, maximumDepth: maximumDepth)
        } catch {
            throw ODataError(.badRequest, "the request body is not JSON: \(error.description)")
        }
        guard case .object(let members) = json else {
            throw ODataError(.badRequest, "the request body must be a JSON object")
        }
        return members
    }

    /// The JSON object of a request's body.
    func object(of request: ODataRequest) throws -> [String: JSON] {
        try object(request.body, contentType: request.header(.contentType))
    }

    /// Whether a `Content-Type` is JSON (`application/json`, with any parameters).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == "application/json" || type?.hasSuffix("+json") == true
    }

    /// The document of an entity body, ready for ``EntityService``.
    func document(_ members: [String: JSON]) throws -> [String: JSON] {
        var document: [String: JSON] = [:]
        for (name, value) in members {
            if let at = name.firstIndex(of: "@") {
                let annotation = name[name.index(after: at)...]
                let owner = String(name[..<at])
                guard !owner.isEmpty, annotation == "odata.bind" || annotation == "bind" else { continue }
                try bind(owner, value, into: &document)
                continue
            }
            if let property = type.property(named: name) {
                if property.isComputed { continue }
                guard let field = property.path.components.first, property.path.components.count == 1 else { continue }
                document[field] = try self.value(value, as: property.type, property: name)
                continue
            }
            if let navigation = type.navigation(named: name) {
                throw ODataError.notImplemented("deep insert (\(navigation.name) inline); bind with \(name)@odata.bind")
            }
            guard type.isOpen else {
                throw ODataError(.badRequest, "\(type.name) has no property '\(name)'", target: name)
            }
            document[name] = value
        }
        return document
    }

    /// `Nav@odata.bind: "categories('C1')"`: the reference field gets the id.
    private func bind(_ name: String, _ value: JSON, into document: inout [String: JSON]) throws {
        guard let navigation = type.navigation(named: name) else {
            throw ODataError(
                .badRequest,
                "\(type.name) has no navigation property '\(name)'",
                target: "\(name)@odata.bind"
            )
        }
        guard case .reference(let propertyName) = navigation.link, let property = type.property(named: propertyName),
            let field = property.path.components.first
        else {
            throw ODataError.notImplemented("binding the collection navigation \(name); bind from the other side")
        }
        switch value {
        case .null:
            document[field] = .null
        case .string(let written):
            var reference = written
            if written.hasPrefix("$"), let created = batchReferences[String(written.dropFirst())] {
                reference = created
            }
            guard let (set, id) = ODataPathResolver.setAndID(inReference: reference), set == navigation.target else {
                throw ODataError(
                    .badRequest,
                    "\(name)@odata.bind must name an entity of \(navigation.target), like \(navigation.target)('id')",
                    target: "\(name)@odata.bind"
                )
            }
            document[field] = .string(id)
        default:
            throw ODataError(
                .badRequest,
                "\(name)@odata.bind is one entity reference (a string)",
                target: "\(name)@odata.bind"
            )
        }
    }

    /// A property value in the stored form.
    func value(_ value: JSON, as type: ODataType, property: String) throws -> JSON {
        switch (type, value) {
        case (.primitive(.int64), .string(let text)), (.primitive(.decimal), .string(let text)):
            guard JSONNumber(text) != nil, let number = try? JSON(parsing: text) else {
                throw ODataError(.badRequest, "\(property): '\(text)' is not a number", target: property)
            }
            return number
        case (.complex(let name), .object(let members)):
            guard let complex = model.type(named: name) else { return value }
            return .object(
                try ODataBodyReader(model: model, type: complex, maximumDepth: maximumDepth).document(members)
            )
        case (.collection(let element), .array(let elements)):
            var converted: [JSON] = []
            for element_ in elements { converted.append(try self.value(element_, as: element, property: property)) }
            return .array(converted)
        default:
            return value
        }
    }
}
