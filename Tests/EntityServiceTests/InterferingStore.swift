import EntityModel
import EntityQuery
import EntityStore
import Foundation
import Synchronization

/// A store that passes every call to `inner`, but can run an interference on `inner` before the next
/// `apply` (another request's writes landing between a batch's planning and its writing), and can
/// refuse every `apply` with `failure` (the database failing the transaction).
final class InterferingStore: EntityStore {
    typealias Interference = @Sendable (any EntityStore) async throws(StoreError) -> Void

    let inner: any EntityStore
    private let interference = Mutex<Interference?>(nil)
    private let failure: StoreError?
    private let applies = Mutex(0)

    init(_ inner: any EntityStore, failure: StoreError? = nil) {
        self.inner = inner
        self.failure = failure
    }

    /// Runs `interference` on the inner store at the start of the next `apply`, once.
    func interfere(beforeNextApply interference: @escaping Interference) {
        self.interference.withLock { $0 = interference }
    }

    /// How many times `apply` was called.
    var applyCount: Int { applies.withLock { $0 } }

    func apply(_ writes: [EntityWrite], records: WriteRecords) async throws(StoreError) -> [Int64] {
        applies.withLock { $0 += 1 }
        if let interfere = interference.withLock({ hook in
            defer { hook = nil }
            return hook
        }) {
            try await interfere(inner)
        }
        if let failure { throw failure }
        return try await inner.apply(writes, records: records)
    }

    func prepare(for schema: Schema) async throws(StoreError) { try await inner.prepare(for: schema) }
    func get(_ id: String, in collection: CollectionPath) async throws(StoreError) -> Entity? {
        try await inner.get(id, in: collection)
    }
    func get(_ ids: [String], in collection: CollectionPath) async throws(StoreError) -> [String: Entity] {
        try await inner.get(ids, in: collection)
    }
    func query(_ query: Query, in collection: CollectionPath) async throws(StoreError) -> QueryPage {
        try await inner.query(query, in: collection)
    }
    func idempotencyRecord(for key: String, notBefore: Date) async throws(StoreError) -> IdempotencyRecord? {
        try await inner.idempotencyRecord(for: key, notBefore: notBefore)
    }
    func changes(after sequence: Int64, limit: Int) async throws(StoreError) -> [Change] {
        try await inner.changes(after: sequence, limit: limit)
    }
    func checkAvailability() async throws(StoreError) { try await inner.checkAvailability() }
    func storeIdentity() async throws(StoreError) -> String { try await inner.storeIdentity() }
    func feed(of readers: [FeedReader], after sequence: Int64, limit: Int) async throws(StoreError) -> [FeedEntry] {
        try await inner.feed(of: readers, after: sequence, limit: limit)
    }

    func syncReceipts(userID: String, device: String, mutationIDs: [String]) async throws(StoreError)
        -> [SyncReceipt]
    {
        try await inner.syncReceipts(userID: userID, device: device, mutationIDs: mutationIDs)
    }
    func syncConflicts(after id: String?, limit: Int) async throws(StoreError) -> [SyncConflict] {
        try await inner.syncConflicts(after: id, limit: limit)
    }
    func syncConflict(_ id: String) async throws(StoreError) -> SyncConflict? { try await inner.syncConflict(id) }
    func pruneSync(before date: Date) async throws(StoreError) { try await inner.pruneSync(before: date) }
    func syncHorizon() async throws(StoreError) -> Int64 { try await inner.syncHorizon() }
    func recordFileUpload(_ sha256: String, by userID: String, at date: Date) async throws(StoreError) {
        try await inner.recordFileUpload(sha256, by: userID, at: date)
    }
    func filesUploaded(_ digests: [String], by userID: String) async throws(StoreError) -> Set<String> {
        try await inner.filesUploaded(digests, by: userID)
    }
    func fileReferrers(of sha256: String, limit: Int) async throws(StoreError) -> [FileReferrer] {
        try await inner.fileReferrers(of: sha256, limit: limit)
    }
    func filesRecorded(_ digests: [String]) async throws(StoreError) -> Set<String> {
        try await inner.filesRecorded(digests)
    }

