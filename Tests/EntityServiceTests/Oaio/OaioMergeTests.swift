import EntityModel
import Testing

@testable import EntityService

/// The merge of an upload with the stored version (``OaioMerge``): every rule of issue 15.
struct OaioMergeTests {
    private func stamp(_ suffix: Int) -> OaioStamp { OaioStamp(microseconds: 1_800_000_000_000_000 + Int64(suffix)) }

    private func version(
        _ stamp: OaioStamp,
        _ values: [String: JSON],
        files: [String: String] = [:]
    ) -> OaioVersion {
        OaioVersion(
            stamp: stamp,
            values: values,
            files: files.mapValues { OaioFile(sha256: String(repeating: $0, count: 64), size: 1) },
            fileHost: "Local",
            writerID: "USR-a",
            device: "phone",
            app: "notes"
        )
    }

    @Test func anUploadOnTheStoredStampReplacesTheVersion() {
        let stored = version(stamp(10), ["title": "a", "n": 1], files: ["x.txt": "1"])
        let upload = version(stamp(20), ["title": "b"], files: ["y.txt": "2"])
        let merge = OaioMerge(upload: upload, base: (stamp(10), ["title": "a", "n": 1], nil), stored: stored)
        #expect(merge.result == upload)
        #expect(merge.conflicts.isEmpty)
    }

    @Test func editsOfDifferentKeysBothSurviveWithANewerStamp() throws {
        let base = ["title": JSON.string("a"), "body": "x"]
        let stored = version(stamp(30), ["title": "server", "body": "x"])
        let upload = version(stamp(20), ["title": "a", "body": "client"])
        let merge = OaioMerge(upload: upload, base: (stamp(10), base, [:]), stored: stored)
        let result = try #require(merge.result)
        #expect(result.values == ["title": "server", "body": "client"])
        #expect(result.stamp == stamp(31), "the smallest stamp newer than both")
        #expect(merge.conflicts.isEmpty)
    }

    @Test(arguments: [(30, 20, "server"), (20, 30, "client")])
    func theNewerClientStampWinsAKeyBothChanged(storedAt: Int, uploadedAt: Int, winner: String) throws {
        let stored = version(stamp(storedAt), ["title": "server"])
        let upload = version(stamp(uploadedAt), ["title": "client"])
        let merge = OaioMerge(upload: upload, base: (stamp(10), ["title": "base"], [:]), stored: stored)
        if winner == "server" {
            #expect(merge.result == nil, "the losing upload changes nothing")
        } else {
            let result = try #require(merge.result)
            #expect(result.values == ["title": "client"])
            #expect(result.stamp == stamp(30), "exactly the upload, and its stamp is the newest")
        }
        #expect(
            merge.conflicts == [OaioMerge.Conflict(key: "title", base: "base", server: "server", client: "client")]
        )
    }

    @Test func aRemovedKeyMergesLikeAChangedOne() throws {
        let stored = version(stamp(30), ["a": 1, "b": 2, "c": 3])
        let upload = version(stamp(40), ["a": 1, "c": 3, "d": 4])
        let merge = OaioMerge(upload: upload, base: (stamp(10), ["a": 1, "b": 2, "c": 3], [:]), stored: stored)
        #expect(try #require(merge.result).values == ["a": 1, "c": 3, "d": 4])
        #expect(try #require(merge.result).stamp == stamp(40))
    }

    @Test func filesMergeByPathAgainstTheBaseFiles() throws {
        let stored = version(stamp(30), ["t": 1], files: ["a": "1", "b": "3"])
        let upload = version(stamp(20), ["t": 1], files: ["a": "2", "b": "1"])
        let baseFiles = [
            "a": OaioFile(sha256: String(repeating: "1", count: 64), size: 1),
            "b": OaioFile(sha256: String(repeating: "1", count: 64), size: 1),
        ]
        let merge = OaioMerge(upload: upload, base: (stamp(10), ["t": 1], baseFiles), stored: stored)
        let result = try #require(merge.result)
        #expect(result.files["a"]?.sha256.first == "2", "only the client changed a")
        #expect(result.files["b"]?.sha256.first == "3", "only the server changed b")
        #expect(merge.conflicts.isEmpty)
    }

    @Test func withoutTheBaseFilesEveryDifferingFileCountsAsChanged() throws {
        let stored = version(stamp(30), ["t": 1], files: ["a": "1"])
        let upload = version(stamp(40), ["t": 1], files: ["a": "2"])
        let merge = OaioMerge(upload: upload, base: (stamp(10), ["t": 1], nil), stored: stored)
        #expect(try #require(merge.result).files["a"]?.sha256.first == "2", "the newer stamp wins")
        #expect(merge.conflicts.map(\.key) == ["_files/a"])
    }

    @Test func aRetriedUploadChangesNothing() {
        let stored = version(stamp(20), ["title": "b"])
        let merge = OaioMerge(upload: stored, base: (stamp(10), ["title": "a"], [:]), stored: stored)
        #expect(merge.result == nil)
        #expect(merge.conflicts.isEmpty)
    }

    @Test func anUpdateOfTheFileAloneIsANewVersion() throws {
        let stored = version(stamp(20), ["_file_paths": ["t.bin"]], files: ["t.bin": "1"])
        let upload = version(stamp(30), ["_file_paths": ["t.bin"]], files: ["t.bin": "2"])
        let merge = OaioMerge(upload: upload, base: (stamp(20), ["_file_paths": ["t.bin"]], nil), stored: stored)
        #expect(try #require(merge.result).files["t.bin"]?.sha256.first == "2")
    }
}
