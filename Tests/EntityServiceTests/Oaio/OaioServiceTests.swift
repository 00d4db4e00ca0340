import EntityModel
import EntityService
import EntityStore
import Foundation
import NIOCore
import TestStores
import Testing

/// What oaio clients do, through the service (issue 15), on both backends.
@Suite(.serialized)
struct OaioServiceTests {
    private static let schema: Schema = (try? Schema.open.includingOaioCollection()) ?? .open
    private let id = "notes⫻alice﹫phone⁄20261124004339145703"

    private func stamp(secondsAgo: Double) -> String { OaioStamp(Date().addingTimeInterval(-secondsAgo)).description }

    private func upload(
        _ values: [String: JSON],
        at stamp: String,
        base: String = "",
        baseValues: [String: JSON] = [:],
        device: String = "phone"
    ) -> OaioUpload {
        OaioUpload(
            id: id,
            stamp: stamp,
            baseStamp: base,
            values: values,
            baseValues: baseValues,
            fileHost: "Local",
            device: device,
            app: "notes"
        )
    }

    @Test(arguments: StoreBackend.allCases)
    func registerListAndRepeat(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            let first = stamp(secondsAgo: 60)
            let object = try await service.oaioRegister(upload(["title": "ö"], at: first), as: people.alice)
            #expect(object.id == id)
            #expect(object.stamp.description == first)
            #expect(object.values == ["title": "ö"])
            #expect(object.previousStamp == nil)
            #expect(object.right == .creator)
            #expect(object.writer == "alice")

            let listed = try await service.oaioObjects(as: people.alice)
            #expect(listed == [object])
            #expect(try await service.oaioObjects(as: people.bob).isEmpty, "bob subscribes to nothing")

            let again = try await service.oaioRegister(upload(["title": "ö"], at: first), as: people.alice)
            #expect(again == object, "the same registration again answers the stored object")
            await #expect(throws: EntityError.self) {
                try await service.oaioRegister(upload(["title": "ö"], at: stamp(secondsAgo: 30)), as: people.alice)
            }
            let taken = await #expect(throws: EntityError.self) {
                try await service.oaioRegister(upload(["title": "mine"], at: first), as: people.bob)
            }
            #expect(taken?.code == .conflict)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func uploadsMergePerKeyAndKeepConflicts(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            let base = stamp(secondsAgo: 60)
            let baseValues: [String: JSON] = ["title": "t", "body": "b", "tag": "x"]
            _ = try await service.oaioRegister(upload(baseValues, at: base), as: people.alice)

            // Device B (newer stamp) reaches the server first, then device A from the same base.
            let newer = stamp(secondsAgo: 10)
            let b = try await service.oaioUpload(
                upload(["title": "t", "body": "from B", "tag": "B"], at: newer, base: base, baseValues: baseValues),
                as: people.alice
            )
            #expect(b.stamp.description == newer)
            #expect(b.previousStamp?.description == base, "server_* shows the version before")
            #expect(b.previousValues == baseValues)

            let older = stamp(secondsAgo: 20)
            let a = try await service.oaioUpload(
                upload(["title": "from A", "body": "b", "tag": "A"], at: older, base: base, baseValues: baseValues),
                as: people.alice
            )
            #expect(
                a.values == ["title": "from A", "body": "from B", "tag": "B"],
                "both edits survive; B's stamp wins tag"
            )
            #expect(a.stamp == (try #require(OaioStamp(text: newer))).next, "the smallest stamp newer than both")

            let conflicts = try await service.syncConflicts(after: nil, limit: 10, as: people.alice).conflicts
            #expect(conflicts.map(\.key) == ["tag"])
            #expect(conflicts.first?.server == "B")
            #expect(conflicts.first?.client == "A")

            // A retry of A's upload changes nothing.
            let retried = try await service.oaioUpload(
                upload(["title": "from A", "body": "b", "tag": "A"], at: older, base: base, baseValues: baseValues),
                as: people.alice
            )
            #expect(retried == a)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aVersionWrittenThroughRESTGetsTheServerTimeAsStamp(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            let ahead = OaioStamp(Date().addingTimeInterval(30)).description
            let registered = try await service.oaioRegister(upload(["n": 1], at: ahead), as: people.alice)
            _ = try await service.patch(id, with: ["n": 2], in: EntityService.oaioCollection, as: people.alice)
            let object = try #require(try await service.oaioObjects(as: people.alice).first)
            #expect(object.values == ["n": 2])
            #expect(object.stamp == registered.stamp.next, "1 µs newer than a stamp ahead of the server's clock")
            #expect(object.previousStamp == registered.stamp)
            #expect(object.previousValues == ["n": 1])

            _ = try await service.patch(id, with: ["n": 3], in: EntityService.oaioCollection, as: people.alice)
            let later = try #require(try await service.oaioObjects(as: people.alice).first)
            #expect(later.stamp >= object.stamp, "stamps never go back")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func badStampsAreRefusedAndNothingIsStored(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            for bad in ["2026", "20221231111111012345", OaioStamp(Date().addingTimeInterval(120)).description, "x"] {
                let error = await #expect(throws: EntityError.self) {
                    try await service.oaioRegister(upload(["n": 1], at: bad), as: people.alice)
                }
                #expect(error?.code == .validationFailed)
                #expect(error?.messages.first?.contains("client_stamp") == true)
            }
            let objects = try await service.oaioObjects(as: people.alice)
            #expect(objects.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func subscriptionsAreGrants(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            let registered = stamp(secondsAgo: 60)
            _ = try await service.oaioRegister(upload(["n": 1], at: registered), as: people.alice)
            let granted = try await service.oaioSubscribe(id, user: "bob", right: "UaR", as: people.alice)
            #expect(granted.number > 0)
            #expect(granted.right == .update)
            #expect(try await service.oaioObjects(as: people.bob).map(\.right) == [.update])
            let list = try await service.oaioSubscribers(of: id, as: people.bob)
            #expect(list.first { $0.user == "alice" }?.right == .creator)
            #expect(list.first { $0.user == "bob" }?.right == .update)

            let edited = try await service.oaioUpload(
                upload(["n": 2], at: stamp(secondsAgo: 30), base: registered, baseValues: ["n": 1], device: "tablet"),
                as: people.bob
            )
            #expect(edited.writer == "bob")
            #expect(edited.device == "tablet")

            let downgraded = try await service.oaioSubscribe(id, user: "bob", right: "r", as: people.alice)
            #expect(downgraded.number == granted.number, "the same number for the same user and object")
            let refused = await #expect(throws: EntityError.self) {
                try await service.oaioUpload(upload(["n": 3], at: stamp(secondsAgo: 5)), as: people.bob)
            }
            #expect(refused?.code == .forbidden)
            let notSharing = await #expect(throws: EntityError.self) {
                try await service.oaioSubscribe(id, user: "bob", right: "D", as: people.bob)
            }
            #expect(notSharing?.code == .forbidden)

            _ = try await service.oaioSubscribe(id, user: "bob", right: "x", as: people.alice)
            #expect(try await service.oaioObjects(as: people.bob).isEmpty)
            let creator = await #expect(throws: EntityError.self) {
                try await service.oaioSubscribe(id, user: "alice", right: "x", as: people.alice)
            }
            #expect(creator?.code == .invalidRequest)
            let unknown = await #expect(throws: EntityError.self) {
                try await service.oaioSubscribe(id, user: "carol", right: "r", as: people.alice)
            }
            #expect(unknown?.code == .notFound)
            _ = try await service.oaioSubscribe(id, user: "carol", right: "r", as: people.admin)
            #expect(try await service.accounts.users(as: people.admin).contains { $0.name == "carol" })
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deletesAreIdempotentAndNeedD(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            try await service.oaioDelete("never registered", as: people.alice)
            _ = try await service.oaioRegister(upload(["n": 1], at: stamp(secondsAgo: 60)), as: people.alice)
            try await service.oaioDelete(id, as: people.bob)
            #expect(try await service.oaioObjects(as: people.alice).count == 1, "bob cannot read it: nothing changes")
            _ = try await service.oaioSubscribe(id, user: "bob", right: "U", as: people.alice)
            let refused = await #expect(throws: EntityError.self) { try await service.oaioDelete(id, as: people.bob) }
            #expect(refused?.code == .forbidden)
            try await service.oaioDelete(id, as: people.alice)
            #expect(try await service.oaioObjects(as: people.alice).isEmpty)
            #expect(try await service.oaioObjects(as: people.bob).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func wipingAUserRemovesTheirObjectsAndAccount(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            _ = try await service.oaioRegister(upload(["n": 1], at: stamp(secondsAgo: 60)), as: people.alice)
            _ = try await service.oaioSubscribe(id, user: "bob", right: "r", as: people.alice)
            let refused = await #expect(throws: EntityError.self) {
                try await service.oaioWipeUser("alice", as: people.bob)
            }
            #expect(refused?.code == .forbidden)
            try await service.oaioWipeUser("alice", as: people.alice)
            #expect(try await service.oaioObjects(as: people.bob).isEmpty, "bob's subscription went with the object")
            #expect(try await !service.accounts.users(as: people.admin).contains { $0.name == "alice" })
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func filesDeployedForAVersionAreTakenByItsRegistration(_ backend: StoreBackend) async throws {
        try await SyncPeople.with(backend, schema: Self.schema) { service, people in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oaio-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let files = service.files(in: try FileSystemBlobStore(directory: folder))
            let first = stamp(secondsAgo: 60)
            let bytes = ByteBuffer(bytes: Array(0...255))
            let deployed = try await files.oaioDeploy(
                [bytes].async,
                id: id,
                stamp: first,
                path: "dir/t.bin",
                as: people.alice
            )
            #expect(deployed.size == 256)
            let object = try await service.oaioRegister(
                upload(["_file_paths": ["dir/t.bin"]], at: first),
                as: people.alice
            )
            #expect(object.files == ["dir/t.bin": deployed])
            #expect(object.values == ["_file_paths": ["dir/t.bin"]], "oaio clients never see _files")
            let entity = try await service.get(id, in: EntityService.oaioCollection, as: people.alice)
            #expect(
                entity.values["_files"]?.objectValue?["dir/t.bin"]?.objectValue?["$file"] == .string(deployed.sha256)
            )

            let download = try await files.oaioDownload(id: id, stamp: first, path: "dir/t.bin", as: people.alice)
            #expect(download.size == 256)
            let hidden = await #expect(throws: EntityError.self) {
                try await files.oaioDownload(id: id, stamp: first, path: "dir/t.bin", as: people.bob)
            }
            #expect(hidden?.code == .notFound)
            let escaping = await #expect(throws: EntityError.self) {
                try await files.oaioDeploy([bytes].async, id: id, stamp: first, path: "../x", as: people.alice)
            }
            #expect(escaping?.code == .validationFailed)
        }
    }
}
