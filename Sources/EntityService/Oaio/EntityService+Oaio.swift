import EntityModel
import EntityQuery
import EntityStore
import Foundation

/// What oaio clients do (issue 15): their objects are the entities of collection `oaio`, their
/// subscriptions the grants of the sharing API, their versions stamped by their own clocks
/// (``VersionStamp``), their files those the client's storage host staged for a version (``StagedFile``).
extension EntityService {
    /// The collection of oaio objects.
    public static let oaioCollection = CollectionPath(Schema.oaioCollection)

    /// Every object the caller created or was granted (whatever their role), with the caller's right
    /// on it, its current version and the one before: what `oaio_stampz/` lists. Read in pages of
    /// 1,000 by id, each page with its stamps in one read.
    public func oaioObjects(as caller: Caller) async throws(EntityError) -> [OaioObject] {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to sync objects") }
        let collection = Self.oaioCollection
        let declaration = try collectionSchema(collection)
        let policy = policy(for: caller, in: declaration)
        var writers = OaioWriterNames(service: self)
        var objects: [OaioObject] = []
        var lastID: String?
        while true {
            let after = lastID.map { Filter.compare(FieldPath(["id"]), .gt, .json(.string($0))) }
            let query = Query(
                filter: after,
                sort: [SortKey(FieldPath(["id"]))],
                limit: 1000,
                countsTotal: false,
                readableBy: userID
            )
            let page = try await storeCall { () async throws(StoreError) in try await store.query(query, in: collection)
            }
            let ids = page.entities.map(\.id)
            let stamps = try await storeCall { () async throws(StoreError) in
                try await store.versionStamps(of: ids, in: collection, newest: 2)
            }
            let rights = try await self.rights(of: caller, on: page.entities, in: collection, policy: policy)
            for entity in page.entities {
                guard let right = rights[entity.id] else { continue }
                objects.append(
                    try await oaioObject(entity, stamps: stamps[entity.id] ?? [], right: right, writers: &writers)
                )
            }
            guard page.entities.count == query.limit, let last = ids.last else { return objects }
            lastID = last
        }
    }

    /// Registers a new object: the entity, its first stamp and the files the caller staged for that
    /// stamp. The same registration again (same id, creator and stamp) answers the stored object.
    ///
    /// - Throws: ``EntityError/Code/validationFailed`` for a bad stamp or id; ``EntityError/Code/conflict``
    ///   when the id is taken otherwise.
    public func oaioRegister(_ upload: OaioUpload, as caller: Caller) async throws(EntityError) -> OaioObject {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to register objects") }
        let stamp = try oaioStampCheck(upload.stamp, field: "client_stamp")
        let collection = Self.oaioCollection
        let declaration = try collectionSchema(collection)
        if let problem = declaration.ids.problem(with: upload.id) {
            throw EntityError(.validationFailed, "oaio_id: \(problem)")
        }
        if let existing = try await fetch(upload.id, in: collection) {
            let stamps = try await oaioStamps(of: existing)
            let registered = stamps.contains { $0.version == 1 && $0.stamp == stamp.description }
            guard existing.createdBy == userID, registered else {
                throw EntityError(.conflict, "oaio_id: '\(upload.id)' is registered already")
            }
            var writers = OaioWriterNames(service: self)
            return try await oaioObject(existing, stamps: stamps, right: .creator, writers: &writers)
        }
        let files = try await stagedOaioFiles(upload.id, stamp: stamp, as: userID)
        let version = OaioVersion(upload, stamp: stamp, files: files, writerID: userID)
        var document = version.entityValues
        document["id"] = .string(upload.id)
        let planner = WritePlanner(service: self, collection: collection, declaration: declaration, caller: caller)
        let plan = try await planner.plan([.create(.object(document))], itemized: false)
        guard let entity = plan.results.first ?? nil else {
            throw EntityError(.internal, "a registration was planned without its entity")
        }
        let record = Self.stampRecord(version, of: entity)
        do {
            try await store.apply(plan.writes, records: WriteRecords(stamps: [record]))
        } catch  where error.code == .duplicateID {
            // Registered meanwhile (a retry racing the first attempt): answer as for a repeat.
            return try await oaioRegister(upload, as: caller)
        } catch {
            throw map(error)
        }
        await unstageOaioFiles(upload.id, stamp: stamp, as: userID)
        return OaioObject(
            version: version,
            of: entity,
            previous: nil,
            writer: caller.userName ?? userID,
            right: .creator
        )
    }

