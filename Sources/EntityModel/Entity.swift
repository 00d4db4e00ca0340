import Foundation

/// One stored JSON entity: its values plus the metadata EntityHub keeps for it.
///
/// The version starts at 1 and grows by one with every write; it is the ETag in every protocol.
public struct Entity: Sendable, Hashable {
    /// The collection the entity lives in, e.g. `products` or `devops/services/SRVC-1/environments`.
    public var collection: CollectionPath
    /// The entity's id, unique within its collection.
    public var id: String
    /// The entity's own fields; never contains `id` or the reserved ``Entity/metaKey``.
    public var values: [String: JSON]
    public var version: Int64
    public var createdAt: Date
    public var updatedAt: Date
    /// The account id of the user who created the entity (`USR-…`, never reused), when known.
    public var createdBy: String?

    /// The key under which metadata appears in an entity's JSON form.
    public static let metaKey = "_meta"

    public init(
        collection: CollectionPath,
        id: String,
        values: [String: JSON],
        version: Int64 = 1,
        createdAt: Date,
        updatedAt: Date,
        createdBy: String? = nil
    ) {
        self.collection = collection
        self.id = id
        self.values = values
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
    }
}

extension Entity {
    /// The metadata object: `{"version": 3, "created": "...", "updated": "...", "createdBy": "..."}`.
    public var meta: JSON {
        var members: [String: JSON] = [
            "version": .integer(version),
            "created": .string(Timestamp.format(createdAt)),
            "updated": .string(Timestamp.format(updatedAt)),
        ]
        if let createdBy { members["createdBy"] = .string(createdBy) }
        return .object(members)
    }

    /// Appends the compact JSON text of ``meta`` (same members, keys in order) without building it:
    /// the fast path of every entity a response carries.
    public func writeMeta(into output: inout [UInt8]) {
        output.append(contentsOf: #"{"created":""#.utf8)
        Timestamp.write(createdAt, into: &output)
        if let createdBy {
            output.append(contentsOf: #"","createdBy":"#.utf8)
            JSON.writeString(createdBy, into: &output)
            output.append(contentsOf: #","updated":""#.utf8)
        } else {
            output.append(contentsOf: #"","updated":""#.utf8)
        }
        Timestamp.write(updatedAt, into: &output)
        output.append(contentsOf: #"","version":"#.utf8)
        output.append(contentsOf: String(version).utf8)
        output.append(UInt8(ascii: "}"))
    }

    /// The entity as a query sees it: its values plus `id` and `_meta`.
    public var document: JSON {
        var members = values
        members["id"] = .string(id)
        members[Entity.metaKey] = meta
        return .object(members)
    }
}