    func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int] {
        try await inner.fileReferenceCounts(digests)
    }
    func retireUnreferencedFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await inner.retireUnreferencedFiles(before: date, limit: limit)
    }

    func forgetRetiredFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] {
        try await inner.forgetRetiredFiles(before: date, limit: limit)
    }
    func versionStamps(of ids: [String], in collection: CollectionPath, newest: Int) async throws(StoreError)
        -> [String: [VersionStamp]]
    {
        try await inner.versionStamps(of: ids, in: collection, newest: newest)
    }
    func stageFile(_ file: StagedFile) async throws(StoreError) { try await inner.stageFile(file) }
    func stagedFiles(by userID: String, for entityID: String, in collection: CollectionPath, stamp: String)
        async throws(StoreError) -> [StagedFile]
    {
        try await inner.stagedFiles(by: userID, for: entityID, in: collection, stamp: stamp)
    }
    func unstageFiles(
        by userID: String,
        for entityID: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    ) async throws(StoreError) -> Int {
        try await inner.unstageFiles(by: userID, for: entityID, in: collection, stamp: stamp, under: path)
    }
    func pruneStagedFiles(before date: Date) async throws(StoreError) { try await inner.pruneStagedFiles(before: date) }
    func feedHead(of readers: [FeedReader]) async throws(StoreError) -> Int64 {
        try await inner.feedHead(of: readers)
    }
    var changeSignal: ChangeSignal { inner.changeSignal }
    func users() async throws(StoreError) -> [UserRecord] { try await inner.users() }
    func user(named name: String) async throws(StoreError) -> UserRecord? { try await inner.user(named: name) }
    func user(id: String) async throws(StoreError) -> UserRecord? { try await inner.user(id: id) }
    func insertUser(_ user: UserRecord, audit: AuditEvent) async throws(StoreError) {
        try await inner.insertUser(user, audit: audit)
    }
    func removeUser(id: String, transferringTo newOwner: String?, audit: AuditEvent) async throws(StoreError) -> Bool {
        try await inner.removeUser(id: id, transferringTo: newOwner, audit: audit)
    }
    func credential(id: String) async throws(StoreError) -> CredentialRecord? { try await inner.credential(id: id) }
    func credentials(of userID: String, kind: CredentialRecord.Kind) async throws(StoreError) -> [CredentialRecord] {
        try await inner.credentials(of: userID, kind: kind)
    }
    func insertCredential(_ credential: CredentialRecord, audit: AuditEvent?) async throws(StoreError) {
        try await inner.insertCredential(credential, audit: audit)
    }
    func removeCredential(id: String, audit: AuditEvent?) async throws(StoreError) -> Bool {
        try await inner.removeCredential(id: id, audit: audit)
    }
    func grants(on id: String, in collection: CollectionPath) async throws(StoreError) -> [GrantRecord] {
        try await inner.grants(on: id, in: collection)
    }
    func grantedRights(of userID: String, on ids: [String], in collection: CollectionPath) async throws(StoreError)
        -> [String: AccessRight]
    {
        try await inner.grantedRights(of: userID, on: ids, in: collection)
    }
    func saveGrant(_ grant: GrantRecord, audit: AuditEvent) async throws(StoreError) -> GrantRecord {
        try await inner.saveGrant(grant, audit: audit)
    }
    func removeGrant(on id: String, in collection: CollectionPath, from userID: String, audit: AuditEvent)
        async throws(StoreError) -> Bool
    {
        try await inner.removeGrant(on: id, in: collection, from: userID, audit: audit)
    }
    func appendAudit(_ event: AuditEvent) async throws(StoreError) { try await inner.appendAudit(event) }
    func auditEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        try await inner.auditEvents(after: sequence, limit: limit)
    }
}
