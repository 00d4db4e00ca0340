import EntityClient
import EntityModel
import EntitySync
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import TestStores
import Testing

/// Replicas against a live EntityHub on 127.0.0.1 (both backends): two replicas of one user and one
/// of another, each in its own SQLite file, editing offline and syncing.
@Suite struct SyncClientTests {
    /// What a test gets: the server's admin client and a way to make users' replicas.
    struct World: Sendable {
        let admin: EntityClient
        let endpoint: String
        let directory: URL

        /// A new user's name and API key.
        func user(_ name: String) async throws -> (name: String, authorization: String) {
            _ = try await admin.send(.POST, "_admin/users", body: ["name": .string(name)])
            let issued = try await admin.send(.POST, "_admin/users/\(name)/keys")
            return (name, try #require(issued?["authorization"]?.stringValue))
        }

        func replica(
            _ file: String,
            authorization: String,
            onConflict: @escaping @Sendable (SyncClient.Conflict) async -> SyncClient.Decision = { _ in .keepServer }
        ) async throws -> SyncClient {
            try await SyncClient(
                client: try EntityClient(endpoint: endpoint, apiKey: authorization),
                databasePath: directory.appendingPathComponent(file).path,
                collections: ["notes"],
                onConflict: onConflict
            )
        }
    }

    func withWorld(_ backend: StoreBackend, _ body: @Sendable (World) async throws -> Void) async throws {
        var logger = Logger(label: "EntitySyncTests")
        logger.logLevel = .critical
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await backend.withFreshStore { store in
            let configuration = ServerConfiguration(
                schema: Schema(collections: ["notes": CollectionSchema()]),
                service: .init(accounts: .init(bcryptCost: 4)),
                filesDirectory: directory.appendingPathComponent("server-files").path,
                adminKey: TestCredentials.adminKey
            )
            let app = try await EntityHubServer.makeApplication(
                store: store,
                configuration: configuration,
                logger: logger
            )
            try await app.test(.live) { testClient in
                let endpoint = "http://127.0.0.1:\(try #require(testClient.port))"
                let admin = try EntityClient(endpoint: endpoint, apiKey: TestCredentials.adminAuthorization)
                try await body(World(admin: admin, endpoint: endpoint, directory: directory))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func twoReplicasOfOneUserMergeOfflineEdits(_ backend: StoreBackend)
        async throws
    {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization) { _ in .keepMine }
            let laptop = try await world.replica("laptop.sqlite", authorization: alice.authorization)

            let note = try await phone.create(["title": "Milk", "body": "2 l"], id: "N1", in: "notes")
            #expect(try await phone.get("N1", in: "notes")?.values == note.values, "readable offline")
            let first = try await phone.sync()
            #expect(first.pushed == 1 && first.applied == 1)
            #expect(try await laptop.sync().pulled == 1)
            #expect(try await laptop.get("N1", in: "notes")?.values == ["title": "Milk", "body": "2 l"])

            // Different keys, both offline: merged, and each replica ends with both edits.
            try await phone.update("N1", set: ["title": "Oat milk"], in: "notes")
            try await laptop.update("N1", set: ["body": "1 l"], unset: [], in: "notes")
            #expect(try await phone.sync().applied == 1)
            let merged = try await laptop.sync()
            #expect(merged.merged == 1 && merged.conflicts.isEmpty)
            try await phone.sync()
            for replica in [phone, laptop] {
                #expect(try await replica.get("N1", in: "notes")?.values == ["title": "Oat milk", "body": "1 l"])
            }

            // The same key: the laptop's write reaches the server first; the phone keeps its own value
            // through onConflict, and the laptop takes it on its next sync.
            try await laptop.update("N1", set: ["title": "Soy milk"], in: "notes")
            try await phone.update("N1", set: ["title": "Rice milk"], in: "notes")
            try await laptop.sync()
            let conflicted = try await phone.sync()
            #expect(conflicted.conflicts.map(\.key) == ["title"])
            #expect(conflicted.conflicts.first?.server == "Soy milk")
            #expect(conflicted.conflicts.first?.client == "Rice milk")
            #expect(try await phone.get("N1", in: "notes")?.values["title"] == "Rice milk")
            try await laptop.sync()
            #expect(try await laptop.get("N1", in: "notes")?.values["title"] == "Rice milk")
            let open = try await world.admin.send(.GET, "_sync/conflicts")
            #expect(open?["conflicts"]?.arrayValue?.isEmpty == true, "resolved on the server")

            // Deleted on one replica: gone from the other.
            try await phone.delete("N1", in: "notes")
            try await phone.sync()
            let removed = try await laptop.sync()
            #expect(removed.removed == 1)
            #expect(try await laptop.get("N1", in: "notes") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aLiveReplicaTakesInChangesAsTheServerAnnouncesThem(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let tablet = try await world.replica("tablet.sqlite", authorization: alice.authorization)
            let live = Task { try await tablet.live(retryDelay: .milliseconds(100)) }
            defer { live.cancel() }
            try await phone.create(["title": "Bread"], id: "L1", in: "notes")
            try await phone.sync()
            var arrived: Entity?
            for _ in 0..<100 where arrived == nil {
                try await Task.sleep(for: .milliseconds(50))
                arrived = try await tablet.get("L1", in: "notes")
            }
            #expect(arrived?.values == ["title": "Bread"], "pulled without calling sync()")
        }
    }

    @Test(arguments: StoreBackend.allCases) func anotherUsersReadOnlyEditIsRolledBackAndAnUnshareRemovesTheCopy(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let bob = try await world.user("bob")
            let mine = try await world.replica("alice.sqlite", authorization: alice.authorization)
            let theirs = try await world.replica("bob.sqlite", authorization: bob.authorization)
            try await mine.create(["title": "Plan"], id: "P1", in: "notes")
            try await mine.create(["title": "Secret"], id: "S1", in: "notes")
            try await mine.sync()

            let aliceClient = try EntityClient(endpoint: world.endpoint, apiKey: alice.authorization)
            _ = try await aliceClient.send(.PUT, "notes/P1/_access/bob", body: ["right": "r"])
            #expect(try await theirs.sync().pulled == 1)
            #expect(try await theirs.get("P1", in: "notes")?.values == ["title": "Plan"])
            #expect(try await theirs.get("S1", in: "notes") == nil, "never shared")

            try await theirs.update("P1", set: ["title": "Bob's plan"], in: "notes")
            let refused = try await theirs.sync()
            #expect(refused.rejected.map(\.status) == [403])
            #expect(try await theirs.get("P1", in: "notes")?.values == ["title": "Plan"], "rolled back")
            #expect(try await theirs.sync().rejected.isEmpty, "never retried")

            _ = try await aliceClient.send(.DELETE, "notes/P1/_access/bob")
            #expect(try await theirs.sync().removed == 1)
            #expect(try await theirs.get("P1", in: "notes") == nil, "an unshared copy is removed")
        }
    }
}
