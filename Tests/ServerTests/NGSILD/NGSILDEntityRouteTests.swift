import EntityModel
import HTTPTypes
import HummingbirdTesting
import NGSILD
import TestStores
import Testing

/// The single-entity routes of §1 (1–5): create, retrieve in every representation and selection,
/// delete, replace and merge, with the answers a client sees.
@Suite struct NGSILDEntityRouteTests {
    @Test(arguments: StoreBackend.allCases)
    func createAnswers201WithLocationAndNoBodyThen409(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            let created = try await client.ld(.post, "/entities", room1)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.location] == "/ngsi-ld/v1/entities/urn:ngsi-ld:Room:1")
            #expect(created.body.readableBytes == 0)
            #expect(created.headers[.link] == nil)

            let again = try await client.ld(.post, "/entities", room1)
            expectProblem(again, .conflict, "AlreadyExists", detail: "urn:ngsi-ld:Room:1", "second create")
            #expect(again.json["instance"] == "urn:ngsi-ld:Room:1")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func retrieveNormalizedConciseAndSimplified(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let normalized = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1")
            #expect(normalized.status == .ok)
            #expect(normalized.headers[.contentType] == "application/json")
            #expect(normalized.headers[.link] == LD.coreLink)
            #expect(normalized.json == (try json(room1)))

            let concise = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?format=concise")
            let expectedConcise = #"""
                {"id": "urn:ngsi-ld:Room:1", "type": "Room",
                 "temperature": {"value": 20, "unitCode": "CEL", "observedAt": "2024-01-01T00:00:00.000Z"},
                 "name": "Kitchen",
                 "isPartOf": {"object": "urn:ngsi-ld:Building:1"},
                 "location": {"type": "Point", "coordinates": [13.4, 52.5]}}
                """#
            #expect(concise.json == (try json(expectedConcise)), "\(concise.text)")

            let simplified = #"""
                {"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": 20, "name": "Kitchen",
                 "isPartOf": "urn:ngsi-ld:Building:1", "location": {"type": "Point", "coordinates": [13.4, 52.5]}}
                """#
            for query in [
                "format=simplified", "options=keyValues", "format=keyValues", "options=concise&format=simplified",
            ] {
                let response = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?\(query)")
                #expect(response.json == (try json(simplified)), "\(query): \(response.text)")
            }

            let badFormat = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?format=pretty")
            expectProblem(badFormat, .badRequest, "BadRequestData", detail: "pretty", "format=pretty")
            // Scalars stay as sent: 20 is not 20.0.
            #expect(normalized.text.contains(#""value":20"#) || normalized.text.contains(#""value": 20"#))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func sysAttrsShowsSystemTimesOnlyWhenAsked(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let plain = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1")
            #expect(plain.json["createdAt"] == nil && plain.json["temperature"]?["createdAt"] == nil)
            let response = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?options=sysAttrs")
            #expect(isTimestamp(response.json["createdAt"]), "\(response.text)")
            #expect(isTimestamp(response.json["modifiedAt"]), "\(response.text)")
            #expect(isTimestamp(response.json["temperature"]?["createdAt"]), "\(response.text)")
            #expect(isTimestamp(response.json["temperature"]?["modifiedAt"]), "\(response.text)")
            let simplified = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?options=sysAttrs,keyValues")
            #expect(isTimestamp(simplified.json["createdAt"]), "\(simplified.text)")
            #expect(simplified.json["temperature"] == 20)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func pickOmitAndAttrsChooseMembers(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let base = "/entities/urn:ngsi-ld:Room:1"
            let picked = try await client.ld(.get, "\(base)?pick=id,name")
            #expect(
                picked.json
                    == (try json(#"{"id": "urn:ngsi-ld:Room:1", "name": {"type": "Property", "value": "Kitchen"}}"#)),
                "\(picked.text)"
            )
            let omitted = try await client.ld(.get, "\(base)?omit=location,isPartOf,temperature&options=keyValues")
            #expect(
                omitted.json == (try json(#"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "name": "Kitchen"}"#)),
                "\(omitted.text)"
            )
            let attrs = try await client.ld(.get, "\(base)?attrs=temperature,nothing&options=keyValues")
            #expect(attrs.json == (try json(#"{"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": 20}"#)))
            let none = try await client.ld(.get, "\(base)?attrs=nothing,neither")
            expectProblem(none, .notFound, "ResourceNotFound", detail: "urn:ngsi-ld:Room:1", "attrs matching nothing")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func langAndDatasetIdSelectTextsAndInstances(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(
                #"""
                {"id": "urn:ngsi-ld:Car:1", "type": "Car",
                 "label": {"type": "LanguageProperty", "languageMap": {"en": "Red car", "fr": "Voiture rouge"}},
                 "speed": [{"type": "Property", "value": 55, "datasetId": "urn:ngsi-ld:Dataset:gps"},
                           {"type": "Property", "value": 54.5}]}
                """#
            )
            let base = "/entities/urn:ngsi-ld:Car:1"
            let all = try await client.ld(.get, base)
            #expect(all.json["speed"]?.arrayValue?.count == 2, "\(all.text)")
            #expect(
                all.json["label"]
                    == (try json(
                        #"{"type": "LanguageProperty", "languageMap": {"en": "Red car", "fr": "Voiture rouge"}}"#
                    ))
            )

            let french = try await client.ld(.get, "\(base)?lang=fr&pick=label")
            #expect(
                french.json == (try json(#"{"label": {"type": "Property", "value": "Voiture rouge", "lang": "fr"}}"#)),
                "\(french.text)"
            )
            let simplifiedFrench = try await client.ld(.get, "\(base)?lang=fr&pick=label&format=simplified")
            #expect(simplifiedFrench.json == (try json(#"{"label": "Voiture rouge"}"#)), "\(simplifiedFrench.text)")

            let gps = try await client.ld(.get, "\(base)?datasetId=urn:ngsi-ld:Dataset:gps&pick=speed")
            #expect(
                gps.json
                    == (try json(
                        #"{"speed": {"type": "Property", "value": 55, "datasetId": "urn:ngsi-ld:Dataset:gps"}}"#
                    )),
                "\(gps.text)"
            )
            let simplified = try await client.ld(.get, "\(base)?format=simplified&pick=speed")
            #expect(
                simplified.json
                    == (try json(#"{"speed": {"dataset": {"@none": 54.5, "urn:ngsi-ld:Dataset:gps": 55}}}"#)),
                "\(simplified.text)"
            )
            // 54.5 stays 54.5, 55 stays an integer.
            #expect(all.text.contains("54.5"))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func geoJSONAnswersAFeature(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(
                #"""
                {"id": "urn:ngsi-ld:Room:1", "type": "Room", "name": {"type": "Property", "value": "Kitchen"},
                 "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [13.4, 52.5]}},
                 "entrance": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}}}
                """#
            )
            let feature = try await client.ld(
                .get,
                "/entities/urn:ngsi-ld:Room:1?options=keyValues&omit=entrance",
                accept: "application/geo+json"
            )
            #expect(feature.status == .ok)
            #expect(feature.headers[.contentType] == "application/geo+json")
            #expect(feature.headers[.link] == LD.coreLink)
            let expected = #"""
                {"id": "urn:ngsi-ld:Room:1", "type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [13.4, 52.5]},
                 "properties": {"type": "Room", "name": "Kitchen", "location": {"type": "Point", "coordinates": [13.4, 52.5]}}}
                """#
            #expect(feature.json == (try json(expected)), "\(feature.text)")

            let entrance = try await client.ld(
                .get,
                "/entities/urn:ngsi-ld:Room:1?geometryProperty=entrance",
                accept: "application/geo+json"
            )
            #expect(
                entrance.json["geometry"] == (try json(#"{"type": "Point", "coordinates": [1, 2]}"#)),
                "\(entrance.text)"
            )

            let collection = try await client.ld(.get, "/entities?type=Room", accept: "application/geo+json")
            #expect(collection.json["type"] == "FeatureCollection", "\(collection.text)")
            #expect(collection.json["features"]?.arrayValue?.count == 1)

            let withoutGeo = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?geometryProperty=entrance")
            expectProblem(withoutGeo, .badRequest, "BadRequestData", detail: "geometryProperty", "without geo+json")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deleteAnswers204ThenTheEntityIsGone(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let deleted = try await client.ld(.delete, "/entities/urn:ngsi-ld:Room:1")
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            let gone = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1")
            expectProblem(gone, .notFound, "ResourceNotFound", detail: "urn:ngsi-ld:Room:1", "after delete")
            let again = try await client.ld(.delete, "/entities/urn:ngsi-ld:Room:1")
            expectProblem(again, .notFound, "ResourceNotFound", "second delete")
            let invalid = try await client.ld(.delete, "/entities/thisisaninvaliduri")
            expectProblem(invalid, .badRequest, "BadRequestData", detail: "thisisaninvaliduri", "invalid id")
            let invalidGet = try await client.ld(.get, "/entities/thisisaninvaliduri")
            expectProblem(invalidGet, .badRequest, "BadRequestData", "invalid id on GET")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func replaceKeepsCreatedAtAndDropsWhatTheBodyLacks(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let before = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?options=sysAttrs")
            let replaced = try await client.ld(
                .put,
                "/entities/urn:ngsi-ld:Room:1",
                #"{"type": "Room", "name": {"type": "Property", "value": "Hall"}}"#
            )
            #expect(replaced.status == .noContent, "\(replaced.text)")
            #expect(replaced.body.readableBytes == 0)
            let after = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?options=sysAttrs")
            #expect(after.json["createdAt"] == before.json["createdAt"], "\(before.text) → \(after.text)")
            #expect(isTimestamp(after.json["modifiedAt"]))
            #expect(after.json["temperature"] == nil && after.json["location"] == nil, "\(after.text)")
            #expect(after.json["name"]?["value"] == "Hall")

            let mismatch = try await client.ld(
                .put,
                "/entities/urn:ngsi-ld:Room:1",
                #"{"id": "urn:ngsi-ld:Room:2", "type": "Room"}"#
            )
            expectProblem(mismatch, .badRequest, "BadRequestData", "id mismatch")
            let missing = try await client.ld(.put, "/entities/urn:ngsi-ld:Room:404", #"{"type": "Room"}"#)
            expectProblem(missing, .notFound, "ResourceNotFound", "replace of a missing entity")
            let null = try await client.ld(
                .put,
                "/entities/urn:ngsi-ld:Room:1",
                #"{"type": "Room", "name": {"type": "Property", "value": "urn:ngsi-ld:null"}}"#
            )
            expectProblem(null, .badRequest, "BadRequestData", "NGSI-LD Null in a replace")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func mergeMergesAndNGSILDNullDeletes(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            let merged = try await client.ld(
                .patch,
                "/entities/urn:ngsi-ld:Room:1",
                #"{"temperature": {"type": "Property", "value": 25}, "name": "urn:ngsi-ld:null", "size": 12}"#,
                contentType: "application/merge-patch+json"
            )
            #expect(merged.status == .noContent, "\(merged.text)")
            let after = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1")
            #expect(after.json["name"] == nil, "\(after.text)")
            #expect(after.json["temperature"]?["value"] == 25)
            #expect(after.json["temperature"]?["unitCode"] == "CEL", "merge keeps members not in the fragment")
            #expect(after.json["size"] == (try json(#"{"type": "Property", "value": 12}"#)))
            #expect(after.json["isPartOf"] != nil)
            let missing = try await client.ld(.patch, "/entities/urn:ngsi-ld:Room:404", #"{"size": 1}"#)
            expectProblem(missing, .notFound, "ResourceNotFound", "merge of a missing entity")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aTypeSelectorOnASingleEntityRouteMustMatch(_ backend: StoreBackend) async throws {
        try await withNGSILDServer(backend) { client in
            try await client.createEntity(room1)
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?type=Room").status == .ok)
            let wrong = try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1?type=Building")
            expectProblem(wrong, .notFound, "ResourceNotFound", "type=Building")
            let delete = try await client.ld(.delete, "/entities/urn:ngsi-ld:Room:1?type=Building")
            expectProblem(delete, .notFound, "ResourceNotFound", "delete with type=Building")
            #expect(try await client.ld(.get, "/entities/urn:ngsi-ld:Room:1").status == .ok)
        }
    }
}
