import EntityModel
import EntityService

/// The wire form of an oaio object: a JSON object with exactly the ten keys of the client's
/// `OaiObject` dataclass (the client rebuilds objects with `OaiObject(**dict)`, so one key more fails
/// its sync).
enum OaioObjectJSON {
    static let keys: Set<String> = [
        "oaio_id", "client_stamp", "server_stamp", "client_values", "server_values", "csh_id", "username",
        "device_id", "app_id", "csh_access_right",
    ]

    static func json(_ object: OaioObject) -> JSON {
        .object(Dictionary(uniqueKeysWithValues: members(of: object).lazy.map { ($0.key, $0.value) }))
    }

    /// Appends the object's JSON text, members in a fixed order, without building a dictionary: the
    /// fast path of `oaio_stampz/`, which answers every object of the caller.
    static func write(_ object: OaioObject, into output: inout [UInt8]) {
        JSON.writeObject(members(of: object), into: &output)
    }

    private static func members(of object: OaioObject) -> [(key: String, value: JSON)] {
        [
            ("oaio_id", .string(object.id)),
            ("client_stamp", .string(object.stamp.description)),
            ("server_stamp", .string(object.previousStamp?.description ?? "")),
            ("client_values", .object(object.values)),
            ("server_values", .object(object.previousValues)),
            ("csh_id", object.fileHost.map(JSON.string) ?? .null),
            ("username", .string(object.writer)),
            ("device_id", .string(object.device)),
            ("app_id", .string(object.app)),
            ("csh_access_right", .string(object.right.rawValue)),
        ]
    }

    /// The upload a `register/` or `upload/` body carries, with the device and app of the request's
    /// headers. The body's `username`, `device_id`, `app_id` and `csh_access_right` are ignored: they
    /// echo whatever the client last received.
    ///
    /// - Throws: 400 naming what is missing, extra or of the wrong type.
    static func upload(_ body: JSON?, device: String, app: String) throws(RESTError) -> OaioUpload {
        guard case .object(let members)? = body else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "request body: expected an oaio object (a JSON object)")
        }
        let missing = keys.subtracting(members.keys).sorted()
        let extra = Set(members.keys).subtracting(keys).sorted()
        guard missing.isEmpty, extra.isEmpty else {
            var problems: [String] = []
            if !missing.isEmpty { problems.append("missing: \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { problems.append("unknown: \(extra.joined(separator: ", "))") }
            throw RESTError(
                .badRequest,
                "INVALID_REQUEST",
                "request body: an oaio object has exactly the keys \(keys.sorted().joined(separator: ", ")); "
                    + problems.joined(separator: "; ")
            )
        }
        func text(_ key: String) throws(RESTError) -> String {
            guard case .string(let value)? = members[key] else { throw wrongType(key, "a string") }
            return value
        }
        func object(_ key: String) throws(RESTError) -> [String: JSON] {
            guard case .object(let value)? = members[key] else { throw wrongType(key, "an object") }
            return value
        }
        let fileHost: String?
        switch members["csh_id"] {
        case .string(let value)?: fileHost = value
        case .null?: fileHost = nil
        default: throw wrongType("csh_id", "a string or null")
        }
        return OaioUpload(
            id: try text("oaio_id"),
            stamp: try text("client_stamp"),
            baseStamp: try text("server_stamp"),
            values: try object("client_values"),
            baseValues: try object("server_values"),
            fileHost: fileHost,
            device: device,
            app: app
        )
    }

    /// The `oaio_id` of a body that names an object (`delete/`).
    static func id(of body: JSON?) throws(RESTError) -> String {
        guard case .object(let members)? = body else {
            throw RESTError(.badRequest, "INVALID_REQUEST", "request body: expected an oaio object (a JSON object)")
        }
        guard case .string(let id)? = members["oaio_id"] else { throw wrongType("oaio_id", "a string") }
        return id
    }

    static func wrongType(_ key: String, _ expected: String) -> RESTError {
        RESTError(.badRequest, "INVALID_REQUEST", "\(key): expected \(expected)")
    }
}
