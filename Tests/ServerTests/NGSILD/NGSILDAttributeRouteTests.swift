import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// The attribute routes of §1 (6–10): append, update, partial update, replace and delete attributes.
@Suite struct NGSILDAttributeRouteTests {
    static let car = #"""
        {"id": "urn:ngsi-ld:Car:1", "type": "Car",
         "temperature": {"type": "Property", "value": 20, "unitCode": "CEL"},
         "speed": [{"type": "Property", "value": 55, "datasetId": "urn:ngsi-ld:Dataset:gps"},
                   {"type": "Property", "value": 54.5}]}
        """#
    static let path = "/entities/urn:ngsi-ld:Car:1"

    @Test(arguments: StoreBackend.allCases)
    func appendAddsAndOverwritesOrReportsWithNoOverwrite(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let appended = try await client.ld(
                .post,
                "\(Self.path)/attrs",
                #"{"humidity": {"type": "Property", "value": 40}, "temperature": {"type": "Property", "value": 21}}"#
            )
            #expect(appended.status == .noContent, "\(appended.text)")
            #expect(appended.body.readableBytes == 0)
            var now = try await client.ld(.get, "\(Self.path)?options=keyValues&pick=humidity,temperature")
            #expect(now.json == (try json(#"{"humidity": 40, "temperature": 21}"#)), "\(now.text)")

            let kept = try await client.ld(
                .post,
                "\(Self.path)/attrs?options=noOverwrite",
                #"{"temperature": {"type": "Property", "value": 99}, "pressure": {"type": "Property", "value": 1013}}"#
            )
            #expect(kept.status == .multiStatus, "\(kept.text)")
            #expect(kept.headers[.contentType] == "application/json")
            #expect(kept.headers[.link] == nil)
            #expect(kept.json["updated"] == [.string(LD.vocabulary + "pressure")], "\(kept.text)")
            let notUpdated = kept.json["notUpdated"]?.arrayValue ?? []
            #expect(notUpdated.count == 1, "\(kept.text)")
            #expect(notUpdated.first?["attributeName"]?.stringValue == LD.vocabulary + "temperature")
            #expect(notUpdated.first?["reason"]?.stringValue?.isEmpty == false)
            now = try await client.ld(.get, "\(Self.path)?options=keyValues&pick=pressure,temperature")
            #expect(now.json == (try json(#"{"pressure": 1013, "temperature": 21}"#)), "\(now.text)")

            // With a user context, the UpdateResult names the expanded IRI.
            let speed = try await client.ld(
                .post,
                "\(Self.path)/attrs?options=noOverwrite",
                #"{"speed": {"type": "Property", "value": 1}}"#,
                link: LD.userContext
            )
            #expect(speed.status == .noContent, "a new attribute under the user context: \(speed.text)")
            let again = try await client.ld(
                .post,
                "\(Self.path)/attrs?options=noOverwrite",
                #"{"speed": {"type": "Property", "value": 2}}"#,
                link: LD.userContext
            )
            #expect(again.status == .multiStatus, "\(again.text)")
            #expect(
                again.json["notUpdated"]?.arrayValue?.first?["attributeName"]?.stringValue
                    == "https://example.org/ctx#speed",
                "\(again.text)"
            )

            let badOption = try await client.ld(.post, "\(Self.path)/attrs?options=replace", #"{"a": 1}"#)
            expectProblem(badOption, .badRequest, "BadRequestData", detail: "replace", "options=replace on append")
            let missing = try await client.ld(.post, "/entities/urn:ngsi-ld:Car:404/attrs", #"{"a": 1}"#)
            expectProblem(missing, .notFound, "ResourceNotFound", "append to a missing entity")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func updateAttributesOverwritesAndAppends(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let updated = try await client.ld(
                .patch,
                "\(Self.path)/attrs",
                #"{"temperature": {"type": "Property", "value": 22}, "colour": {"type": "Property", "value": "red"}}"#
            )
            #expect(updated.status == .noContent, "\(updated.text)")
            let now = try await client.ld(.get, "\(Self.path)?options=keyValues&pick=temperature,colour")
            #expect(now.json == (try json(#"{"temperature": 22, "colour": "red"}"#)), "\(now.text)")

            let deleting = try await client.ld(.patch, "\(Self.path)/attrs", #"{"colour": "urn:ngsi-ld:null"}"#)
            #expect(deleting.status == .noContent, "\(deleting.text)")
            #expect(try await client.ld(.get, "\(Self.path)?pick=colour").json == [:])

            let missing = try await client.ld(.patch, "/entities/urn:ngsi-ld:Car:404/attrs", #"{"a": 1}"#)
            expectProblem(missing, .notFound, "ResourceNotFound", "update of a missing entity")
            let notObject = try await client.ld(.patch, "\(Self.path)/attrs", #"[1]"#)
            expectProblem(notObject, .badRequest, "InvalidRequest", "an array fragment")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func partialAttributeUpdatePatchesOneInstance(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let patched = try await client.ld(.patch, "\(Self.path)/attrs/temperature", #"{"value": 23}"#)
            #expect(patched.status == .noContent, "\(patched.text)")
            let temperature = try await client.ld(.get, "\(Self.path)?pick=temperature")
            #expect(
                temperature.json
                    == (try json(#"{"temperature": {"type": "Property", "value": 23, "unitCode": "CEL"}}"#)),
                "\(temperature.text)"
            )

            let gps = try await client.ld(
                .patch,
                "\(Self.path)/attrs/speed",
                #"{"value": 60, "datasetId": "urn:ngsi-ld:Dataset:gps"}"#
            )
            #expect(gps.status == .noContent, "\(gps.text)")
            let speed = try await client.ld(.get, "\(Self.path)?pick=speed&format=simplified")
            #expect(
                speed.json == (try json(#"{"speed": {"dataset": {"@none": 54.5, "urn:ngsi-ld:Dataset:gps": 60}}}"#)),
                "\(speed.text)"
            )

            let unknownAttribute = try await client.ld(.patch, "\(Self.path)/attrs/nothing", #"{"value": 1}"#)
            expectProblem(unknownAttribute, .notFound, "ResourceNotFound", "unknown attribute")
            let unknownInstance = try await client.ld(
                .patch,
                "\(Self.path)/attrs/speed",
                #"{"value": 1, "datasetId": "urn:ngsi-ld:Dataset:none"}"#
            )
            expectProblem(unknownInstance, .notFound, "ResourceNotFound", "unknown datasetId")
            let scope = try await client.ld(.patch, "\(Self.path)/attrs/scope", #"{"value": "/a"}"#)
            expectProblem(scope, .badRequest, "BadRequestData", detail: "scope", "partial update of scope")
            let empty = try await client.ld(.patch, "\(Self.path)/attrs/temperature", #"{}"#)
            expectProblem(empty, .badRequest, "BadRequestData", "empty fragment")
            let missing = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Car:404/attrs/temperature",
                #"{"value": 1}"#
            )
            expectProblem(missing, .notFound, "ResourceNotFound", "missing entity")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func replaceAttributeKeepsTheInstanceCreatedAt(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let before = try await client.ld(.get, "\(Self.path)?options=sysAttrs&pick=temperature")
            let replaced = try await client.ld(
                .put,
                "\(Self.path)/attrs/temperature",
                #"{"type": "Property", "value": 30}"#
            )
            #expect(replaced.status == .noContent, "\(replaced.text)")
            let after = try await client.ld(.get, "\(Self.path)?options=sysAttrs&pick=temperature")
            let instance = after.json["temperature"]
            #expect(instance?["value"] == 30, "\(after.text)")
            #expect(instance?["unitCode"] == nil, "replace drops members not in the body: \(after.text)")
            #expect(
                instance?["createdAt"] == before.json["temperature"]?["createdAt"],
                "\(before.text) → \(after.text)"
            )
            #expect(isTimestamp(instance?["modifiedAt"]))
            let unknown = try await client.ld(.put, "\(Self.path)/attrs/nothing", #"{"type": "Property", "value": 1}"#)
            expectProblem(unknown, .notFound, "ResourceNotFound", "replace of an unknown attribute")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deleteAttributeByDefaultInstanceDatasetIdOrAll(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let gps = try await client.ld(.delete, "\(Self.path)/attrs/speed?datasetId=urn:ngsi-ld:Dataset:gps")
            #expect(gps.status == .noContent, "\(gps.text)")
            var speed = try await client.ld(.get, "\(Self.path)?pick=speed")
            #expect(speed.json == (try json(#"{"speed": {"type": "Property", "value": 54.5}}"#)), "\(speed.text)")
            let unknownInstance = try await client.ld(
                .delete,
                "\(Self.path)/attrs/speed?datasetId=urn:ngsi-ld:Dataset:gps"
            )
            expectProblem(unknownInstance, .notFound, "ResourceNotFound", "deleted datasetId")

            try await client.createEntity(Self.car.replacingOccurrences(of: "Car:1", with: "Car:2"))
            let all = try await client.ld(.delete, "/entities/urn:ngsi-ld:Car:2/attrs/speed?deleteAll=true")
            #expect(all.status == .noContent, "\(all.text)")
            speed = try await client.ld(.get, "/entities/urn:ngsi-ld:Car:2?pick=speed")
            #expect(speed.json == [:], "\(speed.text)")

            let plain = try await client.ld(.delete, "\(Self.path)/attrs/temperature")
            #expect(plain.status == .noContent)
            #expect(try await client.ld(.get, "\(Self.path)?pick=temperature").json == [:])
            let unknown = try await client.ld(.delete, "\(Self.path)/attrs/nothing")
            expectProblem(unknown, .notFound, "ResourceNotFound", "unknown attribute")
            let missing = try await client.ld(.delete, "/entities/urn:ngsi-ld:Car:404/attrs/temperature")
            expectProblem(missing, .notFound, "ResourceNotFound", "missing entity")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func scopeIsAnAttributeForAppendAndDelete(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(Self.car)
            let appended = try await client.ld(.post, "\(Self.path)/attrs", #"{"scope": "/Madrid/Gardens"}"#)
            #expect(appended.status == .noContent, "\(appended.text)")
            #expect(try await client.ld(.get, Self.path).json["scope"] == "/Madrid/Gardens")
            let deleted = try await client.ld(.delete, "\(Self.path)/attrs/scope")
            #expect(deleted.status == .noContent, "\(deleted.text)")
            #expect(try await client.ld(.get, Self.path).json["scope"] == nil)
            let bad = try await client.ld(.post, "\(Self.path)/attrs", #"{"scope": "no scope"}"#)
            expectProblem(bad, .badRequest, "BadRequestData", detail: "scope", "a bad scope")
        }
    }
}
