import EntityClient
import EntityModel
import EntitySync
import Foundation
import TestStores
import Testing

/// Files of replicas against the in-process server (both backends): attached offline, uploaded
/// before the push, downloaded on demand, removed with the last local entity that refers to them.
extension SyncClientTests {
    @Test(arguments: StoreBackend.allCases) func anAttachedFileIsUploadedBeforeThePushAndDownloadedOnDemand(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let laptop = try await world.replica("laptop.sqlite", authorization: alice.authorization)
            let original = world.directory.appendingPathComponent("report.pdf")
            let digest = try TestFiles.random(size: 3 << 20, seed: 7, at: original)

            let reference = try await phone.attach(fileAt: original, type: "application/pdf")
            #expect(
                reference == [
                    "$file": .string(digest), "size": .integer(3 << 20), "type": "application/pdf",
                    "name": "report.pdf",
                ]
            )
            let moved = world.directory.appendingPathComponent("moved.pdf")
            try FileManager.default.moveItem(at: original, to: moved)
            try await phone.create(["title": "Report", "file": reference], id: "F1", in: "notes")

            let report = try await phone.sync()
            #expect(report.uploads.map(\.sha256) == [digest] && report.uploads.first?.resumedAt == 0)
            #expect(report.applied == 1, "the note was pushed after its file")
            #expect(try await phone.sync().uploads.isEmpty, "uploaded once")

