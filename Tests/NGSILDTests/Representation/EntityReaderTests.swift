import EntityModel
import Foundation
import NGSILD
import Testing

struct EntityReaderTests {
    let reader = NGSILDEntityReader(context: .core)

    @Test func aNormalizedEntityIsStoredWithCoreCompactedNames() throws {
        let fragment = try reader.entity(
            Fixture.json(
                #"""
                {"id": "urn:ngsi-ld:Building:001", "type": "Building", "scope": "/Madrid/Gardens",
                 "@context": "https://example.org/ignored.jsonld",
                 "airQualityLevel": {"type": "Property", "value": 4, "unitCode": "C62",
                     "observedAt": "2020-09-09T16:40:00.000Z",
                     "hasWeatherObserved": {"type": "Relationship", "object": "urn:ngsi-ld:Sensor:43a1"}},
                 "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [13.3986, 52.5547]}},
                 "speed": [{"type": "Property", "value": 55, "datasetId": "urn:ngsi-ld:Dataset:gps"},
                           {"type": "Property", "value": 54.5}],
                 "ngsi-ld:default-context/label": {"type": "LanguageProperty", "languageMap": {"en": "Tower"}}}
                """#
            )
        )
        #expect(fragment.id == "urn:ngsi-ld:Building:001")
        #expect(fragment.types == ["Building"])
        #expect(fragment.scope == ["/Madrid/Gardens"])
        #expect(Set(fragment.attributes.keys) == ["airQualityLevel", "location", "speed", "label"])
        #expect(
            fragment.attributes["airQualityLevel"]?.first
                == [
                    "type": "Property", "value": 4, "unitCode": "C62", "observedAt": "2020-09-09T16:40:00.000Z",
                    "hasWeatherObserved": ["type": "Relationship", "object": "urn:ngsi-ld:Sensor:43a1"],
                ]
        )
        #expect(fragment.attributes["speed"]?.count == 2)
    }

    @Test func keywordsStandForIdAndType() throws {
        let fragment = try reader.entity(["@id": "urn:a", "@type": ["A", "B", "A"]])
        #expect(fragment.id == "urn:a")
        #expect(fragment.types == ["A", "B"])
    }

    @Test func namesAreExpandedWithTheRequestContextThenCompactedAgainstTheCore() async throws {
        let reader = NGSILDEntityReader(context: try await Fixture.userContext())
        let fragment = try reader.entity([
            "id": "urn:a", "type": ["Car", "Building"], "speed": 3, "almostFull": false,
            "category": ["type": "VocabProperty", "vocab": "Commercial"],
            "owner": ["object": "urn:p", "objectType": "Car"],
        ])
        #expect(fragment.types == [.init(Fixture.example + "Car"), "Building"])
        #expect(fragment.attributes[Fixture.example + "speed"] == [["type": "Property", "value": 3]])
        #expect(fragment.attributes[Fixture.example + "almostFull"] == [["type": "Property", "value": false]])
        #expect(fragment.attributes["category"]?.first?["vocab"] == .string(Fixture.example + "Commercial"))
        #expect(fragment.attributes["owner"]?.first?["objectType"] == .string(Fixture.example + "Car"))
        #expect(try reader.storedAttributeName("ex:speed") == Fixture.example + "speed")
        #expect(try reader.storedTypeName("Car") == Fixture.example + "Car")
    }

    /// §3.3's concise rules, in order, recursively.
    @Test(arguments: [
        (#"20"#, #"{"type": "Property", "value": 20}"#),
        (#""text""#, #"{"type": "Property", "value": "text"}"#),
        (#"[1, 2]"#, #"{"type": "Property", "value": [1, 2]}"#),
        (#"{"type": "Relationship", "object": "urn:b"}"#, #"{"type": "Relationship", "object": "urn:b"}"#),
        (
            #"{"type": "Point", "coordinates": [1, 2]}"#,
            #"{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}}"#
        ),
        (#"{"object": "urn:b"}"#, #"{"type": "Relationship", "object": "urn:b"}"#),
        (#"{"json": {"a": [1]}}"#, #"{"type": "JsonProperty", "json": {"a": [1]}}"#),
        (#"{"languageMap": {"en": "x"}}"#, #"{"type": "LanguageProperty", "languageMap": {"en": "x"}}"#),
        (#"{"vocab": "Commercial"}"#, #"{"type": "VocabProperty", "vocab": "Commercial"}"#),
        (#"{"valueList": [1, "a"]}"#, #"{"type": "ListProperty", "valueList": [1, "a"]}"#),
        (
            #"{"objectList": ["urn:a", {"object": "urn:b"}]}"#,
            #"{"type": "ListRelationship", "objectList": [{"object": "urn:a"}, {"object": "urn:b"}]}"#
        ),
        (#"{"value": 5, "unitCode": "CEL"}"#, #"{"type": "Property", "value": 5, "unitCode": "CEL"}"#),
        (
            #"{"value": {"type": "Point", "coordinates": [1, 2]}}"#,
            #"{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}}"#
        ),
        (#"{"street": "Main", "n": 4}"#, #"{"type": "Property", "value": {"street": "Main", "n": 4}}"#),
        (
            #"{"value": 5, "accuracy": 0.5, "source": {"object": "urn:s"}}"#,
            #"{"type": "Property", "value": 5, "accuracy": {"type": "Property", "value": 0.5},"#
                + #" "source": {"type": "Relationship", "object": "urn:s"}}"#
        ),
        (
            #"[{"value": 1, "datasetId": "urn:d"}, {"value": 2, "datasetId": "@none"}]"#,
            #"[{"type": "Property", "value": 1, "datasetId": "urn:d"}, {"type": "Property", "value": 2}]"#
        ),
        (
            #"{"type": "GeoProperty", "value": "{\"type\": \"Point\", \"coordinates\": [1, 2]}"}"#,
            #"{"type": "GeoProperty", "value": {"type": "Point", "coordinates": [1, 2]}}"#
        ),
    ])
    func conciseInputIsNormalized(input: String, normalized: String) throws {
        let fragment = try reader.entity(["id": "urn:a", "type": "T", "attribute": Fixture.json(input)])
        let expected = try Fixture.json(normalized)
        #expect(fragment.attributes["attribute"] == (expected.arrayValue ?? [expected]))
    }

    /// Every validation error is BadRequestData naming the member.
    @Test(arguments: [
        (#"{"type": "T"}"#, "id:"),
        (#"{"id": "urn:a"}"#, "type:"),
        (#"{"id": "not an iri", "type": "T"}"#, "id: not an absolute IRI"),
        (#"{"id": "thisisaninvaliduri", "type": "T"}"#, "id: not an absolute IRI"),
        (#"{"id": "urn:a\u200Bb", "type": "T"}"#, "id: not an absolute IRI"),
        (#"{"id": "urn:a\u0007", "type": "T"}"#, "id: not an absolute IRI"),
        (#"{"id": 7, "type": "T"}"#, "id: not an absolute IRI"),
        (#"{"id": "urn:a", "type": "type"}"#, "JSON-LD keyword"),
        (#"{"id": "urn:a", "type": []}"#, "type: must be"),
        (#"{"id": "urn:a", "type": "a b"}"#, "type: \"a b\" is not a valid name"),
        (#"{"id": "urn:a", "@id": "urn:b", "type": "T"}"#, "id: given both"),
        (#"{"id": "urn:a", "type": "T", "scope": "/a//b"}"#, "scope:"),
        (#"{"id": "urn:a", "type": "T", "scope": "a-b"}"#, "scope:"),
        (#"{"id": "urn:a", "type": "T", "bad name": 1}"#, "bad name: not a valid attribute name"),
        (#"{"id": "urn:a", "type": "T", "observedAt": "2020-01-01T00:00:00Z"}"#, "observedAt: a core member"),
        (#"{"id": "urn:a", "type": "T", "ngsi-ld:datasetId": 1}"#, "ngsi-ld:datasetId:"),
        (#"{"id": "urn:a", "type": "T", "temperature": {"type": "Property"}}"#, "temperature: a Property needs value"),
        (#"{"id": "urn:a", "type": "T", "temperature": {"type": "Property", "value": null}}"#, "temperature.value:"),
        (#"{"id": "urn:a", "type": "T", "temperature": null}"#, "temperature: an attribute cannot be null"),
        (
            #"{"id": "urn:a", "type": "T", "temperature": {"type": "Property", "value": 1, "object": "urn:b"}}"#,
            "temperature: a Property cannot have object"
        ),
        (
            #"{"id": "urn:a", "type": "T", "config": {"type": "JsonProperty", "json": {}, "value": 1}}"#,
            "config: a JsonProperty cannot have value"
        ),
        (
            #"{"id": "urn:a", "type": "T", "owner": {"type": "Relationship", "object": "urn:b", "unitCode": "C62"}}"#,
            "owner: a Relationship cannot have unitCode"
        ),
        (
            #"{"id": "urn:a", "type": "T", "owner": {"type": "Relationship", "object": "not iri"}}"#,
            "owner.object: not an absolute IRI"
        ),
        (#"{"id": "urn:a", "type": "T", "speed": [{"value": 1}, {"value": 2}]}"#, "speed: two default instances"),
        (
            #"{"id": "urn:a", "type": "T", "speed": [{"value": 1, "datasetId": "urn:d"}, {"value": 2, "datasetId": "urn:d"}]}"#,
            "speed: two instances with datasetId urn:d"
        ),
        (
            #"{"id": "urn:a", "type": "T", "speed": {"value": 1, "observedAt": "2020-09-09T16:40:00+02:00"}}"#,
            "speed.observedAt: not a DateTime in UTC"
        ),
        (
            #"{"id": "urn:a", "type": "T", "where": {"type": "GeometryCollection", "geometries": []}}"#,
            "where: GeometryCollection"
        ),
        (
            #"{"id": "urn:a", "type": "T", "location": {"type": "GeoProperty", "value": {"type": "GeometryCollection", "geometries": []}}}"#,
            "location.value: GeometryCollection"
        ),
        (#"{"id": "urn:a", "type": "T", "location": {"type": "GeoProperty", "value": "{oops"}}"#, "location.value:"),
        (#"{"id": "urn:a", "type": "T", "speed": {"value": 1, "@context": "x"}}"#, "speed: @context"),
        (#"{"id": "urn:a", "type": "T", "speed": {"value": 1, "bad name": 2}}"#, "speed.bad name:"),
        (#"{"id": "urn:a", "type": "T", "speed": {"type": "Propertee", "value": 1}}"#, "speed: \"Propertee\""),
        (#"{"id": "urn:a", "type": "T", "label": {"languageMap": {"en": 3}}}"#, "label.languageMap.en:"),
        (#"{"id": "urn:a", "type": "T", "speed": "urn:ngsi-ld:null"}"#, "speed.value: NGSI-LD Null"),
        (#"{"id": "urn:a", "type": "T", "owner": {"object": "urn:ngsi-ld:null"}}"#, "owner.object: NGSI-LD Null"),
        (#"[1]"#, "an entity must be a JSON object"),
    ])
    func invalidEntitiesAreRefusedNamingTheMember(text: String, message: String) throws {
        let body = try Fixture.json(text)
        let error = #expect(throws: NGSILDError.self) { try reader.entity(body) }
        #expect(error?.code == .badRequestData)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test(arguments: ["4", "4.0", "1e400", "false", "-0.5", "12345678901234567890", #""4""#])
    func scalarsAreKeptExactly(text: String) throws {
        let fragment = try reader.entity(Fixture.json(#"{"id": "urn:a", "type": "T", "n": "# + text + "}"))
        #expect(fragment.attributes["n"]?.first?["value"]?.serialized() == text.replacingOccurrences(of: " ", with: ""))
    }

    @Test func ngsiLDNullIsAMarkerInUpdateAndMergeFragmentsOnly() throws {
        let body: JSON = [
            "speed": "urn:ngsi-ld:null", "owner": ["object": "urn:ngsi-ld:null"], "scope": "urn:ngsi-ld:null",
        ]
        let fragment = try reader.fragment(body, allowingNull: true)
        #expect(fragment.attributes["speed"] == [["type": "Property", "value": "urn:ngsi-ld:null"]])
        #expect(fragment.removesScope)
        let error = #expect(throws: NGSILDError.self) { try reader.fragment(body, allowingNull: false) }
        #expect(error?.code == .badRequestData)
    }

    @Test func systemMembersAreIgnoredOnInput() throws {
        let fragment = try reader.entity([
            "id": "urn:a", "type": "T", "createdAt": "x", "speed": ["value": 1, "createdAt": "y", "instanceId": "z"],
        ])
        #expect(fragment.attributes == ["speed": [["type": "Property", "value": 1]]])
    }

    @Test func aPartialAttributeFragmentNeedsNeitherTypeNorValue() throws {
        let fragment = try reader.attributeFragment(
            ["observedAt": "2021-01-01T00:00:00Z", "datasetId": "urn:d"],
            name: "speed",
            partial: true
        )
        #expect(fragment.name == "speed")
        #expect(fragment.expandedName == Fixture.vocabulary + "speed")
        #expect(fragment.instances == [["observedAt": "2021-01-01T00:00:00Z", "datasetId": "urn:d"]])
        #expect(throws: NGSILDError.self) { try reader.attributeFragment([:], name: "speed", partial: true) }
        #expect(throws: NGSILDError.self) { try reader.attributeFragment(["value": 1], name: "scope", partial: true) }
    }
}
