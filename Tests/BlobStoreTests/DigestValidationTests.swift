import EntityStore
import Foundation
import NIOCore
import Testing

@Suite struct DigestValidationTests {
    static let invalidDigests = [
        "../../etc/passwd",
        "",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
        "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "../../../../../../../../../../../../../../../../../../../etc/passwd",
        "e3/../../../../../../../../../../../../../../../../../../../../../",
    ]

    @Test(arguments: invalidDigests)
    func everyOperationRejectsAStringThatIsNoDigest(_ digest: String) async throws {
        let blobs = try TemporaryBlobStore()
        _ = try await blobs.store.append(chunks([], size: 1), key: "k", expectedOffset: 0, maximumSize: 10)

        await #expect(throws: BlobError.invalidDigest) { _ = try await blobs.store.contains(digest) }
        await #expect(throws: BlobError.invalidDigest) { _ = try await blobs.store.size(of: digest) }
        await #expect(throws: BlobError.invalidDigest) { _ = try await blobs.store.read(digest, range: nil) }
        await #expect(throws: BlobError.invalidDigest) { _ = try await blobs.store.remove(digest) }
        await #expect(throws: BlobError.invalidDigest) { try await blobs.store.complete(key: "k", sha256: digest) }
        #expect(try await blobs.store.partialUploadOffset(key: "k") == 0)
    }

    @Test func anUploadKeyNeverBecomesAPath() async throws {
        let blobs = try TemporaryBlobStore()
        let key = "../../\(UUID())"
        let escaped = blobs.directory.appending(path: "uploads").appending(path: key).standardizedFileURL
        _ = try await blobs.store.append(chunks([1, 2, 3], size: 3), key: key, expectedOffset: 0, maximumSize: 10)

        #expect(try await blobs.store.partialUploadOffset(key: key) == 3)
        #expect(FileManager.default.fileExists(atPath: escaped.path(percentEncoded: false)) == false)
        let files = blobs.files()
        #expect(files.count == 1)
        #expect(files.allSatisfy { $0.hasPrefix("uploads/") && !$0.contains("..") })
    }
}
