import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// The @context rules of §2.3: where a request's context comes from, what answers echo, user contexts
/// from a preloaded loader, and unreachable contexts (504 LdContextNotAvailable).
@Suite struct NGSILDContextTests {
    static let car = #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": {"type": "Property", "value": 55}}"#
    static let carLD = #"""
        {"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": {"type": "Property", "value": 55},
         "@context": ["\#(LD.userContext)"]}
        """#

    @Test(arguments: StoreBackend.allCases)
    func bodyContextRulesPerContentType(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let withLink = try await client.ld(.post, "/entities", Self.car, link: LD.userContext)
            #expect(withLink.status == .created, "json + Link: \(withLink.text)")
            let ld = try await client.ld(
                .post,
                "/entities",
                Self.carLD.replacingOccurrences(of: "Car:1", with: "Car:2"),
                contentType: "application/ld+json"
            )
            #expect(ld.status == .created, "ld+json + body @context: \(ld.text)")

            let ldWithoutContext = try await client.ld(
                .post,
                "/entities",
                entity("urn:ngsi-ld:Car:3"),
                contentType: "application/ld+json"
            )
            expectProblem(
                ldWithoutContext,
                .badRequest,
                "BadRequestData",
                detail: "@context",
                "ld+json without @context"
            )
            let jsonWithContext = try await client.ld(
                .post,
                "/entities",
                Self.carLD.replacingOccurrences(of: "Car:1", with: "Car:3")
            )
            expectProblem(jsonWithContext, .badRequest, "BadRequestData", detail: "@context", "json with @context")
            let ldWithLink = try await client.ld(
                .post,
                "/entities",
                Self.carLD.replacingOccurrences(of: "Car:1", with: "Car:3"),
                contentType: "application/ld+json",
                link: LD.userContext
            )
            expectProblem(ldWithLink, .badRequest, "BadRequestData", detail: "Link", "ld+json with a Link header")
            let attrs = try await client.ld(
                .post,
                "/entities/urn:ngsi-ld:Car:1/attrs",
                #"{"speed": {"type": "Property", "value": 56}}"#,
                contentType: "application/ld+json"
            )
            expectProblem(attrs, .badRequest, "BadRequestData", detail: "@context", "ld+json append without @context")
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Car:3").status == .notFound)

            // Both cars hold https://example.org/ctx#speed.
            for id in ["urn:ngsi-ld:Car:1", "urn:ngsi-ld:Car:2"] {
                let car = try await client.ld(.get, "/entities/\(id)?options=keyValues")
                #expect(car.json["https://example.org/ctx#speed"] == 55, "\(car.text)")
            }
            // GET and DELETE ignore Content-Type (ngsildclient sends ld+json on every request).
            let get = try await client.ld(
                .get,
                "/entities/urn:ngsi-ld:Car:1",
                headers: [.contentType: "application/ld+json"]
            )
            #expect(get.status == .ok)
            let delete = try await client.ld(
                .delete,
                "/entities/urn:ngsi-ld:Car:2",
                headers: [.contentType: "application/ld+json"]
            )
            #expect(delete.status == .noContent, "\(delete.text)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func answersEchoTheClientContext(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car, link: LD.userContext)
            let path = "/entities/urn:ngsi-ld:Car:1?options=keyValues"
            let linked = try await client.ld(.get, path, accept: "application/ld+json", link: LD.userContext)
            #expect(linked.headers[.contentType] == "application/ld+json")
            #expect(linked.headers[.link] == nil, "ld+json answers carry the context in the body")
            let echoed = linked.json["@context"]
            #expect(echoed == .string(LD.userContext) || echoed == [.string(LD.userContext)], "\(linked.text)")
            #expect(linked.json["speed"] == 55 && linked.json["type"] == "Car", "\(linked.text)")

            let list = try await client.ld(
                .get,
                "/entities?type=Car&options=keyValues",
                accept: "application/ld+json",
                link: LD.userContext
            )
            #expect(list.headers[.link] == nil, "\(list.headers)")
            #expect(
                list.json
                    == (try JSON(
                        parsing:
                            #"[{"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": 55, "@context": ["\#(LD.userContext)"]}]"#
                    )),
                "\(list.text)"
            )
            let core = try await client.ld(.get, path, accept: "application/ld+json")
            #expect(core.json["@context"] == [.string(CoreContext.versionedURL)], "a versioned core URL: \(core.text)")

            let json = try await client.ld(.get, path, link: LD.userContext)
            #expect(json.headers[.contentType] == "application/json")
            #expect(json.headers[.link] == LD.link(LD.userContext))
            #expect(json.json["@context"] == nil)
            #expect(json.json == (try JSON(parsing: #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "speed": 55}"#)))

            let array = #"["\#(LD.userContext)", "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"]"#
            let query = try await client.ld(
                .post,
                "/entityOperations/query",
                #"{"type": "Query", "entities": [{"type": "Car"}], "@context": \#(array)}"#,
                contentType: "application/ld+json",
                accept: "application/ld+json"
            )
            #expect(
                query.json.arrayValue?.first?["@context"] == (try JSON(parsing: array)),
                "exactly as given: \(query.text)"
            )
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aUserContextNamesAttributesEverywhere(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.ld(.post, "/entities", Self.carLD, contentType: "application/ld+json").expectCreated()
            let expanded = try await client.ld(.get, "/entities/urn:ngsi-ld:Car:1")
            let expectedExpanded = #"""
                {"id": "urn:ngsi-ld:Car:1", "type": "https://example.org/ctx#Car",
                 "https://example.org/ctx#speed": {"type": "Property", "value": 55}}
                """#
            #expect(expanded.json == (try JSON(parsing: expectedExpanded)), "\(expanded.text)")
            let compact = try await client.ld(.get, "/entities/urn:ngsi-ld:Car:1", link: LD.userContext)
            #expect(compact.json == (try JSON(parsing: Self.car)), "\(compact.text)")

            // The stored document: names compacted against the core context alone, no @context.
            let rest = try await client.send(.get, "/api/v1/ngsild/urn%3Angsi-ld%3ACar%3A1")
            #expect(rest.status == .ok, "\(rest.text)")
            #expect(rest.json["https://example.org/ctx#speed"]?["value"] == 55, "\(rest.text)")
            #expect(rest.json["https://example.org/ctx#speed"]?["type"] == "Property")
            #expect(rest.json["type"] == "https://example.org/ctx#Car", "\(rest.text)")
            #expect(rest.json["speed"] == nil && rest.json["@context"] == nil, "\(rest.text)")

            // The same attribute through the user context: attrs, pick, partial update, delete.
            let picked = try await client.ld(
                .get,
                "/entities/urn:ngsi-ld:Car:1?attrs=speed&options=keyValues",
                link: LD.userContext
            )
            #expect(picked.json["speed"] == 55, "\(picked.text)")
            let patched = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Car:1/attrs/speed",
                #"{"value": 60}"#,
                link: LD.userContext
            )
            #expect(patched.status == .noContent, "\(patched.text)")
            let coreSpeed = try await client.ld(.patch, "/entities/urn:ngsi-ld:Car:1/attrs/speed", #"{"value": 61}"#)
            expectProblem(coreSpeed, .notFound, "ResourceNotFound", "speed under the core context is another attribute")
            let deleted = try await client.ld(.delete, "/entities/urn:ngsi-ld:Car:1/attrs/speed", link: LD.userContext)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            #expect(
                try await client.ld(.get, "/entities/urn:ngsi-ld:Car:1").json["https://example.org/ctx#speed"] == nil
            )
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anUnreachableContextIs504NamingTheURL(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let create = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "@context": "\#(LD.unreachableContext)"}"#,
                contentType: "application/ld+json"
            )
            expectProblem(create, .gatewayTimeout, "LdContextNotAvailable", detail: LD.unreachableContext, "create")
            let linked = try await client.ld(
                .post,
                "/entities",
                entity("urn:ngsi-ld:Car:1"),
                link: LD.unreachableContext
            )
            expectProblem(linked, .gatewayTimeout, "LdContextNotAvailable", detail: LD.unreachableContext, "Link")
            let get = try await client.ld(.get, "/entities?type=Car", link: LD.unreachableContext)
            expectProblem(get, .gatewayTimeout, "LdContextNotAvailable", detail: LD.unreachableContext, "query")
            // A core URL that is not published is not mapped: it is downloaded, and fails.
            let notCore = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld"
            let nonExisting = try await client.ld(.get, "/types", link: notCore)
            expectProblem(
                nonExisting,
                .gatewayTimeout,
                "LdContextNotAvailable",
                detail: notCore,
                "unpublished core URL"
            )

            let body = (1...3).map {
                #"{"id": "urn:ngsi-ld:Car:\#($0)", "type": "Car", "@context": "\#(LD.unreachableContext)"}"#
            }
            let batch = try await client.ld(
                .post,
                "/entityOperations/create",
                "[" + body.joined(separator: ",") + "]",
                contentType: "application/ld+json"
            )
            NGSILDBatchTests.expectResult(
                batch,
                success: [],
                errors: (1...3).map { ("urn:ngsi-ld:Car:\($0)", "LdContextNotAvailable") },
                "batch create with an unreachable context"
            )
            #expect(try await client.storedCount() == 0)
            // Every published core URL works offline.
            for version in ["", "-v1.3", "-v1.6", "-v1.9"] {
                let url = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context\(version).jsonld"
                #expect(try await client.ld(.get, "/types", link: url).status == .ok, "\(url)")
            }
        }
    }

    /// The HTTP loader on a port nothing listens on: refused at once, 504 naming the URL.
    @Test(arguments: StoreBackend.allCases)
    func theHTTPLoaderFailsFastOnARefusedConnection(_ backend: StoreBackend) async throws {
        let loader = CachingContextLoader(
            wrapping: PreloadedContextLoader(
                documents: [LD.userContext: LD.userContextDocument],
                fallback: HTTPContextLoader()
            )
        )
        try await withNGSILDServer(backend, contextLoader: loader) { client in
            let url = "http://127.0.0.1:1/ctx.jsonld"
            let started = ContinuousClock.now
            let create = try await client.ld(
                .post,
                "/entities",
                #"{"id": "urn:ngsi-ld:Car:1", "type": "Car", "@context": "\#(url)"}"#,
                contentType: "application/ld+json"
            )
            expectProblem(create, .gatewayTimeout, "LdContextNotAvailable", detail: url, "refused connection")
            #expect(ContinuousClock.now - started < .seconds(6), "within the loader's timeouts")
            #expect(try await client.ld(.post, "/entities", Self.car, link: LD.userContext).status == .created)
        }
    }
}

extension TestResponse {
    /// Records an issue unless this is a bodiless 201.
    func expectCreated(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == .created, "\(text)", sourceLocation: sourceLocation)
        #expect(body.readableBytes == 0, sourceLocation: sourceLocation)
    }
}
