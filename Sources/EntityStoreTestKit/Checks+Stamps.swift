import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    private static func stamp(_ id: String, version: Int64, _ stamp: String, values: [String: JSON]) -> VersionStamp {
        VersionStamp(
            collection: products,
            entityID: id,
            version: version,
            stamp: stamp,
            userID: "USR-alice",
            device: "phone",
            app: "notes",
            fileHost: version % 2 == 0 ? nil : "Local",
            values: values
        )
    }

    /// Stamps are written with their versions, read newest first, bounded per entity, and deleted with
    /// the entity (an entity created again under the id starts without stamps).
    static let versionStampsFollowTheirEntity = ConformanceCheck("versionStampsFollowTheirEntity") { makeStore in
        let store = try await freshStore(makeStore)
        let first = stamp("note", version: 1, "20260101000000000001", values: ["title": "é 1", "n": 2])
        try await store.apply(
            [.insert(entity("note", ["title": "é 1", "n": 2])), .insert(entity("other", ["n": 1]))],
            records: WriteRecords(stamps: [first])
        )
        try expectEqual(
            try await store.versionStamps(of: ["note", "other", "none"], in: products, newest: 8),
            ["note": [first]]
        )

        // A failed batch stores no stamp.
        try await expectStoreError(.versionConflict, "an update of a stale version") {
            try await store.apply(
                [.update(entity("note", ["title": "lost"], version: 2), expectedVersion: 7)],
                records: WriteRecords(stamps: [stamp("note", version: 2, "20260101000000000002", values: [:])])
            )
        }
        try expectEqual(
            try await store.versionStamps(of: ["note"], in: products, newest: 8),
            ["note": [first]],
            "after a failure"
        )

        // A version written without a stamp has none; the kept stamps stay.
        try await store.apply([.update(entity("note", ["title": "rest"], version: 2), expectedVersion: 1)])
        var expected = [first]
        for version in Int64(3)...Int64(3 + VersionStamp.kept) {
            let made = stamp(
                "note",
                version: version,
                "2026010100000000\(1000 + version)",
                values: ["v": .integer(version)]
            )
            try await store.apply(
                [.update(entity("note", ["v": .integer(version)], version: version), expectedVersion: version - 1)],
                records: WriteRecords(stamps: [made])
            )
            expected.insert(made, at: 0)
        }
        let kept = try await store.versionStamps(of: ["note"], in: products, newest: 8)["note"] ?? []
        try expectEqual(kept, Array(expected.prefix(VersionStamp.kept)), "the newest stamps, newest first")
        try expectEqual(
            try await store.versionStamps(of: ["note", "other"], in: products, newest: 2),
            ["note": Array(expected.prefix(2))],
            "the newest two of each"
        )

        try await store.apply([.delete(id: "note", collection: products, expectedVersion: nil)])
        try expectEqual(
            try await store.versionStamps(of: ["note"], in: products, newest: 8),
            [:],
            "deleted with the entity"
        )
        try await store.apply([.insert(entity("note", ["again": true]))])
        try expectEqual(
            try await store.versionStamps(of: ["note"], in: products, newest: 8),
            [:],
            "a new entity has none"
        )
    }

    /// Staged files are kept per uploader, entity, stamp and path, replaced by a new upload of the
    /// path, removed by path or folder, and pruned by age; a staged file is not retired.
    static let stagedFilesWaitForTheirVersion = ConformanceCheck("stagedFilesWaitForTheirVersion") { makeStore in
        let store = try await freshStore(makeStore)
        let now = date(milliseconds: 1_800_000_000_000)
        func staged(_ user: String, _ path: String, _ digit: Character, stamp: String = "20260101000000000001")
            -> StagedFile
        {
            StagedFile(
                userID: user,
                collection: products,
                entityID: "ö note",
                stamp: stamp,
                path: path,
                sha256: String(repeating: String(digit), count: 64),
                size: 3,
                stagedAt: now
            )
        }
        for file in [
            staged("alice", "b.txt", "1"), staged("alice", "dir/a.txt", "2"), staged("alice", "dir/sub/c", "3"),
            staged("alice", "dir%/x", "4"), staged("bob", "b.txt", "5"), staged("alice", "b.txt", "6", stamp: "2027"),
        ] {
            try await store.stageFile(file)
        }
        try await store.stageFile(staged("alice", "b.txt", "7"))
        let stamp = "20260101000000000001"
        try expectEqual(
            try await store.stagedFiles(by: "alice", for: "ö note", in: products, stamp: stamp),
            [
                staged("alice", "b.txt", "7"), staged("alice", "dir%/x", "4"), staged("alice", "dir/a.txt", "2"),
                staged("alice", "dir/sub/c", "3"),
            ],
            "the uploader's files of the stamp by path, a new upload replacing the old"
        )
        try expectEqual(
            try await store.unstageFiles(by: "alice", for: "ö note", in: products, stamp: stamp, under: "dir"),
            2,
            "a folder and what lies below it, not a sibling sharing its prefix"
        )
        try expectEqual(
            try await store.stagedFiles(by: "alice", for: "ö note", in: products, stamp: stamp).map(\.path),
            ["b.txt", "dir%/x"]
        )

        // A staged file keeps its blob: it is not retired while it waits.
        let waiting = String(repeating: "7", count: 64)
        try await store.recordFileUpload(waiting, by: "alice", at: now.addingTimeInterval(-7200))
        try expectEqual(
            try await store.retireUnreferencedFiles(before: now, limit: 10),
            [],
            "a staged file is not retired"
        )

        try await store.pruneStagedFiles(before: now.addingTimeInterval(1))
        try expectEqual(try await store.stagedFiles(by: "alice", for: "ö note", in: products, stamp: stamp), [])
        try expectEqual(try await store.stagedFiles(by: "bob", for: "ö note", in: products, stamp: stamp), [])
        try expectEqual(
            try await store.retireUnreferencedFiles(before: now, limit: 10),
            [waiting],
            "retired once no longer staged"
        )
    }
}
