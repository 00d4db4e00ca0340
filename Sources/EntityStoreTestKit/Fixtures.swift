import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// The collection most checks write to.
let products = CollectionPath("products")

/// An entity of `collection` with whole-millisecond timestamps `createdMs` after 2023-11-14T22:13:20Z.
func entity(
    _ id: String,
    _ values: [String: JSON],
    in collection: CollectionPath = products,
    version: Int64 = 1,
    createdMs: Int64 = 0,
    createdBy: String? = nil
) -> Entity {
    let created = date(milliseconds: 1_700_000_000_000 + createdMs)
    return Entity(
        collection: collection,
        id: id,
        values: values,
        version: version,
        createdAt: created,
        updatedAt: created,
        createdBy: createdBy
    )
}

/// The instant `milliseconds` after 1970-01-01T00:00:00Z.
func date(milliseconds: Int64) -> Date {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000)
}

/// Whole milliseconds since 1970, as the store keeps them.
func milliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
}

/// Parses fixture JSON; fixtures are written by hand, so a parse failure is a bug of the kit.
func json(_ text: String) -> JSON {
    (try? JSON(parsing: text)) ?? .null
}

/// Parses a fixture JSON object.
func object(_ text: String) -> [String: JSON] {
    json(text).objectValue ?? [:]
}

/// An unquoted literal, as parsers produce.
func lit(_ text: String) -> QueryValue { .literal(text, quoted: false) }

/// A quoted literal: always a string.
func quoted(_ text: String) -> QueryValue { .literal(text, quoted: true) }

/// Compares two entities with their timestamps to the millisecond (the precision stores keep);
/// returns a description of the first difference, or `nil`.
func difference(_ read: Entity?, _ written: Entity) -> String? {
    guard let read else { return "'\(written.id)' was not found" }
    if read.collection != written.collection { return "collection \(read.collection) ≠ \(written.collection)" }
    if read.id != written.id { return "id \(read.id) ≠ \(written.id)" }
    if read.values != written.values {
        return "values \(JSON.object(read.values)) ≠ \(JSON.object(written.values))"
    }
    if read.version != written.version { return "version \(read.version) ≠ \(written.version)" }
    if milliseconds(read.createdAt) != milliseconds(written.createdAt) {
        return "createdAt \(Timestamp.format(read.createdAt)) ≠ \(Timestamp.format(written.createdAt))"
    }
    if milliseconds(read.updatedAt) != milliseconds(written.updatedAt) {
        return "updatedAt \(Timestamp.format(read.updatedAt)) ≠ \(Timestamp.format(written.updatedAt))"
    }
    if read.createdBy != written.createdBy {
        return "createdBy \(read.createdBy ?? "nil") ≠ \(written.createdBy ?? "nil")"
    }
    return nil
}

/// Fails unless the store holds exactly `written` (timestamps to the millisecond).
func expectStored(
    _ written: Entity,
    in store: any EntityStore,
    file: StaticString = #filePath,
    line: UInt = #line
) async throws {
    let read = try await store.get(written.id, in: written.collection)
    if let difference = difference(read, written) {
        throw ConformanceFailure(
            message: "get('\(written.id)') in \(written.collection) differs from what was written: \(difference)",
            file: file,
            line: line
        )
    }
}

/// A fresh store from `makeStore`, prepared for `schema`.
func freshStore(_ makeStore: StoreFactory, schema: Schema = .open) async throws -> any EntityStore {
    let store = try await makeStore()
    try await store.prepare(for: schema)
    return store
}

/// A schema declaring only the top-level `products` collection.
func productsSchema(indexes: [String] = [], searchFields: [String] = []) -> Schema {
    Schema(collections: ["products": CollectionSchema(indexes: indexes, searchFields: searchFields)], isOpen: true)
}

extension EntityStore {
    /// The ids of the page of `query`.
    func ids(_ query: Query, in collection: CollectionPath = products) async throws -> [String] {
        try await self.query(query, in: collection).entities.map(\.id)
    }

    /// The ids of every entity matching `filter` (up to 1000), in id order.
    func ids(_ filter: Filter, in collection: CollectionPath = products) async throws -> [String] {
        try await ids(Query(filter: filter, limit: 1000), in: collection)
    }

    /// Inserts `entities` in one batch.
    func insert(_ entities: [Entity]) async throws {
        try await apply(entities.map { .insert($0) })
    }
}

/// Fails unless the entities matching `filter` are exactly `expected`, in id order.
func expectIDs(
    _ store: any EntityStore,
    _ filter: Filter,
    _ expected: [String],
    in collection: CollectionPath = products,
    file: StaticString = #filePath,
    line: UInt = #line
) async throws {
    try expectEqual(
        try await store.ids(filter, in: collection),
        expected,
        "ids matching \(filter)",
        file: file,
        line: line
    )
}

/// Fails unless the page of `query` has exactly the ids `expected`, in that order.
func expectIDs(
    _ store: any EntityStore,
    _ query: Query,
    _ expected: [String],
    in collection: CollectionPath = products,
    file: StaticString = #filePath,
    line: UInt = #line
) async throws {
    try expectEqual(try await store.ids(query, in: collection), expected, "ids of \(query)", file: file, line: line)
}
