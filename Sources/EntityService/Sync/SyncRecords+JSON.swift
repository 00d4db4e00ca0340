import EntityModel
import EntityStore
import Foundation

extension SyncConflict {
    /// The conflict as the sync API shows it: `{"id", "collection", "entity", "key", "reason",
    /// "base"?, "server"?, "client"?, "user", "device", "at"}`; an absent value is an absent member.
    public var json: JSON {
        var members: [String: JSON] = [
            "id": .string(id), "collection": .string(collection.schemaKey), "entity": .string(entityID),
            "key": key.map(JSON.string) ?? .null, "reason": .string(reason.rawValue), "user": .string(userID),
            "device": .string(device), "at": .string(Timestamp.format(createdAt)),
        ]
        if let base { members["base"] = base }
        if let server { members["server"] = server }
        if let client { members["client"] = client }
        return .object(members)
    }

    /// Reads ``json`` back (a receipt keeps the conflicts of its answer).
    init?(json: JSON) {
        guard case .object(let members) = json, let id = members["id"]?.stringValue,
            let collection = members["collection"]?.stringValue, let entity = members["entity"]?.stringValue,
            let reason = members["reason"]?.stringValue.flatMap(Reason.init(rawValue:)),
            let user = members["user"]?.stringValue, let device = members["device"]?.stringValue,
            let at = members["at"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        self.init(
            id: id,
            collection: CollectionPath(collection),
            entityID: entity,
            key: members["key"]?.stringValue,
            reason: reason,
            base: members["base"],
            server: members["server"],
            client: members["client"],
            userID: user,
            device: device,
            createdAt: at
        )
    }
}

extension SyncPushResult {
    /// The result as a receipt stores it (the mutation id and target are the receipt's own).
    var receiptJSON: JSON {
        var members: [String: JSON] = ["status": .string(status.rawValue)]
        if let version { members["version"] = .integer(version) }
        if let values { members["values"] = .object(values) }
        if !conflicts.isEmpty { members["conflicts"] = .array(conflicts.map(\.json)) }
        if let error {
            members["error"] = .object([
                "code": .string(error.code.rawValue), "messages": .array(error.messages.map(JSON.string)),
            ])
        }
        return .object(members)
    }

    /// The result a receipt stored for `mutation`.
    init?(receipt text: String, for mutation: SyncMutation) {
        guard case .object(let members) = try? JSON(parsing: text),
            let status = members["status"]?.stringValue.flatMap(Status.init(rawValue:))
        else { return nil }
        var error: EntityError?
        if case .object(let stored) = members["error"],
            let code = stored["code"]?.stringValue.flatMap(EntityError.Code.init(rawValue:))
        {
            error = EntityError(code, stored["messages"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        var version: Int64?
        if case .integer(let stored) = members["version"] { version = stored }
        self.init(
            mutationID: mutation.mutationID,
            status: status,
            collection: mutation.collection,
            id: mutation.id,
            version: version,
            values: members["values"]?.objectValue,
            conflicts: members["conflicts"]?.arrayValue?.compactMap(SyncConflict.init(json:)) ?? [],
            error: error
        )
    }
}
