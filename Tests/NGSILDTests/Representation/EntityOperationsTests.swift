import EntityModel
import Foundation
import NGSILD
import Testing

struct EntityOperationsTests {
    let reader = NGSILDEntityReader(context: .core)
    let first = NGSILDEntityOperations(now: Fixture.created)
    let second = NGSILDEntityOperations(now: Fixture.later)

    func created(_ body: JSON) throws -> [String: JSON] {
        try first.create(reader.entity(body))
    }

    var building: JSON {
        [
            "id": "urn:ngsi-ld:Building:1", "type": "Building", "scope": "/a",
            "name": "Eiffel Tower",
            "speed": [["value": 55, "datasetId": "urn:gps"], ["value": .decimal("54.5")]],
            "temperature": ["value": 20, "accuracy": .decimal("0.5")],
        ]
    }

    @Test func createStampsEveryInstanceAndKeepsValues() throws {
        let values = try created(building)
        #expect(values["type"] == "Building")
        #expect(values["scope"] == "/a")
        #expect(values["id"] == nil)
        #expect(
            values["name"]
                == [
                    "type": "Property", "value": "Eiffel Tower", "createdAt": .string(Fixture.createdText),
                    "modifiedAt": .string(Fixture.createdText),
                ]
        )
        #expect(values["temperature"]?["accuracy"]?["createdAt"] == .string(Fixture.createdText))
        #expect(values["speed"]?.arrayValue?.count == 2)
    }

    @Test func replaceKeepsNothingButTheFragmentAndKeepsCreatedAt() throws {
        let values = try created(building)
        let replaced = second.replace(values, with: try reader.fragment(["name": "Tour Eiffel"], allowingNull: false))
        #expect(Set(replaced.keys) == ["type", "name"])
        #expect(replaced["type"] == "Building")
        #expect(replaced["name"]?["createdAt"] == .string(Fixture.createdText))
        #expect(replaced["name"]?["modifiedAt"] == .string(Fixture.laterText))
        #expect(replaced["name"]?["value"] == "Tour Eiffel")
    }

    @Test func appendWithNoOverwriteReportsExistingInstancesByExpandedName() throws {
        var values = try created(building)
        let fragment = try reader.fragment(
            [
                "type": "Tower", "scope": ["/b", "/c"], "name": "other", "height": 324,
                "speed": ["value": 1, "datasetId": "urn:new"],
            ],
            allowingNull: false
        )
        let result = second.append(fragment, to: &values, overwrite: false)
        #expect(result.updated == [Fixture.vocabulary + "height", Fixture.vocabulary + "speed"])
        #expect(
            result.notUpdated == [
                .init(
                    attributeName: Fixture.vocabulary + "name",
                    reason: "attribute instance exists and noOverwrite was requested"
                )
            ]
        )
        #expect(!result.isComplete)
        #expect(values["name"]?["value"] == "Eiffel Tower")
        #expect(values["type"] == ["Building", "Tower"])
        #expect(values["scope"] == ["/b", "/c"])
        #expect(values["speed"]?.arrayValue?.count == 3)
        #expect(
            result.json["notUpdated"]?.arrayValue?.first?["attributeName"] == .string(Fixture.vocabulary + "name")
        )
    }

    @Test func appendWithOverwriteReplacesTheInstanceKeepingCreatedAt() throws {
        var values = try created(building)
        let result = second.append(
            try reader.fragment(["temperature": ["value": 21, "unitCode": "CEL"]], allowingNull: false),
            to: &values,
            overwrite: true
        )
        #expect(result.isComplete)
        #expect(
            values["temperature"]
                == [
                    "type": "Property", "value": 21, "unitCode": "CEL", "createdAt": .string(Fixture.createdText),
                    "modifiedAt": .string(Fixture.laterText),
                ]
        )
    }

    @Test func updateOverwritesAppendsAndDeletesWithNull() throws {
        var values = try created(building)
        let fragment = try reader.fragment(
            [
                "name": ["object": "urn:ngsi-ld:Name:1"], "height": 324,
                "speed": ["value": "urn:ngsi-ld:null", "datasetId": "urn:gps"], "missing": "urn:ngsi-ld:null",
            ],
            allowingNull: true
        )
        let result = second.update(fragment, in: &values)
        #expect(
            result.updated == [
                Fixture.vocabulary + "height", Fixture.vocabulary + "name", Fixture.vocabulary + "speed",
            ]
        )
        #expect(result.notUpdated.map(\.attributeName) == [Fixture.vocabulary + "missing"])
        #expect(values["name"]?["type"] == "Relationship")
        #expect(values["name"]?["createdAt"] == .string(Fixture.createdText))
        #expect(Fixture.withoutTimes(values["speed"] ?? nil) == ["type": "Property", "value": .decimal("54.5")])
        #expect(values["missing"] == nil)
    }

    @Test func mergeIsRecursiveAndNullDeletes() throws {
        var values = try created(building)
        let fragment = try reader.fragment(
            [
                "temperature": ["value": 22, "accuracy": "urn:ngsi-ld:null", "source": ["object": "urn:s"]],
                "name": "urn:ngsi-ld:null", "scope": "urn:ngsi-ld:null", "type": "Tower",
                "speed": ["value": 56, "datasetId": "urn:gps", "observedAt": "2021-01-01T00:00:00Z"],
            ],
            allowingNull: true
        )
        second.merge(fragment, into: &values)
        #expect(values["name"] == nil)
        #expect(values["scope"] == nil)
        #expect(values["type"] == ["Building", "Tower"])
        #expect(
            Fixture.withoutTimes(values["temperature"] ?? nil)
                == ["type": "Property", "value": 22, "source": ["type": "Relationship", "object": "urn:s"]]
        )
        #expect(values["temperature"]?["createdAt"] == .string(Fixture.createdText))
        #expect(values["temperature"]?["modifiedAt"] == .string(Fixture.laterText))
        let gps = values["speed"]?.arrayValue?.first { $0["datasetId"] == "urn:gps" }
        #expect(gps?["value"] == 56)
        #expect(gps?["observedAt"] == "2021-01-01T00:00:00Z")
    }

    @Test func partialAttributeUpdateMergesTheChosenInstance() throws {
        var values = try created(building)
        let fragment = try reader.attributeFragment(
            ["value": 57, "datasetId": "urn:gps", "quality": 1],
            name: "speed",
            partial: true
        )
        try second.updateAttribute(fragment, in: &values)
        let gps = values["speed"]?.arrayValue?.first { $0["datasetId"] == "urn:gps" }
        #expect(gps?["value"] == 57)
        #expect(gps?["type"] == "Property")
        #expect(gps?["quality"]?["value"] == 1)
        #expect(gps?["createdAt"] == .string(Fixture.createdText))
        let other = values["speed"]?.arrayValue?.first { $0["datasetId"] == nil }
        #expect(other?["value"] == .decimal("54.5"))
    }

    @Test(arguments: [
        (#"{"type": "Relationship", "object": "urn:x"}"#, "temperature", NGSILDError.Code.badRequestData),
        (#"{"object": "urn:x"}"#, "temperature", .badRequestData),
        (#"{"datasetId": "urn:d"}"#, "temperature", .badRequestData),
        (#"{"value": 1, "datasetId": "urn:d"}"#, "temperature", .resourceNotFound),
        (#"{"value": 1}"#, "unknown", .resourceNotFound),
    ])
    func partialAttributeUpdateRefuses(body: String, name: String, code: NGSILDError.Code) throws {
        var values = try created(building)
        let before = values
        let error = #expect(throws: NGSILDError.self) {
            try second.updateAttribute(
                reader.attributeFragment(Fixture.json(body), name: name, partial: true),
                in: &values
            )
        }
        #expect(error?.code == code)
        #expect(values == before)
    }

    @Test func replaceAttributeKeepsCreatedAtAndOtherInstances() throws {
        var values = try created(building)
        try second.replaceAttribute(
            reader.attributeFragment(["value": 60, "unitCode": "KMH"], name: "speed", partial: false),
            in: &values
        )
        let instances = values["speed"]?.arrayValue ?? []
        #expect(instances.count == 2)
        let replaced = instances.first { $0["datasetId"] == nil }
        #expect(Fixture.withoutTimes(replaced ?? nil) == ["type": "Property", "value": 60, "unitCode": "KMH"])
        #expect(replaced?["createdAt"] == .string(Fixture.createdText))
        #expect(throws: NGSILDError.self) {
            try second.replaceAttribute(reader.attributeFragment(1, name: "unknown", partial: false), in: &values)
        }
    }

    @Test func deleteAttributeRemovesTheDefaultOneOrAllInstances() throws {
        var values = try created(building)
        try second.deleteAttribute(named: "speed", in: &values)
        #expect(values["speed"]?["datasetId"] == "urn:gps")
        let missing = #expect(throws: NGSILDError.self) { try second.deleteAttribute(named: "speed", in: &values) }
        #expect(missing?.code == .resourceNotFound)
        #expect(throws: NGSILDError.self) {
            try second.deleteAttribute(named: "speed", datasetId: "urn:x", in: &values)
        }
        try second.deleteAttribute(named: "speed", datasetId: "urn:gps", in: &values)
        #expect(values["speed"] == nil)
        try second.deleteAttribute(named: "temperature", deleteAll: true, in: &values)
        #expect(values["temperature"] == nil)
        try second.deleteAttribute(named: reader.storedAttributeName("scope"), in: &values)
        #expect(values["scope"] == nil)
        #expect(throws: NGSILDError.self) { try second.deleteAttribute(named: "scope", in: &values) }
        #expect(throws: NGSILDError.self) { try second.deleteAttribute(named: "type", in: &values) }
    }

    @Test func operationsReadDocumentsWrittenThroughREST() throws {
        var values: [String: JSON] = ["type": "Room", "temperature": 20, "owner": ["object": "urn:p"]]
        let result = second.append(
            try reader.fragment(["humidity": 40], allowingNull: false),
            to: &values,
            overwrite: true
        )
        #expect(result.isComplete)
        #expect(values["temperature"] == ["type": "Property", "value": 20])
        #expect(values["owner"] == ["type": "Relationship", "object": "urn:p"])
        #expect(values["humidity"]?["value"] == 40)
    }
}
