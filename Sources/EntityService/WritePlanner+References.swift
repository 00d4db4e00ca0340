import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension WritePlanner {
    /// The planned items, each whose new or changed reference names a target that does not exist or
    /// that the caller cannot read turned into `invalidRequest` (`categoryId: categories 'C9' does not
    /// exist`). Targets are read in one store call per target collection; entities staged by earlier
    /// steps (or items of the batch) count as existing.
    func checkingReferences(of items: [Result<PlannedWrite, EntityError>], staged: StagedEntities)
        async throws(EntityError) -> [Result<PlannedWrite, EntityError>]
    {
        let references = declaration.references
        guard !references.isEmpty else { return items }
        // Per item: (field, target collection key, id) of each reference it sets.
        var needed: [Int: [(field: String, key: String, id: String)]] = [:]
        var idsByKey: [String: Set<String>] = [:]
        for (index, item) in items.enumerated() {
            guard case .success(let planned) = item, let entity = planned.result else { continue }
            for (field, reference) in references {
                guard case .string(let id)? = entity.values[field], planned.previous?.values[field] != .string(id)
                else { continue }
                needed[index, default: []].append((field, reference.collection, id))
                idsByKey[reference.collection, default: []].insert(id)
            }
        }
        var existing: [String: Set<String>] = [:]
        for (key, ids) in idsByKey {
            existing[key] = try await readableTargets(ids, key: key, staged: staged)
        }
        var checked = items
        for (index, references) in needed {
            let problems = references.filter { existing[$0.key]?.contains($0.id) != true }.map {
                "\($0.field): \($0.key) '\($0.id)' does not exist"
            }
            if !problems.isEmpty { checked[index] = .failure(EntityError(.invalidRequest, problems)) }
        }
        return checked
    }

    /// Which of `ids` in the collection with schema key `key` exist and are readable by the caller.
    private func readableTargets(_ ids: Set<String>, key: String, staged: StagedEntities) async throws(EntityError)
        -> Set<String>
    {
        guard let path = service.schema.collectionPath(forKey: key), let target = service.schema.collection(at: path)
        else { return [] }
        var found: Set<String> = []
        var unstaged: [String] = []
        for id in ids.sorted() {
            switch staged[id, in: path] {
            case .written: found.insert(id)
            case .deleted: break
            case nil: unstaged.append(id)
            }
        }
        guard !unstaged.isEmpty else { return found }
        let stored: [String: Entity]
        do { stored = try await service.store.get(unstaged, in: path) } catch { throw service.map(error) }
        let policy = service.policy(for: caller, in: target)
        let rights = try await service.rights(of: caller, on: stored.values, in: path, policy: policy)
        return found.union(rights.keys)
    }

    /// What deleting `entity` does to the entities that reference it: fails with `conflict` when a
    /// ``ReferenceSchema/OnDelete/restrict`` reference to it remains; returns the updates that set
    /// each ``ReferenceSchema/OnDelete/setNull`` reference to `null` (version + 1). Entities are
    /// found whoever may read them: the rule protects the references, not the caller's view.
    func referenceEffects(ofDeleting entity: Entity, now: Date, staged: StagedEntities) async throws(EntityError)
        -> [EntityWrite]
    {
        let schema = service.schema
        var staged = staged
        var effects: [EntityWrite] = []
        for (key, declaration) in schema.allCollections {
            for (field, reference) in declaration.references where reference.collection == collection.schemaKey {
                guard let path = schema.collectionPath(forKey: key) else { continue }
                let restrict = reference.onDelete == .restrict
                let referencing = try await entities(
                    referencing: entity.id,
                    field: field,
                    in: path,
                    staged: staged,
                    excluding: path == collection ? [entity.id] : [],
                    limit: restrict ? 1 : nil
                )
                guard !referencing.isEmpty else { continue }
                if restrict {
                    throw EntityError(
                        .conflict,
                        "\(collection.schemaKey) '\(entity.id)' is still referenced by \(key) (field \(field)); change or delete those entities first"
                    )
                }
                for current in referencing {
                    var updated = current
                    updated.values[field] = .null
                    updated.version = current.version + 1
                    updated.updatedAt = max(now, current.updatedAt)
                    let write = EntityWrite.update(updated, expectedVersion: current.version)
                    staged.record(write)
                    effects.append(write)
                }
            }
        }
        return effects
    }

    /// The entities of `path` whose `field` holds `id`: the staged ones, then the stored ones the
    /// staged writes did not touch (in id order, all of them or the first `limit`).
    private func entities(
        referencing id: String,
        field: String,
        in path: CollectionPath,
        staged: StagedEntities,
        excluding excluded: Set<String>,
        limit: Int?
    ) async throws(EntityError) -> [Entity] {
        var result = staged.written(in: path).filter { $0.values[field] == .string(id) && !excluded.contains($0.id) }
        if let limit, result.count >= limit { return result }
        let skipped = excluded.union(staged.touchedIDs(in: path))
        let idPath = FieldPath(["id"])
        let pageSize = limit ?? service.configuration.maximumPageSize
        var lastID: String?
        while true {
            var conditions: [Filter] = [.compare(FieldPath([field]), .eq, .json(.string(id)))]
            if !skipped.isEmpty {
                conditions.append(.membership(idPath, skipped.sorted().map { .json(.string($0)) }, negated: true))
            }
            if let lastID { conditions.append(.compare(idPath, .gt, .json(.string(lastID)))) }
            let query = Query(filter: .and(conditions), sort: [SortKey(idPath)], limit: pageSize, countsTotal: false)
            let page: QueryPage
            do { page = try await service.store.query(query, in: path) } catch { throw service.map(error) }
            result.append(contentsOf: page.entities)
            guard limit == nil, page.entities.count == pageSize, let last = page.entities.last else { return result }
            lastID = last.id
        }
    }
}
