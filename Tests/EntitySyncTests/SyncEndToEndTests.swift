import EntityClient
import EntityModel
import EntitySync
import Foundation
import TestStores
import Testing

/// Replicas against the built `entityhub serve` (see ``EntityHubProcess``), on both backends: two
/// replicas of one user and one of another, offline edits, conflicts, a read-only share, removals, and
/// a 300 MB file whose upload is cut off midway and resumed.
@Suite(.serialized) struct SyncEndToEndTests {
    static let bigFileSize: Int64 = 300 * 1_000_000

    @Test(arguments: StoreBackend.allCases) func replicasSyncEditsConflictsSharesAndABigFileThroughTheBuiltServer(
        _ backend: StoreBackend
    ) async throws {
        try await EntityHubProcess.withServer(on: backend) { server in
            let admin = try EntityClient(endpoint: server.endpoint, apiKey: TestCredentials.adminAuthorization)
            let alice = try await Self.user("alice", admin: admin)
            let bob = try await Self.user("bob", admin: admin)
            let phone = try await Self.replica("phone", of: alice, server) { _ in .keepMine }
            let laptop = try await Self.replica("laptop", of: alice, server) { _ in .keepServer }
            let bobs = try await Self.replica("bob", of: bob, server) { _ in .keepServer }

            // Offline writes on both replicas; each ends with both notes.
            try await phone.create(["title": "Milk", "body": "2 l"], id: "N1", in: "notes")
            try await laptop.create(["title": "Bread"], id: "N2", in: "notes")
            #expect(try await phone.sync().applied == 1)
            #expect(try await laptop.sync().pulled >= 1)
            try await phone.sync()
            for replica in [phone, laptop] {
                #expect(try await replica.query(in: "notes").map(\.id).sorted() == ["N1", "N2"])
            }

            // Different keys of one entity: merged.
            try await phone.update("N1", set: ["title": "Oat milk"], in: "notes")
            try await laptop.update("N1", set: ["body": "1 l"], in: "notes")
            try await phone.sync()
            #expect(try await laptop.sync().merged == 1)
            try await phone.sync()
            for replica in [phone, laptop] {
                #expect(try await replica.get("N1", in: "notes")?.values == ["title": "Oat milk", "body": "1 l"])
            }

            // The same key: the phone keeps its own value (keepMine) ...
            try await laptop.update("N1", set: ["title": "Soy milk"], in: "notes")
            try await phone.update("N1", set: ["title": "Rice milk"], in: "notes")
            try await laptop.sync()
            #expect(try await phone.sync().conflicts.map(\.key) == ["title"])
            try await laptop.sync()
            #expect(try await laptop.get("N1", in: "notes")?.values["title"] == "Rice milk")
            // ... the laptop takes the server's (keepServer).
            try await phone.update("N1", set: ["body": "3 l"], in: "notes")
            try await laptop.update("N1", set: ["body": "half a litre"], in: "notes")
            try await phone.sync()
            let kept = try await laptop.sync()
            #expect(kept.conflicts.count == 1 && kept.conflicts.first?.server == "3 l")
            #expect(try await laptop.get("N1", in: "notes")?.values["body"] == "3 l")

            // The other user's edit through a read-only share: refused, rolled back, reported.
            let small = server.directory.appendingPathComponent("list.txt")
            let smallDigest = try TestFiles.random(size: 200_000, seed: 5, at: small)
            try await phone.update("N1", set: ["attachment": try await phone.attach(fileAt: small)], in: "notes")
            try await phone.sync()
            let aliceClient = try EntityClient(endpoint: server.endpoint, apiKey: alice.authorization)
            _ = try await aliceClient.send(.PUT, "notes/N1/_access/bob", body: ["right": "r"])
            #expect(try await bobs.sync().pulled == 1)
            let bobsFile = try await bobs.file(smallDigest, of: "N1", in: "notes")
            #expect(try TestFiles.sha256(of: bobsFile) == smallDigest)
            try await bobs.update("N1", set: ["title": "Bob's milk"], in: "notes")
            let refused = try await bobs.sync()
            #expect(refused.rejected.map(\.status) == [403])
            #expect(try await bobs.get("N1", in: "notes")?.values["title"] == "Rice milk", "rolled back")

            // Unshared: bob's copy and its file go.
            _ = try await aliceClient.send(.DELETE, "notes/N1/_access/bob")
            let unshared = try await bobs.sync()
            #expect(unshared.removed == 1 && unshared.filesRemoved == 1)
            #expect(try await bobs.get("N1", in: "notes") == nil)
            #expect(!FileManager.default.fileExists(atPath: bobsFile.path))

            try await Self.bigFile(server, from: phone, to: laptop, of: alice)

            // Deleted on the phone: the laptop's copy and its 300 MB file go.
            try await phone.delete("BIG", in: "notes")
            try await phone.sync()
            let deleted = try await laptop.sync()
            #expect(deleted.removed == 1 && deleted.filesRemoved == 1)
            #expect(try await laptop.get("BIG", in: "notes") == nil)
        }
    }

