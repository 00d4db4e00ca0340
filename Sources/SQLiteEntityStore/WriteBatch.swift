import EntityModel
import EntityStore
import Foundation
import GRDB

/// Applies the writes of one batch inside an open write transaction, with cached statements.
///
/// Any thrown error rolls the whole transaction back; errors carry the index of the failing write.
struct WriteBatch {
    let db: Database
    /// The last formatted timestamp: writes of a batch mostly share their timestamps.
    private var lastTimestamp: (date: Date, text: String)?
    /// The full-text changes of the batch, written after every other row (see ``applyTextChanges()``).
    private var textChanges: [(rid: Int64, text: String, replaces: Bool, index: Int)] = []

    init(db: Database) {
        self.db = db
    }

    /// A write with the text it stores computed ahead, outside the write lock.
    struct Prepared: Sendable {
        let write: EntityWrite
        /// Compact JSON of the values that filters read (inserts and updates).
        let valuesText: String
        /// Compact JSON of the exact values where it differs from `valuesText` (see `QueryCopy`).
        let exactText: String?
        /// Full-text body (inserts and updates); empty when nothing is searchable.
        let searchText: String
        /// The files the values refer to (``FileReference``).
        let files: Set<String>
    }

    /// Serializes values and full-text bodies; pure, so it runs before the write transaction begins.
    static func prepare(_ writes: [EntityWrite], searchFields: [String: [String]]) -> [Prepared] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1024)
        return writes.map { write in
            switch write {
            case .insert(let entity), .update(let entity, _):
                buffer.removeAll(keepingCapacity: true)
                JSON.object(entity.values).write(into: &buffer)
                let exact = String(decoding: buffer, as: UTF8.self)
                let queried =
                    QueryCopy.mayHoldNUL(buffer) ? QueryCopy.replacingNUL(.object(entity.values)).serialized() : exact
                let fields = searchFields.isEmpty ? [] : searchFields[entity.collection.schemaKey] ?? []
                return Prepared(
                    write: write,
                    valuesText: queried,
                    exactText: queried == exact ? nil : exact,
                    searchText: FullTextSearch.text(of: entity.values, fields: fields),
                    files: FileReference.digests(in: entity.values)
                )
            case .delete:
                return Prepared(write: write, valuesText: "", exactText: nil, searchText: "", files: [])
            }
        }
    }

    mutating func apply(_ writes: [Prepared]) throws -> [Int64] {
        var sequences: [Int64] = []
        sequences.reserveCapacity(writes.count)
        for (index, prepared) in writes.enumerated() {
            do {
                switch prepared.write {
                case .insert(let entity):
                    sequences.append(try insert(entity, prepared, index: index))
                case .update(let entity, let expectedVersion):
                    sequences.append(try update(entity, prepared, expectedVersion: expectedVersion, index: index))
                case .delete(let id, let collection, let expectedVersion):
                    sequences.append(try delete(id, in: collection, expectedVersion: expectedVersion, index: index))
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(database: error, index: index)
            }
        }
        try applyTextChanges()
        return sequences
    }

    /// Writes the batch's full-text changes, in order, once every other row is written.
    ///
    /// FTS5 flushes its pending terms into a new segment whenever a statement of the transaction opens
    /// a savepoint (as an `UPDATE` of several rows does); written between the other statements, every
    /// entity of a batch paid for such a flush. Written last, the batch's terms are flushed once.
    private mutating func applyTextChanges() throws {
        let remove = try db.cachedStatement(sql: "DELETE FROM entities_fts WHERE rowid = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO entities_fts (rowid, body) VALUES (?, ?)")
        for change in textChanges {
            do {
                if change.replaces { try remove.execute(arguments: [change.rid]) }
                if !change.text.isEmpty { try insert.execute(arguments: [change.rid, change.text]) }
            } catch {
                throw StoreError(database: error, index: change.index)
            }
        }
        textChanges.removeAll()
    }

    private mutating func insert(_ entity: Entity, _ prepared: Prepared, index: Int) throws -> Int64 {
        let collection = entity.collection.storageKey
        let statement = try db.cachedStatement(
            sql:
                #"INSERT INTO entities (collection, id, "values", exact_values, version, created_at, updated_at, created_by)"#
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        statement.setUncheckedArguments([
            collection, entity.id, prepared.valuesText, prepared.exactText, entity.version,
            timestamp(entity.createdAt), timestamp(entity.updatedAt), entity.createdBy,
        ])
        do {
            try statement.execute()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.duplicateID, "'\(entity.id)' already exists in '\(entity.collection)'", index: index)
        }
        return try recordUpsert(of: entity, prepared, rid: db.lastInsertedRowID, isNew: true, index: index)
    }

    private mutating func update(_ entity: Entity, _ prepared: Prepared, expectedVersion: Int64, index: Int) throws
        -> Int64
    {
        let collection = entity.collection.storageKey
        let statement = try db.cachedStatement(
            sql: #"UPDATE entities SET "values" = ?, exact_values = ?, version = ?, created_at = ?, updated_at = ?, "#
                + "created_by = ? WHERE collection = ? AND id = ? AND version = ? RETURNING rid"
        )
        let arguments: StatementArguments = [
            prepared.valuesText, prepared.exactText, entity.version, timestamp(entity.createdAt),
            timestamp(entity.updatedAt), entity.createdBy, collection, entity.id, expectedVersion,
        ]
        guard let rid = try Int64.fetchOne(statement, arguments: arguments) else {
            throw try missing(entity.id, in: entity.collection, expectedVersion: expectedVersion, index: index)
        }
        return try recordUpsert(of: entity, prepared, rid: rid, isNew: false, index: index)
    }

    /// What every insert and update ends with: the entity's full-text row, its file references, its
    /// change-log row and its sync feed rows.
    private mutating func recordUpsert(of entity: Entity, _ prepared: Prepared, rid: Int64, isNew: Bool, index: Int)
        throws -> Int64
    {
        textChanges.append((rid, prepared.searchText, !isNew, index))
        try FileTables.replaceReferences(
            of: entity.id,
            inStorageKey: entity.collection.storageKey,
            with: prepared.files,
            isNew: isNew,
            at: Date(),
            db: db
        )
        let sequence = try logChange(
            .upsert,
            collection: entity.collection.storageKey,
            id: entity.id,
            version: entity.version,
            at: entity.updatedAt
        )
        try FeedTable.recordUpsert(of: entity, sequence: sequence, isNew: isNew, db: db)
        return sequence
    }

    /// Deletes the entity with its full-text row, every grant on it and its stamps, and logs the change.
    private mutating func delete(_ id: String, in collection: CollectionPath, expectedVersion: Int64?, index: Int)
        throws -> Int64
    {
        let key = collection.storageKey
        let row: Row?
        if let expectedVersion {
            let statement = try db.cachedStatement(
                sql: "DELETE FROM entities WHERE collection = ? AND id = ? AND version = ? RETURNING rid, version"
            )
            row = try Row.fetchOne(statement, arguments: [key, id, expectedVersion])
        } else {
            let statement = try db.cachedStatement(
                sql: "DELETE FROM entities WHERE collection = ? AND id = ? RETURNING rid, version"
            )
            row = try Row.fetchOne(statement, arguments: [key, id])
        }
        guard let row else {
            throw try missing(id, in: collection, expectedVersion: expectedVersion, index: index)
        }
        let rid: Int64 = row[0]
        textChanges.append((rid, "", true, index))
        try GrantTable.removeAll(on: id, inStorageKey: key, db: db)
        try StampTables.removeAll(of: id, inStorageKey: key, db: db)
        try FileTables.replaceReferences(of: id, inStorageKey: key, with: [], isNew: false, at: Date(), db: db)
        let version: Int64 = row[1]
        let sequence = try logChange(.delete, collection: key, id: id, version: version, at: Date())
        try FeedTable.recordDeletion(of: id, inStorageKey: key, version: version, sequence: sequence, db: db)
        return sequence
    }

    /// The error for a compare-and-set that changed nothing: the entity is gone, or has another version.
    private func missing(_ id: String, in collection: CollectionPath, expectedVersion: Int64?, index: Int) throws
        -> StoreError
    {
        let statement = try db.cachedStatement(sql: "SELECT version FROM entities WHERE collection = ? AND id = ?")
        guard let current = try Int64.fetchOne(statement, arguments: [collection.storageKey, id]) else {
            return StoreError(.notFound, "'\(id)' does not exist in '\(collection)'", index: index)
        }
        return StoreError(
            .versionConflict,
            "'\(id)' in '\(collection)' is at version \(current), not \(expectedVersion.map(String.init) ?? "any")",
            index: index
        )
    }

    private mutating func logChange(_ kind: Change.Kind, collection: String, id: String, version: Int64, at date: Date)
        throws -> Int64
    {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO changes (kind, collection, id, version, at) VALUES (?, ?, ?, ?, ?)"
        )
        statement.setUncheckedArguments([kind.rawValue, collection, id, version, timestamp(date)])
        try statement.execute()
        return db.lastInsertedRowID
    }

    private mutating func timestamp(_ date: Date) -> String {
        if let lastTimestamp, lastTimestamp.date == date { return lastTimestamp.text }
        let text = StoredTimestamp.text(date)
        lastTimestamp = (date, text)
        return text
    }

}