    /// Stores an upload of a new version, merged with what is stored (``OaioMerge``), and returns the
    /// object as it is now (unchanged when the upload changes nothing). Needs ``AccessRight/update``.
    ///
    /// - Throws: ``EntityError/Code/notFound`` for an object that does not exist or that the caller
    ///   cannot read; ``EntityError/Code/forbidden`` for a read-only subscriber;
    ///   ``EntityError/Code/validationFailed`` for a bad stamp.
    @discardableResult
    public func oaioUpload(_ upload: OaioUpload, as caller: Caller) async throws(EntityError) -> OaioObject {
        guard let userID = caller.userID else { throw EntityError(.unauthenticated, "sign in to upload objects") }
        let stamp = try oaioStampCheck(upload.stamp, field: "client_stamp")
        let baseStamp =
            upload.baseStamp.isEmpty ? nil : try oaioStampCheck(upload.baseStamp, field: "server_stamp", current: false)
        let collection = Self.oaioCollection
        let declaration = try collectionSchema(collection)
        let files = try await stagedOaioFiles(upload.id, stamp: stamp, as: userID)
        var attempt = 0
        while true {
            let (entity, right) = try await oaioEntity(upload.id, needing: .update, as: caller, in: declaration)
            let stamps = try await oaioStamps(of: entity)
            let stored = OaioVersion.history(of: entity, stamps: stamps).current
            var uploaded = OaioVersion(upload, stamp: stamp, files: files, writerID: userID)
            uploaded.fileHost = uploaded.fileHost ?? stored.fileHost
            let baseFiles: [String: OaioFile]? =
                baseStamp == stored.stamp
                ? stored.files
                : stamps.first { $0.stamp == baseStamp?.description }.map {
                    OaioVersion.files(in: $0.values[OaioObject.filesKey])
                }
            let merge = OaioMerge(
                upload: uploaded,
                base: (baseStamp, upload.baseValues, baseFiles),
                stored: stored
            )
            guard let result = merge.result else {
                await unstageOaioFiles(upload.id, stamp: stamp, as: userID)
                var writers = OaioWriterNames(service: self)
                return try await oaioObject(entity, stamps: stamps, right: right, writers: &writers)
            }
            let planner = WritePlanner(service: self, collection: collection, declaration: declaration, caller: caller)
            let plan = try await planner.plan(
                [.replace(id: upload.id, document: .object(result.entityValues), expectedVersion: entity.version)],
                itemized: false
            )
            guard let written = plan.results.first ?? nil else {
                throw EntityError(.internal, "an upload was planned without its entity")
            }
            let now = Date()
            let conflicts = merge.conflicts.map { conflict in
                SyncConflict(
                    id: "CNF-" + ids.makeSortableID(),
                    collection: collection,
                    entityID: upload.id,
                    key: conflict.key,
                    reason: .changed,
                    base: conflict.base,
                    server: conflict.server,
                    client: conflict.client,
                    userID: userID,
                    device: upload.device,
                    createdAt: now
                )
            }
            do {
                try await store.apply(
                    plan.writes,
                    records: WriteRecords(conflicts: conflicts, stamps: [Self.stampRecord(result, of: written)])
                )
            } catch  where error.code == .versionConflict && attempt < configuration.conflictRetries {
                attempt += 1
                await backOff(attempt: attempt)
                continue
            } catch {
                throw map(error)
            }
            await unstageOaioFiles(upload.id, stamp: stamp, as: userID)
            return OaioObject(
                version: result,
                of: written,
                previous: stored,
                writer: caller.userName ?? userID,
                right: right
            )
        }
    }

    /// Deletes an object with its files. An object that does not exist, or that the caller cannot
    /// read, is left as it is without an error (a client drops its stale copy this way). Needs
    /// ``AccessRight/delete``.
    public func oaioDelete(_ id: String, as caller: Caller) async throws(EntityError) {
        guard caller.isAuthenticated else { throw EntityError(.unauthenticated, "sign in to delete objects") }
        let collection = Self.oaioCollection
        let declaration = try collectionSchema(collection)
        guard let entity = try await fetch(id, in: collection) else { return }
        let policy = policy(for: caller, in: declaration)
        guard let right = try await right(of: caller, on: entity, policy: policy) else { return }
        guard right.includes(.delete) else {
            throw EntityError(.forbidden, "you may not delete oaio object '\(id)': your right is \(right.rawValue)")
        }
        do {
            _ = try await perform([.delete(id: id, expectedVersion: nil)], in: collection, as: caller, itemized: false)
        } catch  where error.code == .notFound {
            return  // deleted meanwhile
        }
    }

    /// Drops the files staged for versions that were not written within ``StagedFile/retention``.
    public func pruneStagedFiles() async throws(EntityError) {
        let date = accounts.now.addingTimeInterval(-StagedFile.retention)
        try await storeCall { () async throws(StoreError) in try await store.pruneStagedFiles(before: date) }
    }

    /// The current server time as an oaio stamp (`current_stamp/`).
    public func oaioCurrentStamp() -> OaioStamp { OaioStamp(accounts.now) }

    // MARK: Parts

    /// The object `entity` is, as the caller holding `right` sees it.
    func oaioObject(_ entity: Entity, stamps: [VersionStamp], right: AccessRight, writers: inout OaioWriterNames)
        async throws(EntityError) -> OaioObject
    {
        let (current, previous) = OaioVersion.history(of: entity, stamps: stamps)
        let writerID = current.writerID ?? entity.createdBy
        let writer = try await writers.name(of: writerID)
        return OaioObject(version: current, of: entity, previous: previous, writer: writer, right: right)
    }

