import EntityModel

/// The body of `POST /entityOperations/query`: an NGSI-LD `Query` (5.2.23), read into a selection.
struct NGSILDQueryBody {
    let members: [String: JSON]

    init(_ body: JSON) {
        members = body.objectValue ?? [:]
    }

    /// Members of out-of-scope features: 422 OperationNotSupported (decision 3).
    static let unsupported: Set<String> = ["geoQ", "csf", "join", "joinLevel", "expandValues", "entityMap"]
    static let known: Set<String> = [
        "type", "entities", "attrs", "pick", "omit", "q", "scopeQ", "lang", "datasetId", "jsonKeys", "temporalQ",
        "local", "id",
    ]

    func selection(local: Bool?) throws(NGSILDProblem) -> NGSILDSelection {
        guard members["type"] == .string("Query") else {
            throw NGSILDProblem(.badRequestData, "type: a query body has \"type\": \"Query\"")
        }
        for name in members.keys.sorted() {
            if Self.unsupported.contains(name) {
                throw NGSILDProblem(.operationNotSupported, "\(name): not supported by EntityHub")
            }
            guard Self.known.contains(name) else {
                throw NGSILDProblem(.badRequestData, "\(name): not a member of a Query")
            }
        }
        if members["temporalQ"] != nil {
            throw NGSILDProblem(.badRequestData, "temporalQ: only for temporal queries, which EntityHub does not serve")
        }
        var selection = NGSILDSelection()
        selection.local = local
        if let entities = members["entities"] {
            guard case .array(let items) = entities, !items.isEmpty else {
                throw NGSILDProblem(.badRequestData, "entities: expected a non-empty array of EntityInfo")
            }
            for (index, item) in items.enumerated() {
                selection.entities.append(try entityInfo(item, at: index))
            }
        }
        selection.attrs = try names("attrs")
        selection.pick = try names("pick")
        selection.omit = try names("omit")
        selection.q = try string("q")
        selection.scopeQ = try string("scopeQ")
        selection.lang = try string("lang")
        return selection
    }

    private func entityInfo(_ item: JSON, at index: Int) throws(NGSILDProblem) -> NGSILDSelection.EntityInfo {
        guard case .object(let info) = item else {
            throw NGSILDProblem(.badRequestData, "entities[\(index)]: expected an EntityInfo object")
        }
        guard case .string(let type)? = info["type"] else {
            throw NGSILDProblem(.badRequestData, "entities[\(index)].type: an EntityInfo needs a type")
        }
        var result = NGSILDSelection.EntityInfo(types: type)
        switch info["id"] {
        case nil: break
        case .string(let id)?: result.ids = [id]
        case .array(let ids)? where ids.allSatisfy({ $0.stringValue != nil }):
            result.ids = ids.compactMap(\.stringValue)
        default: throw NGSILDProblem(.badRequestData, "entities[\(index)].id: expected a URI or an array of URIs")
        }
        if result.ids == nil, let pattern = info["idPattern"] {
            guard case .string(let text) = pattern else {
                throw NGSILDProblem(.badRequestData, "entities[\(index)].idPattern: expected a string")
            }
            result.idPattern = text
        }
        return result
    }

    private func names(_ member: String) throws(NGSILDProblem) -> [String]? {
        guard let value = members[member] else { return nil }
        guard case .array(let items) = value, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) else {
            throw NGSILDProblem(.badRequestData, "\(member): expected a non-empty array of names")
        }
        return items.compactMap(\.stringValue)
    }

    private func string(_ member: String) throws(NGSILDProblem) -> String? {
        guard let value = members[member] else { return nil }
        guard case .string(let text) = value else {
            throw NGSILDProblem(.badRequestData, "\(member): expected a string")
        }
        return text
    }
}
