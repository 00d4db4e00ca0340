import EntityModel
import EntityService

/// The body of `POST /api/v1/_sync/push`, read from JSON:
/// `{"device", "mutations": [{"mid", "op", "collection", "id", "base_version", "set", "unset", "base"}]}`.
///
/// A body of the wrong shape is refused whole with the member at fault (`mutations[3].op: …`);
/// what depends on the store (rights, versions, the schema) is decided per mutation by the service.
struct SyncPushRequest {
    let device: String
    let mutations: [SyncMutation]

    init(_ body: JSON?) throws(RESTError) {
        guard case .object(let members) = body else {
            throw Self.invalid("request body: expected an object {\"device\", \"mutations\": [...]}")
        }
        guard let device = members["device"]?.stringValue else {
            throw Self.invalid("device: required, the name of the pushing device (a string)")
        }
        guard case .array(let items) = members["mutations"] else {
            throw Self.invalid("mutations: required, an array of mutations")
        }
        var mutations: [SyncMutation] = []
        mutations.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            mutations.append(try Self.mutation(item, at: "mutations[\(index)]"))
        }
        self.device = device
        self.mutations = mutations
    }

    private static func mutation(_ item: JSON, at path: String) throws(RESTError) -> SyncMutation {
        guard case .object(let members) = item else { throw invalid("\(path): expected an object") }
        func string(_ key: String) throws(RESTError) -> String {
            guard let value = members[key]?.stringValue else { throw invalid("\(path).\(key): required, a string") }
            return value
        }
        func object(_ key: String) throws(RESTError) -> [String: JSON] {
            switch members[key] {
            case nil, .null?: return [:]
            case .object(let value)?: return value
            default: throw invalid("\(path).\(key): expected an object")
            }
        }
        let opName = try string("op")
        guard let operation = SyncMutation.Operation(rawValue: opName) else {
            throw invalid("\(path).op: expected create, update or delete, found '\(opName.prefix(40))'")
        }
        var baseVersion: Int64?
        switch members["base_version"] {
        case nil, .null?: baseVersion = nil
        case .integer(let version)?: baseVersion = version
        default: throw invalid("\(path).base_version: expected an integer")
        }
        var unset: [String] = []
        switch members["unset"] {
        case nil, .null?: break
        case .array(let keys)?:
            for key in keys {
                guard let name = key.stringValue else { throw invalid("\(path).unset: expected an array of keys") }
                unset.append(name)
            }
        default: throw invalid("\(path).unset: expected an array of keys")
        }
        return SyncMutation(
            mutationID: try string("mid"),
            operation: operation,
            collection: try string("collection"),
            id: try string("id"),
            baseVersion: baseVersion,
            set: try object("set"),
            unset: unset,
            base: try object("base")
        )
    }

    private static func invalid(_ message: String) -> RESTError {
        RESTError(.badRequest, "INVALID_REQUEST", message)
    }
}