    /// The existing object `id` and the caller's right on it, which must include `needed`.
    func oaioEntity(_ id: String, needing needed: AccessRight, as caller: Caller, in declaration: CollectionSchema)
        async throws(EntityError) -> (Entity, AccessRight)
    {
        guard let found = try await oaioEntityIfAny(id, needing: needed, as: caller, in: declaration) else {
            throw notFound(id, in: Self.oaioCollection)
        }
        return found
    }

    /// As ``oaioEntity(_:needing:as:in:)``, but `nil` when no object has the id (one that exists and
    /// that the caller cannot read is still `notFound`): for files put under an id not registered yet.
    func oaioEntityIfAny(
        _ id: String,
        needing needed: AccessRight,
        as caller: Caller,
        in declaration: CollectionSchema
    ) async throws(EntityError) -> (Entity, AccessRight)? {
        let collection = Self.oaioCollection
        guard let entity = try await fetch(id, in: collection) else { return nil }
        let policy = policy(for: caller, in: declaration)
        guard let right = try await right(of: caller, on: entity, policy: policy) else {
            throw notFound(id, in: collection)
        }
        guard right.includes(needed) else {
            throw EntityError(
                .forbidden,
                "you may not change oaio object '\(id)': your right is \(right.rawValue), \(needed.rawValue) is needed"
            )
        }
        return (entity, right)
    }

    func oaioStamps(of entity: Entity) async throws(EntityError) -> [VersionStamp] {
        try await storeCall { () async throws(StoreError) in
            try await store.versionStamps(of: [entity.id], in: entity.collection, newest: VersionStamp.kept)[entity.id]
                ?? []
        }
    }

    /// The files user `userID` staged for version `stamp` of object `id`, by path.
    private func stagedOaioFiles(_ id: String, stamp: OaioStamp, as userID: String) async throws(EntityError)
        -> [String: OaioFile]
    {
        let staged = try await storeCall { () async throws(StoreError) in
            try await store.stagedFiles(by: userID, for: id, in: Self.oaioCollection, stamp: stamp.description)
        }
        return Dictionary(staged.map { ($0.path, OaioFile(sha256: $0.sha256, size: $0.size)) }) { _, last in last }
    }

    /// Forgets the files staged for a version once it is written (they expire anyway if this fails).
    private func unstageOaioFiles(_ id: String, stamp: OaioStamp, as userID: String) async {
        _ = try? await store.unstageFiles(
            by: userID,
            for: id,
            in: Self.oaioCollection,
            stamp: stamp.description,
            under: ""
        )
    }

    private static func stampRecord(_ version: OaioVersion, of entity: Entity) -> VersionStamp {
        VersionStamp(
            collection: entity.collection,
            entityID: entity.id,
            version: entity.version,
            stamp: version.stamp.description,
            userID: version.writerID,
            device: version.device,
            app: version.app,
            fileHost: version.fileHost,
            values: entity.values
        )
    }

    /// Reads a stamp a client sent: 20 digits of a valid UTC time, newer than
    /// ``OaioStamp/oldestSync`` and (for a new version, `current`) at most
    /// ``OaioStamp/maximumClockDifference`` ahead of the server's clock.
    func oaioStampCheck(_ text: String, field: String, current: Bool = true) throws(EntityError) -> OaioStamp {
        let now = accounts.now
        guard let stamp = OaioStamp(text: text) else {
            throw EntityError(
                .validationFailed,
                "\(field): expected 20 digits of UTC time (yyyyMMddHHmmss and microseconds), found '\(text.prefix(40))'"
            )
        }
        guard stamp > OaioStamp.oldestSync else {
            throw EntityError(.validationFailed, "\(field): '\(text)' is not newer than \(OaioStamp.oldestSync)")
        }
        let latest = OaioStamp(now.addingTimeInterval(OaioStamp.maximumClockDifference))
        guard !current || stamp <= latest else {
            throw EntityError(
                .validationFailed,
                "\(field): '\(text)' is more than \(Int(OaioStamp.maximumClockDifference)) s ahead of the server's clock (\(OaioStamp(now)))"
            )
        }
        return stamp
    }
}

extension OaioObject {
    init(version: OaioVersion, of entity: Entity, previous: OaioVersion?, writer: String, right: AccessRight) {
        self.init(
            id: entity.id,
            stamp: version.stamp,
            values: version.values,
            files: version.files,
            previousStamp: previous?.stamp,
            previousValues: previous?.values ?? [:],
            fileHost: version.fileHost,
            writer: writer,
            device: version.device,
            app: version.app,
            right: right
        )
    }
}

/// User names by account id, each read once.
struct OaioWriterNames {
    let service: EntityService
    private var names: [String: String] = [:]

    init(service: EntityService) {
        self.service = service
    }

    mutating func name(of id: String?) async throws(EntityError) -> String {
        guard let id else { return "" }
        if let known = names[id] { return known }
        let store = service.store
        let user = try await service.storeCall { () async throws(StoreError) in try await store.user(id: id) }
        let name = user?.name ?? ""
        names[id] = name
        return name
    }
}
