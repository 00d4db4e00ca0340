import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import NIOCore
import TestStores
import Testing

/// The order of checks of §1 — 405, 415, 406, unknown parameter, JSON, @context, validation,
/// existence — and the path edge cases of §8.
@Suite struct NGSILDCheckOrderTests {
    @Test(arguments: StoreBackend.allCases)
    func methodBeforeMediaTypeBeforeAcceptBeforeParameters(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            // 405 with Allow, whatever the Content-Type, Accept and parameters.
            let put = try await client.ld(
                .put,
                "/entities?bogus=1",
                "not json",
                contentType: "text/plain",
                accept: "application/xml"
            )
            expectProblem(put, .methodNotAllowed, "urn:entityhub:error:method-not-allowed", "PUT /entities")
            #expect(put.headers[.allow] == "GET, POST, DELETE")
            let types = try await client.ld(.post, "/types", "{}")
            #expect(types.status == .methodNotAllowed)
            #expect(types.headers[.allow] == "GET")
            let attrs = try await client.ld(.delete, "/entities/urn:ngsi-ld:Room:1/attrs/")
            #expect(attrs.status == .methodNotAllowed, "DELETE …/attrs/ names no attribute: \(attrs.text)")
            #expect(attrs.headers[.allow] == "POST, PATCH")
            let batch = try await client.ld(.get, "/entityOperations/create")
            #expect(batch.status == .methodNotAllowed)
            #expect(batch.headers[.allow] == "POST")

            // 415, no body, before 406 and unknown parameters.
            for contentType in ["text/plain", "application/xml", "application/merge-patch+json"] {
                let unsupported = try await client.ld(
                    .post,
                    "/entities?bogus=1",
                    "{}",
                    contentType: contentType,
                    accept: "application/xml"
                )
                #expect(unsupported.status == .unsupportedMediaType, "\(contentType): \(unsupported.text)")
                #expect(unsupported.body.readableBytes == 0, "\(contentType): 415 has no body")
            }
            var noType = HTTPFields()
            noType[.authorization] = TestCredentials.adminAuthorization
            let bare = try await client.execute(
                uri: "/ngsi-ld/v1/entities",
                method: .post,
                headers: noType,
                body: ByteBuffer(string: "{}")
            )
            #expect(bare.status == .unsupportedMediaType)
            let charset = try await client.ld(
                .post,
                "/entities",
                entity("urn:ngsi-ld:Room:1"),
                contentType: "application/json; charset=utf-8"
            )
            #expect(charset.status == .created, "charset is accepted: \(charset.text)")

            // 406 before unknown parameters and before existence.
            let xml = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:404?bogus=1", accept: "application/xml")
            expectProblem(xml, .notAcceptable, "urn:entityhub:error:not-acceptable", "406 before 400 and 404")
            let geoOnBatch = try await client.ld(
                .post,
                "/entityOperations/create",
                "[]",
                accept: "application/geo+json"
            )
            #expect(geoOnBatch.status == .notAcceptable, "geo+json only for retrieve and query")
            let geoDelete = try await client.ld(
                .delete,
                "/entities/urn:ngsi-ld:Room:1",
                accept: "application/geo+json"
            )
            #expect(geoDelete.status == .notAcceptable, "geo+json only for retrieve and query: \(geoDelete.text)")
            // A body without Content-Length: 411 (after the media type checks).
            let unsized = try await client.ld(.post, "/entities", contentType: "application/json")
            expectProblem(unsized, .lengthRequired, "urn:entityhub:error:length-required", "no Content-Length")
            let missing = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:404", accept: "application/xml")
            #expect(missing.status == .notAcceptable, "\(missing.text)")
            let weighted = try await client.ld(
                .get,
                "/entities/urn:ngsi-ld:Room:1",
                accept: "application/xml, application/ld+json;q=0.5, application/json;q=0.9"
            )
            #expect(weighted.headers[.contentType] == "application/json", "by q-weight")
            let wildcard = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1", accept: "*/*")
            #expect(wildcard.headers[.contentType] == "application/json")
            #expect(wildcard.headers[.link] == LD.coreLink)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func unknownParametersBeforeBodyAndContext(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            // A body that fails the @context rules, sent with an unknown parameter: InvalidRequest.
            let create = try await client.ld(
                .post,
                "/entities?invalidParams=invalidValue",
                #"{"id": "urn:ngsi-ld:Room:1", "type": "Room"}"#,
                contentType: "application/ld+json"
            )
            expectProblem(create, .badRequest, "InvalidRequest", detail: "invalidParams", "unknown parameter on create")
            for (method, path) in [
                (HTTPRequest.Method.get, "/entities?type=Room&bogus=1"), (.delete, "/entities?type=Room&bogus=1"),
                (.get, "/types?bogus=1"), (.get, "/entities/urn:ngsi-ld:Room:404?bogus=1"),
                (.delete, "/entities/urn:ngsi-ld:Room:404/attrs/a?bogus=1"),
            ] {
                let response = try await client.ld(method, path)
                expectProblem(response, .badRequest, "InvalidRequest", detail: "bogus", "\(method) \(path)")
            }
            let batch = try await client.ld(.post, "/entityOperations/upsert?bogus=1", "not json")
            expectProblem(batch, .badRequest, "InvalidRequest", detail: "bogus", "unknown parameter on a batch")
            // ngsildclient's gq= sends geoQ: refused as unknown (decision 3).
            let geoQ = try await client.ld(.get, "/entities?type=Room&geoQ=x")
            expectProblem(geoQ, .badRequest, "InvalidRequest", "geoQ")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func unbuiltFeaturesAre422AndTenantsAre501(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            for parameter in [
                "join=flat", "joinLevel=2", "orderBy=name", "georel=near", "geometry=Point", "coordinates=[1,2]",
                "geoproperty=location", "collation=en", "expandValues=a", "csf=x", "entityMap=true", "containedBy=a",
            ] {
                let response = try await client.ld(.get, "/entities?type=Room&\(parameter)")
                expectProblem(response, .unprocessableContent, "OperationNotSupported", parameter)
            }
            let retrieve = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?join=inline")
            expectProblem(retrieve, .unprocessableContent, "OperationNotSupported", "join on retrieve")

            var tenant = HTTPFields()
            tenant[.ngsildTenant] = "t1"
            let tenanted = try await client.ld(.get, "/entities?type=Room", headers: tenant)
            expectProblem(tenanted, .notImplemented, "NoMultiTenantSupport", "NGSILD-Tenant")
            let tenantedCreate = try await client.ld(.post, "/entities", entity("urn:ngsi-ld:Room:1"), headers: tenant)
            expectProblem(tenantedCreate, .notImplemented, "NoMultiTenantSupport", "NGSILD-Tenant on create")
            #expect(try await client.storedCount() == 0)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func jsonBeforeContextBeforeValidationBeforeExistence(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            // JSON syntax (5) before the @context rules (6): ld+json with a Link header and a broken body.
            let broken = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Room:2", "#,
                contentType: "application/ld+json",
                link: LD.userContext
            )
            expectProblem(broken, .badRequest, "InvalidRequest", "broken JSON with a context error")
            let brokenBatch = try await client.ld(
                .post,
                "/entityOperations/create",
                #"[{"id": "#,
                contentType: "application/ld+json",
                link: LD.userContext
            )
            expectProblem(brokenBatch, .badRequest, "InvalidRequest", "broken batch JSON with a context error")

            // @context (6) before validation (7): an unreachable context and an invalid entity.
            let unreachable = try await client.ld(
                .post,
                "/entities",
                #"{"id": "not a uri", "type": "Room", "@context": "\#(LD.unreachableContext)"}"#,
                contentType: "application/ld+json"
            )
            expectProblem(
                unreachable,
                .gatewayTimeout,
                "LdContextNotAvailable",
                detail: LD.unreachableContext,
                "504 first"
            )

            // Validation (7) before existence (8): an invalid body for an existing id, or a missing entity.
            let invalidExisting = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "t": {"type": "Property", "value": null}}"#
            )
            expectProblem(invalidExisting, .badRequest, "BadRequestData", "400 before 409")
            let invalidMissing = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Room:404/attrs",
                #"{"bad name": {"type": "Property", "value": 1}}"#
            )
            expectProblem(invalidMissing, .badRequest, "BadRequestData", "400 before 404")
            let missingAttribute = try await client.ld(
                .put,
                "/entities/urn:ngsi-ld:Room:404/attrs/temperature",
                #"{"type": "Property"}"#
            )
            expectProblem(missingAttribute, .badRequest, "BadRequestData", "an invalid attribute before 404")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func trailingSlashesAndEmptyIds(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let id = "urn:ngsi-ld:Room:1"
            #expect(try await client.ld(.post, "/entities/", entity(id)).status == .created)
            #expect(try await client.ld(.get, "/entities/\(id)/").status == .ok)
            #expect(try await client.ld(.get, "/entities/?type=Room").status == .ok)
            #expect(try await client.ld(.post, "/entities/\(id)/attrs/", #"{"a": 1}"#).status == .noContent)
            #expect(try await client.ld(.patch, "/entities/\(id)/attrs/", #"{"a": 2}"#).status == .noContent)
            #expect(try await client.ld(.patch, "/entities/\(id)/attrs/a/", #"{"value": 3}"#).status == .noContent)
            #expect(try await client.ld(.put, "/entities/\(id)/attrs/a/", #"{"value": 4}"#).status == .noContent)
            #expect(try await client.ld(.delete, "/entities/\(id)/attrs/a/").status == .noContent)
            #expect(try await client.ld(.patch, "/entities/\(id)/", #"{"b": 1}"#).status == .noContent)
            #expect(try await client.ld(.put, "/entities/\(id)/", #"{"type": "Room"}"#).status == .noContent)
            #expect(try await client.ld(.get, "/types/").status == .ok)
            #expect(try await client.ld(.get, "/types/Room/").status == .ok)
            #expect(
                try await client.ld(
                    .post,
                    "/entityOperations/query/",
                    #"{"type": "Query", "entities": [{"type": "Room"}]}"#
                ).status == .ok
            )
            #expect(try await client.ld(.post, "/entityOperations/upsert/", "[\(entity(id))]").status == .noContent)
            #expect(
                try await client.ld(.post, "/entityOperations/create/", "[\(entity("urn:ngsi-ld:Room:2"))]").status
                    == .created
            )
            #expect(try await client.ld(.post, "/entityOperations/update/", "[\(entity(id))]").status == .noContent)
            #expect(try await client.ld(.post, "/entityOperations/merge/", "[\(entity(id))]").status == .noContent)
            #expect(
                try await client.ld(.post, "/entityOperations/delete/", #"["urn:ngsi-ld:Room:2"]"#).status == .noContent
            )
            #expect(try await client.ld(.delete, "/entities/\(id)/").status == .noContent)
            #expect(try await client.ld(.delete, "/entities/?type=Room").status == .noContent)

            // An empty id: 400 BadRequestData on append, update, partial update and attribute delete.
            for (method, path) in [
                (HTTPRequest.Method.post, "/entities//attrs/"), (.patch, "/entities//attrs/"),
                (.patch, "/entities//attrs/temperature"), (.delete, "/entities//attrs/temperature"),
                (.put, "/entities//attrs/temperature"),
            ] {
                let body = method == .delete ? nil : #"{"temperature": {"type": "Property", "value": 1}}"#
                let response = try await client.ld(method, path, body)
                expectProblem(response, .badRequest, "BadRequestData", "\(method) \(path)")
            }
            let nowhere = try await client.ld(.get, "/subscriptions")
            expectProblem(nowhere, .notFound, "ResourceNotFound", "an unknown resource")
        }
    }
}
