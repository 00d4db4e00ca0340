import EntityModel
import EntityQuery
import EntityStore
import Foundation

extension EntityStoreConformance {
    /// A digest made of one repeated hex digit.
    private static func digest(_ digit: Character) -> String { String(repeating: String(digit), count: 64) }

    private static func file(_ digit: Character) -> JSON {
        ["$file": .string(digest(digit)), "size": 3, "name": "f.txt"]
    }

    static let fileReferencesAreCountedWithTheirWrites = ConformanceCheck(
        "fileReferencesAreCountedWithTheirWrites"
    ) { makeStore in
        let store = try await freshStore(makeStore)
        let (a, b, c) = (digest("a"), digest("b"), digest("c"))
        try await store.apply([
            .insert(entity("A", ["cover": file("a"), "pages": [["scan": file("b")], ["scan": file("a")]]])),
            .insert(entity("B", ["attachment": file("a"), "note": "plain"])),
            .insert(entity("C", ["n": 1])),
        ])
        try expectEqual(
            try await store.fileReferenceCounts([a, b, c]),
            [a: 2, b: 1],
            "one reference per entity and file"
        )
        try expectEqual(
            try await store.fileReferrers(of: a, limit: 10),
            [FileReferrer(collection: products, id: "A"), FileReferrer(collection: products, id: "B")],
            "the entities referring to a file"
        )
        try expectEqual(try await store.fileReferrers(of: a, limit: 1).count, 1, "referrers are limited")

        var updated = entity("A", ["cover": file("c"), "pages": [["scan": file("b")]]], version: 2)
        try await store.apply([.update(updated, expectedVersion: 1)])
        try await store.apply([.delete(id: "B", collection: products, expectedVersion: nil)])
        try expectEqual(
            try await store.fileReferenceCounts([a, b, c]),
            [b: 1, c: 1],
            "an update and a delete release theirs"
        )
        try expectEqual(try await store.fileReferrers(of: a, limit: 10), [], "no entity refers to a released file")

        // A failed batch changes no count.
        try await expectStoreError(.duplicateID, "an insert of an existing id") {
            try await store.apply([
                .insert(entity("D", ["x": file("c")])),
                .insert(entity("C", ["x": file("a")])),
            ])
        }
        try expectEqual(try await store.fileReferenceCounts([a, b, c]), [b: 1, c: 1], "after a failed batch")

        // A file that lost its last reference is retired after the grace period only.
        let soon = Date().addingTimeInterval(-3600)
        try expectEqual(
            try await store.retireUnreferencedFiles(before: soon, limit: 10),
            [],
            "within the grace period"
        )
        let later = Date().addingTimeInterval(60)
        try expectEqual(
            try await store.retireUnreferencedFiles(before: later, limit: 10),
            [a],
            "after the grace period, only the unreferenced file"
        )
        try expectEqual(try await store.retireUnreferencedFiles(before: later, limit: 10), [], "retired once")
        // A write that checked its references before the file was retired brings it back.
        updated.version = 3
        updated.values = ["cover": file("a")]
        try await store.apply([.update(updated, expectedVersion: 2)])
        try expectEqual(try await store.fileReferenceCounts([a, b, c]), [a: 1], "a retired file referred to again")
        try expectEqual(try await store.forgetRetiredFiles(before: later, limit: 10), [], "is not forgotten")

        // Files still retired after a while are forgotten, once.
        try expectEqual(
            Set(try await store.retireUnreferencedFiles(before: later, limit: 10)),
            [b, c],
            "unreferenced since that update"
        )
        try expectEqual(
            try await store.forgetRetiredFiles(before: Date().addingTimeInterval(-3600), limit: 10),
            [],
            "retired too recently"
        )
        try expectEqual(Set(try await store.forgetRetiredFiles(before: later, limit: 10)), [b, c], "forgotten")
        try expectEqual(try await store.forgetRetiredFiles(before: later, limit: 10), [], "once")
    }

    static let fileUploadsAreRecordedPerUser = ConformanceCheck("fileUploadsAreRecordedPerUser") { makeStore in
        let store = try await freshStore(makeStore)
        let (d, e) = (digest("d"), digest("e"))
        try await store.recordFileUpload(d, by: "alice", at: Date())
        try await store.recordFileUpload(e, by: "alice", at: Date())
        try await store.recordFileUpload(e, by: "alice", at: Date())
        try expectEqual(try await store.filesUploaded([d, e, digest("f")], by: "alice"), [d, e], "alice's uploads")
        try expectEqual(try await store.filesUploaded([d, e], by: "bob"), [], "uploads are per user")
        try expectEqual(try await store.filesRecorded([d, e, digest("f")]), [d, e], "the files recorded")

        // A referenced file stays, whenever it was uploaded; an unreferenced one goes with its uploads.
        try await store.apply([.insert(entity("A", ["doc": file("e")]))])
        let later = Date().addingTimeInterval(60)
        try expectEqual(
            try await store.retireUnreferencedFiles(before: later, limit: 10),
            [d],
            "the unreferenced upload"
        )
        try expectEqual(
            try await store.filesUploaded([d, e], by: "alice"),
            [e],
            "a retired file is no upload any more"
        )
        try expectEqual(try await store.fileReferenceCounts([e]), [e: 1], "the referenced file")
        try expectEqual(try await store.filesRecorded([d]), [d], "a retired file is still recorded")

        // Uploaded again after it was retired, a file is back, and not forgotten.
        try await store.recordFileUpload(d, by: "bob", at: Date())
        try expectEqual(try await store.filesUploaded([d], by: "bob"), [d], "bob's upload")
        try expectEqual(try await store.forgetRetiredFiles(before: later, limit: 10), [], "an upload brought it back")
        try expectEqual(
            try await store.retireUnreferencedFiles(before: Date().addingTimeInterval(-3600), limit: 10),
            [],
            "its grace period starts over"
        )
    }
}
