import EntityModel
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TestStores
import Testing

/// `$batch` changesets and atomicity groups are one transaction across collections, on both stores:
/// one that fails in its last step changes nothing (checked through REST); `$n` references;
/// `dependsOn` on a failed request → 424.
struct ODataBatchAtomicityTests {
    /// What REST shows of the store: every id and version of each collection, as the admin.
    static func snapshot(_ client: any TestClientProtocol) async throws -> [String: [String: Int64]] {
        var result: [String: [String: Int64]] = [:]
        for collection in ["categories", "products", "samples", "fixed"] {
            let list = try await client.send(.get, "/api/v1/\(collection)?limit=1000")
            var entries: [String: Int64] = [:]
            for entity in list.json.arrayValue ?? [] {
                if case .integer(let version) = entity["_meta"]?["version"] ?? .null {
                    entries[entity["id"]?.stringValue ?? ""] = version
                }
            }
            result[collection] = entries
        }
        return result
    }

    /// A changeset writing four collections whose last request fails (for each way a last step can
    /// fail) leaves every collection as it was; the batch stops there with one error part.
    @Test(arguments: StoreBackend.allCases)
    func multipartChangesetFailingLastChangesNothing(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let category = try await client.restCreate("categories", #"{"title": "old"}"#)
            let product = try await client.restCreate(
                "products",
                #"{"name": "p", "price": 1, "categoryId": "\#(category)"}"#
            )
            let sample = try await client.restCreate("samples", #"{"text": "s"}"#)
            let before = try await Self.snapshot(client)

            let failingLast: [(String, BatchPart)] = [
                ("validation", BatchPart("POST", "products", #"{"price": 1}"#, id: "9")),
                (
                    "missing entity",
                    BatchPart(
                        "PATCH",
                        OD.key("fixed", "FIX-none"),
                        #"{"label": "x"}"#,
                        id: "9",
                        headers: [("If-Match", "*")]
                    )
                ),
                (
                    "stale If-Match",
                    BatchPart(
                        "PATCH",
                        OD.key("products", product),
                        #"{"price": 9}"#,
                        id: "9",
                        headers: [("If-Match", OD.etag(5))]
                    )
                ),
                ("restrict on delete", BatchPart("DELETE", OD.key("categories", category), id: "9")),
                ("duplicate id", BatchPart("POST", "samples", #"{"id": "\#(sample)", "text": "again"}"#, id: "9")),
                ("strict type", BatchPart("POST", "fixed", #"{"label": "x", "nope": 1}"#, id: "9")),
            ]
            for (name, last) in failingLast {
                let (response, answers) = try await client.multipart([
                    .changeset([
                        BatchPart("POST", "categories", #"{"title": "new \#(name)"}"#, id: "1"),
                        BatchPart("PATCH", OD.key("products", product), #"{"price": 2}"#, id: "2"),
                        BatchPart("POST", "fixed", #"{"label": "new"}"#, id: "3"),
                        BatchPart("PATCH", OD.key("samples", sample), #"{"count": 5}"#, id: "4"),
                        BatchPart("PATCH", "$1", #"{"title": "renamed"}"#, id: "5"),
                        last,
                    ]),
                    .part(BatchPart("GET", "products/$count")),
                ])
                #expect(response.status == .ok, "\(backend) \(name): \(response.text)")
                #expect(answers.count == 1, "\(backend) \(name): one answer, then the batch stops: \(answers)")
                let status = answers.first?.status ?? 0
                #expect((400..<500).contains(status), "\(backend) \(name): \(answers)")
                #expect(answers.first?.json["error"]?["message"]?.stringValue != nil, "\(backend) \(name)")
                #expect(try await Self.snapshot(client) == before, "\(backend) \(name): the changeset left traces")
            }
            // A changeset whose steps depend on each other: unlink the product, then delete its
            // category (the restrict rule sees the earlier step) — and the other order fails.
            let (_, reversed) = try await client.multipart([
                .changeset([
                    BatchPart("DELETE", OD.key("categories", category), id: "1"),
                    BatchPart("PATCH", OD.key("products", product), #"{"categoryId": null}"#, id: "2"),
                ])
            ])
            #expect(reversed.count == 1 && reversed.first?.status == 409, "\(backend) \(reversed)")
            #expect(try await Self.snapshot(client) == before, "\(backend)")
            let (_, ordered) = try await client.multipart([
                .changeset([
                    BatchPart("PATCH", OD.key("products", product), #"{"categoryId": null}"#, id: "1"),
                    BatchPart("DELETE", OD.key("categories", category), id: "2"),
                ])
            ])
            #expect(
                ordered.map(\.status) == [200, 204] || ordered.map(\.status) == [204, 204],
                "\(backend) \(ordered)"
            )
            #expect(try await client.send(.get, "/api/v1/categories/\(category)").status == .notFound)
            let unlinked = try await client.send(.get, "/api/v1/products/\(product)")
            #expect(unlinked.json["categoryId"] == nil || unlinked.json["categoryId"] == .null, "\(unlinked.text)")
        }
    }

    /// `$n`: a later request of the changeset addresses the entity an earlier one created (URL and
    /// `@odata.bind`); everything is committed together and visible through REST.
    @Test(arguments: StoreBackend.allCases)
    func contentIDReferences(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let (response, answers) = try await client.multipart([
                .changeset([
                    BatchPart("POST", "categories", #"{"title": "batch"}"#, id: "1"),
                    BatchPart("PATCH", "$1", #"{"title": "renamed"}"#, id: "2"),
                    BatchPart("POST", "products", #"{"name": "linked", "price": 4}"#, id: "3"),
                    BatchPart("PATCH", "$3", #"{"price": 5}"#, id: "4"),
                    BatchPart("PATCH", "$3", #"{"tags": ["a"]}"#, id: "5"),
                ])
            ])
            #expect(response.status == .ok, "\(backend) \(response.text)")
            #expect(answers.map(\.status) == [201, 204, 201, 204, 204], "\(backend) \(answers)")
            #expect(answers.allSatisfy { $0.inChangeset }, "\(backend) \(answers)")
            #expect(answers.map { $0.contentID ?? "" } == ["1", "2", "3", "4", "5"], "\(backend)")
            let categoryID = answers.first?.json["id"]?.stringValue ?? ""
            let productID = answers.count > 2 ? answers[2].json["id"]?.stringValue ?? "" : ""
            let category = try await client.send(.get, "/api/v1/categories/\(categoryID)")
            #expect(category.json["title"]?.stringValue == "renamed", "\(backend) \(category.text)")
            #expect(category.json["_meta"]?["version"] == .integer(2), "\(backend) \(category.text)")
            let product = try await client.send(.get, "/api/v1/products/\(productID)")
            #expect(product.status == .ok, "\(backend) \(product.text)")
            #expect(product.json["_meta"]?["version"] == .integer(3), "\(backend) \(product.text)")
            #expect(product.json["tags"] == ["a"], "\(backend) \(product.text)")

            // `$n/Nav`: creating through a navigation of an entity created earlier in the changeset
            // (OData 4.0 §11.7.3.1's own example), for an inverse and for a containment navigation.
            let (_, navigated) = try await client.multipart([
                .changeset([
                    BatchPart("POST", "categories", #"{"title": "parent"}"#, id: "1"),
                    BatchPart("POST", "$1/products", #"{"name": "child", "price": 4}"#, id: "2"),
                    BatchPart("POST", "samples", #"{"text": "parent"}"#, id: "3"),
                    BatchPart("POST", "$3/parts", #"{"label": "contained"}"#, id: "4"),
                ])
            ])
            #expect(navigated.map(\.status) == [201, 201, 201, 201], "\(backend) \(navigated)")
            let child = try await client.send(.get, "/api/v1/products/\(navigated[1].json["id"]?.stringValue ?? "")")
            #expect(child.json["categoryId"] == navigated[0].json["id"], "\(backend) \(child.text)")
            let contained = try await client.send(
                .get,
                "/api/v1/samples/\(navigated[2].json["id"]?.stringValue ?? "")/parts/\(navigated[3].json["id"]?.stringValue ?? "")"
            )
            #expect(contained.status == .ok, "\(backend) \(contained.text)")

            // A navigation from an entity an earlier step deleted finds nothing, and the changeset fails whole.
            let doomed = try await client.restCreate("categories", #"{"title": "doomed"}"#)
            let beforeDeleted = try await Self.snapshot(client)
            let (_, afterDelete) = try await client.multipart([
                .changeset([
                    BatchPart("DELETE", "categories('\(doomed)')", nil, id: "1"),
                    BatchPart("POST", "categories('\(doomed)')/products", #"{"name": "orphan"}"#, id: "2"),
                ])
            ])
            #expect(afterDelete.map(\.status) == [404], "\(backend) \(afterDelete)")
            #expect(try await Self.snapshot(client) == beforeDeleted, "\(backend) a failed changeset wrote")

            // `$1` in a bind: the category created in the same changeset.
            let (_, bound) = try await client.multipart([
                .changeset([
                    BatchPart("POST", "categories", #"{"title": "bound"}"#, id: "1"),
                    BatchPart("POST", "products", #"{"name": "bound", "category@odata.bind": "$1"}"#, id: "2"),
                ])
            ])
            #expect(bound.map(\.status) == [201, 201], "\(backend) \(bound)")
            if bound.count == 2 {
                #expect(bound[1].json["categoryId"] == bound[0].json["id"], "\(backend) \(bound)")
            }
            // `$n` of a request outside this changeset, or of none: an error, nothing written.
            let before = try await Self.snapshot(client)
            let (_, dangling) = try await client.multipart([
                .changeset([
                    BatchPart("POST", "categories", #"{"title": "dangling"}"#, id: "1"),
                    BatchPart("PATCH", "$7", #"{"title": "x"}"#, id: "2"),
                ])
            ])
            #expect(dangling.count == 1 && (dangling.first?.status ?? 0) >= 400, "\(backend) \(dangling)")
            #expect(try await Self.snapshot(client) == before, "\(backend)")
        }
    }

    /// JSON batches: an atomicity group across collections that fails in its last request changes
    /// nothing; `dependsOn` a failed request or group → 424 (with continue-on-error), and a request
    /// after the failure still runs.
    @Test(arguments: StoreBackend.allCases)
    func jsonAtomicityGroupsAndDependsOn(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let product = try await client.restCreate("products", #"{"name": "p", "price": 1}"#)
            let before = try await Self.snapshot(client)
            let body = #"""
                {"requests": [
                  {"id": "a1", "atomicityGroup": "g1", "method": "POST", "url": "categories", "body": {"title": "g"}},
                  {"id": "a2", "atomicityGroup": "g1", "method": "PATCH", "url": "products('\#(product)')",
                   "body": {"price": 2}},
                  {"id": "a3", "atomicityGroup": "g1", "method": "POST", "url": "samples", "body": {"text": "t"}},
                  {"id": "a4", "atomicityGroup": "g1", "method": "PATCH", "url": "$a1", "body": {"title": "h"}},
                  {"id": "a5", "atomicityGroup": "g1", "method": "POST", "url": "products", "body": {"price": 3}},
                  {"id": "b1", "method": "GET", "url": "products/$count", "dependsOn": ["g1"]},
                  {"id": "b2", "method": "PATCH", "url": "products('\#(product)')", "body": {"price": 7},
                   "dependsOn": ["a5"]},
                  {"id": "b3", "method": "POST", "url": "categories", "body": {"title": "independent"}}
                ]}
                """#
            var headers = HTTPFields()
            headers[.preferHeader] = "odata.continue-on-error"
            let response = try await client.od(.post, "$batch", body, headers: headers)
            #expect(response.status == .ok, "\(backend) \(response.text)")
            let responses = response.json["responses"]?.arrayValue ?? []
            let byID = Dictionary(
                responses.map { ($0["id"]?.stringValue ?? "", $0) },
                uniquingKeysWith: { first, _ in first }
            )
            let groupStatuses = responses.filter { $0["atomicityGroup"]?.stringValue == "g1" }.compactMap {
                if case .integer(let status) = $0["status"] ?? .null { return status } else { return nil }
            }
            #expect(!groupStatuses.isEmpty && groupStatuses.allSatisfy { $0 >= 400 }, "\(backend) \(response.text)")
            #expect(byID["b1"]?["status"] == .integer(424), "\(backend) dependsOn a failed group: \(response.text)")
            #expect(byID["b2"]?["status"] == .integer(424), "\(backend) dependsOn a failed request: \(response.text)")
            #expect(byID["b1"]?["body"]?["error"]?["code"] != nil, "\(backend) a 424 has an error body")
            #expect(byID["b3"]?["status"] == .integer(201), "\(backend) \(response.text)")

            var after = try await Self.snapshot(client)
            #expect(after["categories"]?.count == 1, "\(backend) only b3's category")
            after["categories"] = before["categories"]
            #expect(after == before, "\(backend) the atomicity group left traces")

            // A group that succeeds: everything at once, `$a1` resolved inside the group.
            let good = #"""
                {"requests": [
                  {"id": "c1", "atomicityGroup": "g2", "method": "POST", "url": "categories", "body": {"title": "c"}},
                  {"id": "c2", "atomicityGroup": "g2", "method": "PATCH", "url": "$c1", "body": {"title": "d"}},
                  {"id": "c3", "atomicityGroup": "g2", "method": "PATCH", "url": "products('\#(product)')",
                   "body": {"price": 8}},
                  {"id": "c4", "method": "GET", "url": "products('\#(product)')", "dependsOn": ["g2"]}
                ]}
                """#
            let second = try await client.od(.post, "$batch", good)
            let statuses = second.json["responses"]?.arrayValue?.map { $0["status"] ?? .null } ?? []
            #expect(
                statuses == [.integer(201), .integer(204), .integer(204), .integer(200)],
                "\(backend) \(second.text)"
            )
            let stored = try await client.send(.get, "/api/v1/products/\(product)")
            #expect(stored.json["_meta"]?["version"] == .integer(2), "\(backend) \(stored.text)")
            #expect(try await client.restTotal("categories", "eq(title,d)") == 1, "\(backend)")

            // dependsOn in a multipart batch: a request after a failed one (continue-on-error) → 424.
            let (multipart, answers) = try await client.multipart(
                [
                    .part(BatchPart("POST", "products", #"{"price": 1}"#, id: "1")),
                    .part(BatchPart("PATCH", "$1", #"{"price": 2}"#, id: "2")),
                    .part(BatchPart("GET", "products/$count", id: "3")),
                ],
                headers: headers
            )
            #expect(multipart.status == .ok)
            #expect(answers.first?.status == 400, "\(backend) \(answers)")
            #expect(answers.count == 3 && answers[2].status == 200, "\(backend) \(answers)")
            #expect(answers.count > 1 && answers[1].status >= 400, "\(backend) a reference to a failed create")
        }
    }
    /// Changesets racing on one entity with the same `If-Match`: exactly one commits (its create in
    /// another collection included), every other one fails whole with 412; plain conditional PATCHes
    /// likewise. The version check holds at commit, not only when the changeset is planned.
    @Test(arguments: StoreBackend.allCases)
    func racingConditionalChangesetsCommitOnce(_ backend: StoreBackend) async throws {
        try await withODataServer(backend) { client in
            let product = try await client.restCreate("products", #"{"name": "p", "price": 1}"#)
            let racers = 8
            let outcomes = try await withThrowingTaskGroup(of: [Int].self) { group in
                for index in 0..<racers {
                    group.addTask {
                        let (_, answers) = try await client.multipart([
                            .changeset([
                                BatchPart("POST", "categories", #"{"title": "racer \#(index)"}"#, id: "1"),
                                BatchPart(
                                    "PATCH",
                                    OD.key("products", product),
                                    #"{"price": \#(index + 10)}"#,
                                    id: "2",
                                    headers: [("If-Match", OD.etag(1))]
                                ),
                            ])
                        ])
                        return answers.map(\.status)
                    }
                }
                var all: [[Int]] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == [201, 204] }.count == 1, "\(backend) \(outcomes)")
            // A loser fails when planned (412) or, when the winner committed in between, at its own
            // commit (409 "changed by another request; retry").
            #expect(
                outcomes.filter { $0 != [201, 204] }.allSatisfy { $0 == [412] || $0 == [409] },
                "\(backend) \(outcomes)"
            )
            #expect(try await client.restTotal("categories") == 1, "\(backend) a losing changeset wrote")
            let stored = try await client.send(.get, "/api/v1/products/\(product)")
            #expect(stored.json["_meta"]?["version"] == .integer(2), "\(backend) \(stored.text)")

            let plain = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<racers {
                    group.addTask {
                        var headers = HTTPFields()
                        headers[.ifMatch] = OD.etag(2)
                        let response = try await client.od(
                            .patch,
                            OD.key("products", product),
                            #"{"price": \#(index + 20)}"#,
                            headers: headers
                        )
                        return Int(response.status.code)
                    }
                }
                var all: [Int] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(plain.filter { $0 == 204 }.count == 1, "\(backend) \(plain)")
            #expect(plain.filter { $0 != 204 }.allSatisfy { $0 == 412 }, "\(backend) \(plain)")
            let final = try await client.send(.get, "/api/v1/products/\(product)")
            #expect(final.json["_meta"]?["version"] == .integer(3), "\(backend) \(final.text)")
        }
    }
}
