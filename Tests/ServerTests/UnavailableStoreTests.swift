import EntityModel
import EntityQuery
import EntityStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Server
import Testing

/// A database that went down after the server started: every call fails as a backend reports a lost
/// connection (but the one listing users, so that the admin bootstrap at start finds the store set up).
/// Shared by the REST and OData checks of an unavailable store.
struct DownStore: EntityStore {
    private var down: StoreError { StoreError(.unavailable, "connection refused by 10.0.0.5:5432 (user=admin)") }
    func prepare(for schema: Schema) async throws(StoreError) {}
    func get(_ id: String, in collection: CollectionPath) async throws(StoreError) -> Entity? { throw down }
    func query(_ query: Query, in collection: CollectionPath) async throws(StoreError) -> QueryPage { throw down }
    func apply(_ writes: [EntityWrite], records: WriteRecords) async throws(StoreError) -> [Int64] {
        throw down
    }
    func idempotencyRecord(for key: String, notBefore: Date) async throws(StoreError) -> IdempotencyRecord? {
        throw down
    }
    func changes(after sequence: Int64, limit: Int) async throws(StoreError) -> [Change] { throw down }
    func checkAvailability() async throws(StoreError) { throw down }
    func storeIdentity() async throws(StoreError) -> String { throw down }
    func feedHead(of readers: [FeedReader]) async throws(StoreError) -> Int64 { throw down }
    let changeSignal = ChangeSignal()
    func syncReceipts(userID: String, device: String, mutationIDs: [String]) async throws(StoreError)
        -> [SyncReceipt]
    { throw down }
    func syncConflicts(after id: String?, limit: Int) async throws(StoreError) -> [SyncConflict] { throw down }
    func syncConflict(_ id: String) async throws(StoreError) -> SyncConflict? { throw down }
    func pruneSync(before date: Date) async throws(StoreError) { throw down }
    func syncHorizon() async throws(StoreError) -> Int64 { throw down }
    func recordFileUpload(_ sha256: String, by userID: String, at date: Date) async throws(StoreError) { throw down }
    func filesUploaded(_ digests: [String], by userID: String) async throws(StoreError) -> Set<String> { throw down }
    func fileReferrers(of sha256: String, limit: Int) async throws(StoreError) -> [FileReferrer] { throw down }
    func filesRecorded(_ digests: [String]) async throws(StoreError) -> Set<String> { throw down }
    func fileReferenceCounts(_ digests: [String]) async throws(StoreError) -> [String: Int] { throw down }
    func retireUnreferencedFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] { throw down }
    func forgetRetiredFiles(before date: Date, limit: Int) async throws(StoreError) -> [String] { throw down }
    func versionStamps(of ids: [String], in collection: CollectionPath, newest: Int) async throws(StoreError)
        -> [String: [VersionStamp]]
    { throw down }
    func stageFile(_ file: StagedFile) async throws(StoreError) { throw down }
    func stagedFiles(by userID: String, for entityID: String, in collection: CollectionPath, stamp: String)
        async throws(StoreError) -> [StagedFile]
    { throw down }
    func unstageFiles(
        by userID: String,
        for entityID: String,
        in collection: CollectionPath,
        stamp: String,
        under path: String
    )
        async throws(StoreError) -> Int
    { throw down }
    func pruneStagedFiles(before date: Date) async throws(StoreError) { throw down }
    func feed(of readers: [FeedReader], after sequence: Int64, limit: Int) async throws(StoreError) -> [FeedEntry] {
        throw down
    }

    func users() async throws(StoreError) -> [UserRecord] {
        [UserRecord(id: "USR-admin", name: "admin", passwordHash: nil, isAdmin: true, createdAt: Date())]
    }
    func user(named name: String) async throws(StoreError) -> UserRecord? { throw down }
    func user(id: String) async throws(StoreError) -> UserRecord? { throw down }
    func insertUser(_ user: UserRecord, audit: AuditEvent) async throws(StoreError) { throw down }
    func removeUser(id: String, transferringTo newOwner: String?, audit: AuditEvent) async throws(StoreError) -> Bool {
        throw down
    }
    func credential(id: String) async throws(StoreError) -> CredentialRecord? { throw down }
    func credentials(of userID: String, kind: CredentialRecord.Kind) async throws(StoreError) -> [CredentialRecord] {
        throw down
    }
    func insertCredential(_ credential: CredentialRecord, audit: AuditEvent?) async throws(StoreError) { throw down }
    func removeCredential(id: String, audit: AuditEvent?) async throws(StoreError) -> Bool { throw down }
    func grants(on id: String, in collection: CollectionPath) async throws(StoreError) -> [GrantRecord] { throw down }
    func grantedRights(of userID: String, on ids: [String], in collection: CollectionPath) async throws(StoreError)
        -> [String: AccessRight]
    { throw down }
    func saveGrant(_ grant: GrantRecord, audit: AuditEvent) async throws(StoreError) -> GrantRecord { throw down }
    func removeGrant(on id: String, in collection: CollectionPath, from userID: String, audit: AuditEvent)
        async throws(StoreError) -> Bool
    { throw down }
    func appendAudit(_ event: AuditEvent) async throws(StoreError) { throw down }
    func auditEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] { throw down }
}

@Suite struct UnavailableStoreTests {
    @Test func aDownDatabaseAnswers503WithRetryAfterAndNoDatabaseDetails() async throws {
        let app = try await EntityHubServer.makeApplication(
            store: DownStore(),
            configuration: ServerConfiguration(schema: .open),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.test(.router) { client in
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/v1/items/A", nil),
                (.get, "/api/v1/items?eq(n,1)", nil),
                (.post, "/api/v1/items", #"{"n": 1}"#),
                (.delete, "/api/v1/items/A", nil),
            ]
            // Signed in (the key cannot be checked) and anonymous reads and deletes by id, which need the
            // database (an anonymous create or list of a private collection is answered without it).
            for (method, uri, body) in requests {
                for authorization in ["ApiKey SU-000:test", nil] where authorization != nil || uri.hasSuffix("/A") {
                    let response = try await client.send(method, uri, json: body, authorization: authorization)
                    #expect(response.status == .serviceUnavailable, "\(method) \(uri)")
                    #expect(response.headers[.retryAfter] == "1", "\(method) \(uri)")
                    #expect(response.errorCode == "UNAVAILABLE", "\(method) \(uri)")
                    #expect(!response.text.contains("10.0.0.5") && !response.text.contains("admin"), "\(response.text)")
                }
            }
            #expect(try await client.send(.get, "/health").status == .ok)
            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.errorCode == "UNAVAILABLE")
            #expect(ready.headers[.retryAfter] == "1")
            #expect(!ready.text.contains("10.0.0.5"))
        }
    }
}
