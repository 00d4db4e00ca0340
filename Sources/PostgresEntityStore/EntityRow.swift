import EntityModel
import EntityQuery
import EntityStore
import PostgresNIO

/// Decoding of `entities` rows.
enum EntityRow {
    /// The selected columns, in the order ``entity(_:in:maximumJSONDepth:projection:)`` reads them.
    static let columns = "id, document, version, created_at, updated_at, created_by"
    /// How many columns ``columns`` names.
    static let columnCount = 6

    static func entity(
        _ row: PostgresRow,
        in collection: CollectionPath,
        maximumJSONDepth: Int,
        projection: Projection? = nil
    ) throws(StoreError) -> Entity {
        let columns: (String, String, Int64, String, String, String?)
        do {
            columns = try row.decode((String, String, Int64, String, String, String?).self)
        } catch {
            throw StoreError(.internal, "Postgres store: an entity row cannot be decoded: \(error)")
        }
        let values: JSON
        do {
            values = try JSONParser(maximumDepth: maximumJSONDepth).parse(columns.1.utf8)
        } catch {
            throw StoreError(.internal, "stored values are not valid JSON: \(error)")
        }
        guard case .object(let members) = values else {
            throw StoreError(.internal, "stored values are not a JSON object")
        }
        guard let createdAt = StoredTimestamp.date(columns.3), let updatedAt = StoredTimestamp.date(columns.4) else {
            throw StoreError(.internal, "stored timestamps are invalid")
        }
        return Entity(
            collection: collection,
            id: columns.0,
            values: projection.map { $0.apply(to: members) } ?? members,
            version: columns.2,
            createdAt: createdAt,
            updatedAt: updatedAt,
            createdBy: columns.5
        )
    }
}
