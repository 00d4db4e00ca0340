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

/// `EntityError.unavailable` under `/odata`: 503 with `Retry-After` and the OData error body, nothing
/// of the database in it, for reads, writes and batch parts; the metadata documents need no database.
@Suite struct ODataUnavailableStoreTests {
    @Test func aDownDatabaseAnswers503InTheODataErrorBody() async throws {
        let app = try await EntityHubServer.makeApplication(
            store: DownStore(),
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
