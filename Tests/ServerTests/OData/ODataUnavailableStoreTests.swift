import EntityModel
import EntityQuery
import EntityStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Server
import Testing

/// A database that went down after the server started: every call fails as a backend reports a lost
/// connection (but the one listing users, so that the admin bootstrap at start finds the store set up).
private struct ODataDownStore: EntityStore {
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

/// `EntityError.unavailable` under `/odata`: 503 with `Retry-After` and the OData error body, nothing
/// of the database in it, for reads, writes and batch parts; the metadata documents need no database.
@Suite struct ODataUnavailableStoreTests {
    @Test func aDownDatabaseAnswers503InTheODataErrorBody() async throws {
        let app = try await EntityHubServer.makeApplication(
            store: ODataDownStore(),
            configuration: ServerConfiguration(
                schema: try Schema(
                    json: try JSON(parsing: #"{"collections": {"items": {"fields": {"n": {"type": "integer"}}}}}"#)
                )
            ),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.test(.router) { client in
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "items('A')", nil),
                (.get, "items?$filter=n%20eq%201", nil),
                (.get, "items/$count", nil),
                (.post, "items", #"{"n": 1}"#),
                (.patch, "items('A')", #"{"n": 2}"#),
                (.delete, "items('A')", nil),
            ]
            for (method, path, body) in requests {
                let response = try await client.od(method, path, body, authorization: "ApiKey SU-000:test")
                let context = "\(method) \(path)"
                expectODataError(response, .serviceUnavailable, context)
                #expect(response.headers[.retryAfter] == "1", "\(context): \(response.headers)")
                #expect(!response.text.contains("10.0.0.5") && !response.text.contains("admin"), "\(response.text)")
            }
            // Anonymous reads by key need the database too.
            expectODataError(
                try await client.od(.get, "items('A')", authorization: nil),
                .serviceUnavailable,
                "anonymous GET"
            )
            // The service document and $metadata are built from the schema alone.
            #expect(try await client.od(.get, "", authorization: nil).status == .ok)
            #expect(try await client.od(.get, "$metadata", authorization: nil).status == .ok)
            // In a batch, the part answers 503; the batch itself is 200.
            let (response, answers) = try await client.multipart(
                [.part(BatchPart("GET", "items('A')", id: "1"))],
                authorization: "ApiKey SU-000:test"
            )
            if response.status == .ok {
                #expect(answers.map(\.status) == [503], "\(answers)")
                #expect(answers.first?.json["error"]?["code"] != nil, "\(answers)")
            } else {
                expectODataError(response, .serviceUnavailable, "$batch")
            }
            #expect(!response.text.contains("10.0.0.5"), "\(response.text)")
        }
    }
}
