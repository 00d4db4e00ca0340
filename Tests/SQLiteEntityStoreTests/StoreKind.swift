import EntityModel
import EntityQuery
import EntityStore
import Foundation
import SQLiteEntityStore
import Testing

/// The database kinds every test body runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case inMemory, file

    var testDescription: String { rawValue }

    func makeStore() throws -> SQLiteEntityStore {
        switch self {
        case .inMemory:
            return try SQLiteEntityStore.inMemory()
        case .file:
            let directory = fileStoreRoot.appendingPathComponent(UUID().uuidString, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try SQLiteEntityStore(path: directory.appendingPathComponent("store.sqlite").path)
        }
    }
}

/// One folder for the file stores of this test process, removed when the process exits.
private let fileStoreRoot: URL = {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent(
            "SQLiteEntityStoreTests-\(ProcessInfo.processInfo.processIdentifier)",
            isDirectory: true
        )
    atexit { try? FileManager.default.removeItem(at: fileStoreRoot) }
    return root
}()

let products = CollectionPath("products")
let epoch = Date(timeIntervalSince1970: 1_700_000_000)

/// An entity of `collection` with whole-millisecond timestamps (the store keeps milliseconds).
func entity(
    _ id: String,
    _ values: [String: JSON],
    in collection: CollectionPath = products,
    version: Int64 = 1,
    createdMs: Int64 = 0,
    createdBy: String? = nil
) -> Entity {
    let created = Date(timeIntervalSince1970: Double(1_700_000_000_000 + createdMs) / 1000)
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

func json(_ text: String) -> JSON {
    // Test data is written by hand; a parse failure is a bug in the test.
    (try? JSON(parsing: text)) ?? .null
}

func object(_ text: String) -> [String: JSON] {
    json(text).objectValue ?? [:]
}

extension SQLiteEntityStore {
    /// The ids of the first page of `query`.
    func ids(_ query: Query, in collection: CollectionPath = products) async throws -> [String] {
        try await self.query(query, in: collection).entities.map(\.id)
    }

    func ids(_ filter: Filter, in collection: CollectionPath = products) async throws -> [String] {
        try await ids(Query(filter: filter, limit: 1000), in: collection)
    }
}

/// An unquoted literal, as parsers produce.
func lit(_ text: String) -> QueryValue { .literal(text, quoted: false) }
