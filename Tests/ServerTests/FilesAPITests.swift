import Crypto
import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Server
import TestStores
import Testing

/// Files over the router, on both backends: uploads checked against their digest, stored once, over
/// the size limit, resumed after an interruption; downloads through an entity with its read right.
@Suite struct FilesAPITests {
    private static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func withFiles(_ backend: StoreBackend, _ body: @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withServer(
            backend,
            configure: {
                $0.filesDirectory = directory.path
                $0.maximumFileSize = 64 * 1024
            },
            body
        )
    }

    private func upload(
        _ client: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ sha256: String,
        _ bytes: [UInt8],
        headers: HTTPFields = [:],
        as authorization: String
    ) async throws -> TestResponse {
        var fields = headers
        fields[.authorization] = authorization
        return try await client.execute(
            uri: "/api/v1/_files/\(sha256)",
            method: method,
            headers: fields,
            body: ByteBuffer(bytes: bytes)
        )
    }

    @Test(arguments: StoreBackend.allCases) func uploadsAreCheckedStoredOnceAndResumable(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { client in
            let alice = try await client.makeUser("alice")
            let bytes = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let sha = Self.digest(bytes)
            let lying = try await upload(client, .put, sha, bytes + [1], as: alice)
            #expect(lying.status == .unprocessableContent, "bytes that hash to another digest")
            #expect(try await upload(client, .put, sha, bytes, as: alice).status == .created)
            #expect(try await upload(client, .put, sha, bytes, as: alice).status == .ok, "stored once per content")
            let large = [UInt8](repeating: 7, count: 70_000)
            let tooLarge = try await upload(client, .put, Self.digest(large), large, as: alice)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.errors.first?.contains("--max-file-size") == true)

            let other = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let otherSHA = Self.digest(other)
            var tus = HTTPFields()
            tus[.contentType] = "application/offset+octet-stream"
            tus[HTTPField.Name("Upload-Length")!] = "30000"
            tus[HTTPField.Name("Upload-Offset")!] = "0"
            let first = try await upload(client, .patch, otherSHA, Array(other[..<12_000]), headers: tus, as: alice)
            #expect(first.status == .noContent)
            #expect(first.headers[HTTPField.Name("Upload-Offset")!] == "12000")
            let offset = try await client.send(.head, "/api/v1/_files/\(otherSHA)", authorization: alice)
            #expect(offset.headers[HTTPField.Name("Upload-Offset")!] == "12000", "where the interrupted upload stopped")
            tus[HTTPField.Name("Upload-Offset")!] = "11000"
            let wrong = try await upload(client, .patch, otherSHA, Array(other[11_000...]), headers: tus, as: alice)
            #expect(wrong.status == .conflict, "an offset that is not where the upload is")
            tus[HTTPField.Name("Upload-Offset")!] = "12000"
            let rest = try await upload(client, .patch, otherSHA, Array(other[12_000...]), headers: tus, as: alice)
            #expect(rest.status == .noContent)
            let missing = try await client.send(
                .post,
                "/api/v1/_files/missing",
                json: #"{"files": ["\#(sha)", "\#(otherSHA)", "\#(Self.digest(large))"]}"#,
                authorization: alice
            )
            #expect(missing.json == ["missing": [.string(Self.digest(large))]], "both uploads are complete")
        }
    }

    @Test(arguments: StoreBackend.allCases) func downloadsFollowTheEntitysReadRight(_ backend: StoreBackend)
        async throws
    {
        try await withFiles(backend) { client in
            let alice = try await client.makeUser("alice")
            let bob = try await client.makeUser("bob")
            let bytes = Array("a page of a report\n".utf8)
            let sha = Self.digest(bytes)
            #expect(try await upload(client, .put, sha, bytes, as: alice).status == .created)
            let reference = #"{"$file": "\#(sha)", "type": "text/plain", "name": "page.txt"}"#
            let forged = try await client.send(
                .post,
                "/api/v1/items",
                json: #"{"doc": \#(reference)}"#,
                authorization: bob
            )
            #expect(forged.status == .unprocessableContent, "bob never uploaded it nor reads it")
            let created = try await client.send(
                .post,
                "/api/v1/items",
                json: #"{"doc": \#(reference)}"#,
                authorization: alice
            )
            let id = try #require(created.json["id"]?.stringValue)
            let url = "/api/v1/items/\(id)/_files/\(sha)"

            var range = HTTPFields()
            range[.range] = "bytes=2-5"
            let part = try await client.send(.get, url, headers: range, authorization: alice)
            #expect(part.status == .partialContent)
            #expect(Array(part.body.readableBytesView) == Array(bytes[2...5]))
            #expect(part.headers[.contentRange] == "bytes 2-5/\(bytes.count)")
            range[.range] = "bytes=\(bytes.count)-"
            #expect(
                try await client.send(.get, url, headers: range, authorization: alice).status == .rangeNotSatisfiable
            )
            let whole = try await client.send(.get, url, authorization: alice)
            #expect(whole.headers[.contentDisposition] == #"attachment; filename="page.txt""#)
            #expect(whole.headers[.eTag] == "\"\(sha)\"")

            #expect(try await client.send(.get, url, authorization: bob).status == .notFound, "no right: no file")
            #expect(try await client.share("/api/v1/items/\(id)", with: "bob", "r", authorization: alice).status == .ok)
            #expect(Array(try await client.send(.get, url, authorization: bob).body.readableBytesView) == bytes)
            #expect(try await client.send(.delete, "/api/v1/items/\(id)", authorization: alice).status == .noContent)
            #expect(try await client.send(.get, url, authorization: alice).status == .notFound, "gone with its entity")
        }
    }
}
