import EntityClient
import EntityModel
import EntityQuery
import EntityStore

extension SyncClient {
    /// Takes in what changed on the server after the saved cursor, page by page (the cursor is saved
    /// after each page). An expired cursor (`410`) starts a new snapshot, after which local copies the
    /// snapshot did not list are removed. Local files no entity refers to any more go with them.
    func pull(into report: inout SyncReport) async throws {
        var cursor = try await ReplicaState.value("cursor", in: store)?.stringValue
        var snapshotIDs: Set<String>? = cursor == nil ? [] : nil
        while true {
            var query = "limit=500&collections=" + collections.joined(separator: ",")
            if let cursor { query += "&cursor=" + cursor }
            let answer = await page(query: query)
            if case .failure(let error) = answer, error.status == 410, cursor != nil {
                // Older than the server's retention: pull a new snapshot.
                cursor = nil
                snapshotIDs = []
                continue
            }
            let page = try answer.get()
            guard let page, let changes = page["changes"]?.arrayValue, let next = page["cursor"]?.stringValue else {
                throw SyncClientError("the server's pull answer has no changes and cursor")
            }
            var writes: [EntityWrite] = []
            var released: Set<String> = []
            for change in changes {
                guard let collection = change["collection"]?.stringValue, let id = change["id"]?.stringValue else {
                    continue
                }
                snapshotIDs?.insert(collection + "/" + id)
                released.formUnion(try await fileDigests(of: id, in: collection))
                writes += try await take(change, collection: collection, id: id, into: &report)
            }
            if !writes.isEmpty { try await store.apply(writes) }
            try await removeUnreferencedFiles(released, into: &report)
            try await ReplicaState.set(["cursor": .string(next)], in: store)
            cursor = next
            if page["more"] != true { break }
        }
        if let snapshotIDs { try await removeAll(except: snapshotIDs, into: &report) }
    }

    /// One page of `GET /_sync/changes`, or the server's error.
    private func page(query: String) async -> Result<JSON?, EntityClientError> {
        do { return .success(try await client.send(.GET, "_sync/changes", query: query)) } catch {
            return .failure(error)
        }
    }

    /// The local writes for one pulled change.
    private func take(_ change: JSON, collection: String, id: String, into report: inout SyncReport) async throws
        -> [EntityWrite]
    {
        guard change["op"]?.stringValue == "upsert", let server = change["values"]?.objectValue,
            case .integer(let version) = change["version"]
        else {
            report.removed += 1
            return try await ReplicaState.writes(settingLocal: nil, of: id, in: collection, store: store)
                + ReplicaState.writes(recording: nil, of: id, in: collection, store: store)
        }
        report.pulled += 1
        var values = server
        // A local edit not pushed yet (made while this sync ran) is kept on top of the server's values.
        if let local = try await store.get(id, in: CollectionPath(collection))?.values,
            let base = try await ReplicaState.base(of: id, in: collection, store: store), local != base.values
        {
            for key in Set(local.keys).union(base.values.keys) where local[key] != base.values[key] {
                values[key] = local[key]
            }
        }
        return try await ReplicaState.writes(settingLocal: values, of: id, in: collection, store: store)
            + ReplicaState.writes(
                recording: ReplicaState.Base(version: version, values: server),
                of: id,
                in: collection,
                store: store
            )
    }

    /// After a new snapshot: local copies with a base (once on the server) that it did not list.
    private func removeAll(except listed: Set<String>, into report: inout SyncReport) async throws {
        for collection in collections {
            // Every base is read (page by page) before any is removed, so that no page shifts.
            var stale: [String] = []
            var page = Query(limit: 1000, countsTotal: false)
            while true {
                let bases = try await store.query(page, in: ReplicaState.baseCollection(collection)).entities
                stale += bases.map(\.id).filter { !listed.contains(collection + "/" + $0) }
                guard bases.count == page.limit else { break }
                page.offset += page.limit
            }
            for id in stale {
                report.removed += 1
                let released = try await fileDigests(of: id, in: collection)
                try await store.apply(
                    try await ReplicaState.writes(settingLocal: nil, of: id, in: collection, store: store)
                        + ReplicaState.writes(recording: nil, of: id, in: collection, store: store)
                )
                try await removeUnreferencedFiles(released, into: &report)
            }
        }
    }
}