            #expect(try await laptop.sync().pulled == 1)
            let downloaded = try await laptop.file(digest, of: "F1", in: "notes")
            #expect(downloaded.path == world.directory.appendingPathComponent("laptop.sqlite.files/\(digest)").path)
            #expect(try TestFiles.sha256(of: downloaded) == digest)
            #expect(try Data(contentsOf: downloaded) == Data(contentsOf: moved))
            #expect(
                try await phone.file(digest, of: "F1", in: "notes").lastPathComponent == digest,
                "the attached copy"
            )
        }
    }

    @Test(arguments: StoreBackend.allCases) func aFileTheServerHasForTheUserIsNotSentAgain(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let laptop = try await world.replica("laptop.sqlite", authorization: alice.authorization)
            let original = world.directory.appendingPathComponent("scan.png")
            let digest = try TestFiles.random(size: 1 << 20, seed: 5, at: original)
            try await phone.create(["scan": try await phone.attach(fileAt: original)], id: "S1", in: "notes")
            #expect(try await phone.sync().uploads.map(\.sha256) == [digest])

            // The laptop attaches the same bytes: the server has them for alice already.
            try await laptop.create(["copy": try await laptop.attach(fileAt: original)], id: "S2", in: "notes")
            let report = try await laptop.sync()
            #expect(report.uploads.isEmpty && report.failedUploads.isEmpty, "not sent again")
            #expect(report.applied == 1, "and the note that refers to it is accepted")
        }
    }

    @Test(arguments: StoreBackend.allCases) func anInterruptedUploadResumesFromTheServersOffset(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let original = world.directory.appendingPathComponent("video.bin")
            let size: Int64 = 5 << 20
            let digest = try TestFiles.random(size: size, seed: 11, at: original)
            let reference = try await phone.attach(fileAt: original)
            try await phone.create(["clip": reference], id: "V1", in: "notes")

            // An earlier sync of this user's was cut off after 2 MiB.
            let client = try EntityClient(endpoint: world.endpoint, apiKey: alice.authorization)
            #expect(try await client.uploadOffset(ofFile: digest) == nil)
            let stopped = try await client.uploadFile(at: original, sha256: digest, size: size, upTo: 2 << 20)
            #expect(stopped == 2 << 20)
            #expect(try await client.uploadOffset(ofFile: digest) == 2 << 20)

            let report = try await phone.sync()
            #expect(report.uploads.first?.resumedAt == 2 << 20, "resumed, not sent again from 0")
            #expect(report.applied == 1)
            #expect(try await client.uploadOffset(ofFile: digest) == nil, "complete")
            let copy = world.directory.appendingPathComponent("check.bin")
            try await client.downloadFile(digest, of: "V1", in: "notes", to: copy)
            #expect(try TestFiles.sha256(of: copy) == digest)
        }
    }

    @Test(arguments: StoreBackend.allCases) func anUploadTheServerRefusesIsReportedOnceAndNotRetried(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let original = world.directory.appendingPathComponent("scan.png")
            let digest = try TestFiles.random(size: 300_000, seed: 9, at: original)
            try await phone.create(["scan": try await phone.attach(fileAt: original)], id: "S1", in: "notes")
            // The replica's copy changed behind its back: its bytes no longer hash to its name.
            let copy = world.directory.appendingPathComponent("phone.sqlite.files/\(digest)")
            try TestFiles.random(size: 300_000, seed: 10, at: copy)

            let report = try await phone.sync()
            #expect(report.failedUploads.map(\.status) == [422] && report.uploads.isEmpty)
            #expect(report.failedUploads.first?.sha256 == digest)
            let again = try await phone.sync()
            #expect(again.failedUploads.isEmpty && again.uploads.isEmpty, "not retried")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aDownloadResumesItsPartAndRefusesBytesThatDoNotHashToTheDigest(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let laptop = try await world.replica("laptop.sqlite", authorization: alice.authorization)
            let original = world.directory.appendingPathComponent("photo.jpg")
            let digest = try TestFiles.random(size: 2 << 20, seed: 3, at: original)
            try await phone.create(["photo": try await phone.attach(fileAt: original)], id: "P1", in: "notes")
            try await phone.sync()
            try await laptop.sync()

            let folder = world.directory.appendingPathComponent("laptop.sqlite.files")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let part = folder.appendingPathComponent(digest + ".download")
            try Data(repeating: 0xAB, count: 1000).write(to: part)
            await #expect(throws: SyncClientError.self, "a wrong part fails the check") {
                try await laptop.file(digest, of: "P1", in: "notes")
            }
            #expect(!FileManager.default.fileExists(atPath: part.path), "and is discarded")

            try TestFiles.prefix(1 << 20, of: original, to: part)
            let url = try await laptop.file(digest, of: "P1", in: "notes")
            #expect(try TestFiles.sha256(of: url) == digest, "a right part is continued")
            #expect(!FileManager.default.fileExists(atPath: part.path))

            await #expect(throws: SyncClientError.self) { try await laptop.file("../../etc", of: "P1", in: "notes") }
            let missing = String(repeating: "0", count: 64)
            let error = await #expect(throws: EntityClientError.self) {
                try await laptop.file(missing, of: "P1", in: "notes")
            }
            #expect(error?.status == 404, "the note does not refer to that file")
        }
    }

    @Test(arguments: StoreBackend.allCases) func removedEntitiesTakeTheFilesNoOtherLocalEntityRefersTo(
        _ backend: StoreBackend
    ) async throws {
        try await withWorld(backend) { world in
            let alice = try await world.user("alice")
            let bob = try await world.user("bob")
            let phone = try await world.replica("phone.sqlite", authorization: alice.authorization)
            let laptop = try await world.replica("laptop.sqlite", authorization: alice.authorization)
            let theirs = try await world.replica("bob.sqlite", authorization: bob.authorization)
            let shared = world.directory.appendingPathComponent("shared.txt")
            let single = world.directory.appendingPathComponent("single.txt")
            let sharedDigest = try TestFiles.random(size: 100_000, seed: 1, at: shared)
            let singleDigest = try TestFiles.random(size: 50_000, seed: 2, at: single)
            let sharedReference = try await phone.attach(fileAt: shared)
            try await phone.create(["a": sharedReference], id: "A", in: "notes")
            try await phone.create(["b": ["nested": [sharedReference]]], id: "B", in: "notes")
            try await phone.create(["c": try await phone.attach(fileAt: single)], id: "C", in: "notes")
            #expect(try await phone.sync().uploads.count == 2)

            try await laptop.sync()
            let sharedCopy = try await laptop.file(sharedDigest, of: "A", in: "notes")
            let singleCopy = try await laptop.file(singleDigest, of: "C", in: "notes")

            try await phone.delete("A", in: "notes")
            try await phone.delete("C", in: "notes")
            try await phone.sync()
            let first = try await laptop.sync()
            #expect(first.removed == 2 && first.filesRemoved == 1)
            #expect(FileManager.default.fileExists(atPath: sharedCopy.path), "B still refers to it")
            #expect(!FileManager.default.fileExists(atPath: singleCopy.path))
            #expect(
                FileManager.default.fileExists(atPath: try await phone.file(sharedDigest, of: "B", in: "notes").path)
            )

            // Shared with bob, downloaded by him, then unshared: his copy goes.
            let aliceClient = try EntityClient(endpoint: world.endpoint, apiKey: alice.authorization)
            _ = try await aliceClient.send(.PUT, "notes/B/_access/bob", body: ["right": "r"])
            try await theirs.sync()
            let bobsCopy = try await theirs.file(sharedDigest, of: "B", in: "notes")
            #expect(try TestFiles.sha256(of: bobsCopy) == sharedDigest)
            _ = try await aliceClient.send(.DELETE, "notes/B/_access/bob")
            #expect(try await theirs.sync().filesRemoved == 1)
            #expect(!FileManager.default.fileExists(atPath: bobsCopy.path))
            let refused = await #expect(throws: EntityClientError.self) {
                try await theirs.file(sharedDigest, of: "B", in: "notes")
            }
            #expect(refused?.status == 404, "no longer readable")

            try await phone.delete("B", in: "notes")
            try await phone.sync()
            #expect(try await laptop.sync().filesRemoved == 1)
            #expect(!FileManager.default.fileExists(atPath: sharedCopy.path))
        }
    }
}
