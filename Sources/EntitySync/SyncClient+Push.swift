import EntityClient
import EntityModel
import EntityStore

extension SyncClient {
    /// Local mutations per push request.
    static let pushBatchSize = 500

    /// Uploads the attached files, pushes, then pulls: see ``SyncClient``.
    @discardableResult
    public func sync() async throws -> SyncReport {
        var report = SyncReport()
        try await uploadPendingFiles(into: &report)
        try await push(into: &report)
        try await pull(into: &report)
        return report
    }

    /// One local change to send: the entity's latest local change after the last push.
    private struct Outgoing {
        let collection: String
        let id: String
        let mutation: JSON
        /// The local values pushed (`nil` for a delete).
        let local: [String: JSON]?
    }

    private func push(into report: inout SyncReport) async throws {
        let from =
            try await ReplicaState.value("pushed", in: store).flatMap { json -> Int64? in
                if case .integer(let value) = json { return value }
                return nil
            } ?? 0
        // The latest local change of each entity of the synced collections.
        var latest: [String: (collection: String, id: String, sequence: Int64)] = [:]
        var after = from
        while true {
            let page = try await store.changes(after: after, limit: 1000)
            for change in page where collections.contains(change.collection.rawValue) {
                latest[change.collection.rawValue + "/" + change.id] = (
                    change.collection.rawValue, change.id, change.sequence
                )
            }
            guard let last = page.last else { break }
            after = last.sequence
        }
        var outgoing: [Outgoing] = []
        for entry in latest.values.sorted(by: { $0.sequence < $1.sequence }) {
            if let item = try await mutation(for: entry.collection, id: entry.id, sequence: entry.sequence) {
                outgoing.append(item)
            }
        }
        for start in stride(from: 0, to: outgoing.count, by: Self.pushBatchSize) {
            let batch = Array(outgoing[start..<min(start + Self.pushBatchSize, outgoing.count)])
            let body = JSON.object(["device": .string(device), "mutations": .array(batch.map(\.mutation))])
            let answer = try await client.send(.POST, "_sync/push", body: body)
            let results = answer?["results"]?.arrayValue ?? []
            guard results.count == batch.count else {
                throw SyncClientError("the server answered \(results.count) results for \(batch.count) mutations")
            }
            for (item, result) in zip(batch, results) {
                try await settle(item, result, into: &report)
            }
        }
        // Changes after `after` are the replica's own bookkeeping, or later edits pushed next time
        // (an entity whose local copy equals its base sends nothing).
        try await ReplicaState.set(["pushed": .integer(after)], in: store)
    }

    /// The mutation that brings the local state of `id` to the server, or `nil` when there is none.
    private func mutation(for collection: String, id: String, sequence: Int64) async throws -> Outgoing? {
        let local = try await store.get(id, in: CollectionPath(collection))?.values
        let base = try await ReplicaState.base(of: id, in: collection, store: store)
        var members: [String: JSON] = [
            "mid": .string("\(collection)/\(id)@\(sequence)"), "collection": .string(collection), "id": .string(id),
        ]
        switch (local, base) {
        case (nil, nil):
            return nil
        case (let values?, nil):
            members["op"] = "create"
            members["set"] = .object(values)
        case (nil, let base?):
            members["op"] = "delete"
            members["base_version"] = .integer(base.version)
        case (let values?, let base?):
            var set: [String: JSON] = [:]
            var baseValues: [String: JSON] = [:]
            for (key, value) in values where base.values[key] != value {
                set[key] = value
                if let old = base.values[key] { baseValues[key] = old }
            }
            let unset = base.values.keys.filter { values[$0] == nil }.sorted()
            for key in unset { baseValues[key] = base.values[key] }
            guard !set.isEmpty || !unset.isEmpty else { return nil }
            members["op"] = "update"
            members["base_version"] = .integer(base.version)
            members["set"] = .object(set)
            members["unset"] = .array(unset.map(JSON.string))
            members["base"] = .object(baseValues)
        }
        return Outgoing(collection: collection, id: id, mutation: .object(members), local: local)
    }

    /// Takes in the server's answer to one mutation: the new base, the values to adopt, conflicts
    /// resolved as `onConflict` decides, a rejected write rolled back.
    private func settle(_ item: Outgoing, _ result: JSON, into report: inout SyncReport) async throws {
        report.pushed += 1
        var version: Int64?
        if case .integer(let number) = result["version"] { version = number }
        let serverValues = result["values"]?.objectValue
        var state: (values: [String: JSON]?, base: ReplicaState.Base?)
        switch result["status"]?.stringValue {
        case "applied":
            report.applied += 1
            state = (item.local, version.map { ReplicaState.Base(version: $0, values: item.local ?? [:]) })
            if item.local == nil { state.base = nil }
        case "merged":
            report.merged += 1
            state = (serverValues, version.map { ReplicaState.Base(version: $0, values: serverValues ?? [:]) })
        case "conflict":
            state = (serverValues, version.map { ReplicaState.Base(version: $0, values: serverValues ?? [:]) })
            for record in result["conflicts"]?.arrayValue ?? [] {
                guard let conflict = Self.conflict(record) else { continue }
                report.conflicts.append(conflict)
                if let resolved = try await resolve(conflict) { state = resolved }
            }
        default:
            let error = result["error"]
            report.rejected.append(
                SyncReport.Rejection(
                    collection: item.collection,
                    id: item.id,
                    status: Self.integer(error?["status"]).map { Int($0) } ?? 0,
                    message: error?["message"]?.stringValue ?? "rejected"
                )
            )
            // Rolled back to the server's state as last seen.
            let base = try await ReplicaState.base(of: item.id, in: item.collection, store: store)
            state = (base?.values, base)
        }
        try await store.apply(
            try await ReplicaState.writes(settingLocal: state.values, of: item.id, in: item.collection, store: store)
                + ReplicaState.writes(recording: state.base, of: item.id, in: item.collection, store: store)
        )
    }

    /// Resolves `conflict` on the server as `onConflict` decides; the entity's state afterwards
    /// (`nil` when the answer does not say).
    private func resolve(_ conflict: Conflict) async throws -> (values: [String: JSON]?, base: ReplicaState.Base?)? {
        let decision = await onConflict(conflict)
        let body: JSON
        switch decision {
        case .keepServer: body = ["keep": "server"]
        case .keepMine: body = ["value": conflict.client ?? .null]
        case .merged(let value): body = ["value": value]
        }
        let answer = try await client.send(.POST, "_sync/conflicts/\(conflict.id)/resolve", body: body)
        guard let answer else { return nil }
        guard case .object(var document) = answer["entity"] else { return (nil, nil) }
        var version: Int64 = 0
        if case .integer(let number) = document["_meta"]?["version"] { version = number }
        document["id"] = nil
        document["_meta"] = nil
        return (document, ReplicaState.Base(version: version, values: document))
    }

    static func integer(_ json: JSON?) -> Int64? {
        if case .integer(let value) = json { return value }
        return nil
    }

    static func conflict(_ record: JSON) -> Conflict? {
        guard let id = record["id"]?.stringValue, let collection = record["collection"]?.stringValue,
            let entity = record["entity"]?.stringValue, let reason = record["reason"]?.stringValue
        else { return nil }
        return Conflict(
            id: id,
            collection: collection,
            entityID: entity,
            key: record["key"]?.stringValue,
            reason: reason,
            base: record["base"],
            server: record["server"],
            client: record["client"]
        )
    }
}
