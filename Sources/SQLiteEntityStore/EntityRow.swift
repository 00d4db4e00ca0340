import EntityModel
import EntityStore
import GRDB

/// Decoding of `entities` rows.
enum EntityRow {
    /// The selected columns, in the order ``entity(_:maximumJSONDepth:)`` reads them.
    static let columns =
        #"collection, id, COALESCE(exact_values, "values"), version, created_at, updated_at, created_by"#

    static func entity(
        _ row: Row,
        in collection: CollectionPath,
        maximumJSONDepth: Int,
        projection: (([String: JSON]) -> [String: JSON])? = nil
    ) throws -> Entity {
        let text: String = row[2]
        let values: JSON
        do {
            values = try JSONParser(maximumDepth: maximumJSONDepth).parse(text.utf8)
        } catch {
            throw StoreError(.internal, "stored values are not valid JSON: \(error)")
        }
        guard case .object(let members) = values else {
            throw StoreError(.internal, "stored values are not a JSON object")
        }
        let created: String = row[4]
        let updated: String = row[5]
        guard let createdAt = StoredTimestamp.date(created), let updatedAt = StoredTimestamp.date(updated) else {
            throw StoreError(.internal, "stored timestamps are invalid")
        }
        return Entity(
            collection: collection,
            id: row[1],
            values: projection.map { $0(members) } ?? members,
            version: row[3],
            createdAt: createdAt,
            updatedAt: updatedAt,
            createdBy: row[6]
        )
    }

    /// The length in bytes of a row's stored JSON values: the weight of the entity in caches.
    static func storedSize(_ row: Row) -> Int {
        (row[2] as String).utf8.count
    }
}