    /// A 300 MB file attached on `phone`: its upload is cut off midway, the next sync resumes it from
    /// the server's offset, and `laptop` downloads it on demand.
    private static func bigFile(
        _ server: EntityHubProcess,
        from phone: SyncClient,
        to laptop: SyncClient,
        of user: (name: String, authorization: String)
    ) async throws {
        let original = server.directory.appendingPathComponent("video.bin")
        let digest = try TestFiles.random(size: bigFileSize, seed: 42, at: original)
        let reference = try await phone.attach(fileAt: original, type: "video/mp4")
        try FileManager.default.removeItem(at: original)  // the replica holds its own copy
        try await phone.create(["title": "Holiday", "video": reference], id: "BIG", in: "notes")

        let (progress, reached) = AsyncStream.makeStream(of: Int64.self)
        await phone.observeFileTransfers { transfer in reached.yield(transfer.completed) }
        let cut = Task {
            defer { reached.finish() }
            return try await phone.sync()
        }
        for await completed in progress where completed >= 100_000_000 { break }
        cut.cancel()
        await #expect(throws: (any Error).self, "the sync was cut off") { try await cut.value }
        await phone.observeFileTransfers(nil)

        let client = try EntityClient(endpoint: server.endpoint, apiKey: user.authorization)
        let offset = try #require(try await client.uploadOffset(ofFile: digest), "the server kept the bytes")
        #expect(offset > 0 && offset < bigFileSize)
        try await laptop.sync()
        #expect(try await laptop.get("BIG", in: "notes") == nil, "the note waits for its file")

        let resumed = try await phone.sync()
        let upload = try #require(resumed.uploads.first)
        #expect(upload.resumedAt > 0 && upload.resumedAt >= offset, "resumed at \(upload.resumedAt), not from 0")
        #expect(resumed.applied == 1)

        #expect(try await laptop.sync().pulled == 1)
        let downloaded = try await laptop.file(digest, of: "BIG", in: "notes")
        #expect(TestFiles.size(of: downloaded) == bigFileSize)
        #expect(try TestFiles.sha256(of: downloaded) == digest)
    }

    private static func user(_ name: String, admin: EntityClient) async throws -> (name: String, authorization: String)
    {
        _ = try await admin.send(.POST, "_admin/users", body: ["name": .string(name)])
        let issued = try await admin.send(.POST, "_admin/users/\(name)/keys")
        return (name, try #require(issued?["authorization"]?.stringValue))
    }

    private static func replica(
        _ name: String,
        of user: (name: String, authorization: String),
        _ server: EntityHubProcess,
        onConflict: @escaping @Sendable (SyncClient.Conflict) async -> SyncClient.Decision
    ) async throws -> SyncClient {
        try await SyncClient(
            client: try EntityClient(endpoint: server.endpoint, apiKey: user.authorization),
            databasePath: server.directory.appendingPathComponent(name + ".sqlite").path,
            collections: ["notes"],
            onConflict: onConflict
        )
    }
}
