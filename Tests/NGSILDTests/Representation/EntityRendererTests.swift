import EntityModel
import Foundation
import NGSILD
import Testing

struct EntityRendererTests {
    static let point: JSON = ["type": "Point", "coordinates": [.decimal("13.3986"), .decimal("52.5547")]]

    /// Every attribute type: its stored instance, its concise and its simplified form (§3.3, 4.5.4).
    static let attributeTypes: [(stored: JSON, concise: JSON, simplified: JSON)] = [
        (["type": "Property", "value": 4], 4, 4),
        (
            ["type": "Property", "value": .decimal("4.5"), "unitCode": "C62"],
            ["value": .decimal("4.5"), "unitCode": "C62"], .decimal("4.5")
        ),
        (["type": "Property", "value": ["a": 1]], ["value": ["a": 1]], ["a": 1]),
        (["type": "Relationship", "object": "urn:b"], ["object": "urn:b"], "urn:b"),
        (["type": "GeoProperty", "value": point], point, point),
        (
            ["type": "LanguageProperty", "languageMap": ["en": "Tower", "fr": "Tour"]],
            ["languageMap": ["en": "Tower", "fr": "Tour"]], ["languageMap": ["en": "Tower", "fr": "Tour"]]
        ),
        (
            ["type": "JsonProperty", "json": ["any": ["json"]]], ["json": ["any": ["json"]]],
            ["json": ["any": ["json"]]]
        ),
        (["type": "VocabProperty", "vocab": "Commercial"], ["vocab": "Commercial"], ["vocab": "Commercial"]),
        (["type": "ListProperty", "valueList": [1, 2, 3]], ["valueList": [1, 2, 3]], ["valueList": [1, 2, 3]]),
        (
            ["type": "ListRelationship", "objectList": [["object": "urn:a"], ["object": "urn:b"]]],
            ["objectList": [["object": "urn:a"], ["object": "urn:b"]]], ["objectList": ["urn:a", "urn:b"]]
        ),
    ]

    func render(
        _ values: [String: JSON],
        _ options: NGSILDRenderOptions = NGSILDRenderOptions(),
        context: ActiveContext = .core
    ) -> JSON {
        NGSILDEntityRenderer(context: context, options: options)
            .render(id: "urn:a", values: values, createdAt: Fixture.created, modifiedAt: Fixture.later)
    }

    @Test(arguments: attributeTypes)
    func everyAttributeTypeRendersInTheThreeRepresentationsAndReadsBack(
        stored: JSON,
        concise: JSON,
        simplified: JSON
    ) throws {
        let values: [String: JSON] = ["type": "T", "a": stored]
        let reader = NGSILDEntityReader(context: .core)
        for format in NGSILDRenderOptions.Format.allCases {
            let rendered = render(values, NGSILDRenderOptions(format: format))
            let expected: [NGSILDRenderOptions.Format: JSON] = [
                .normalized: stored, .concise: concise, .simplified: simplified,
            ]
            #expect(rendered["a"] == expected[format], "\(format)")
            let readBack = try reader.entity(rendered)
            let lossy = ["Relationship", "Property"].contains(stored["type"]?.stringValue ?? "")
            if format != .simplified || !lossy {
                #expect(readBack.attributes["a"] == [stored], "\(format)")
            }
        }
    }

    @Test func systemTimesShowOnlyWithSysAttrs() {
        let values: [String: JSON] = [
            "type": "T",
            "a": [
                "type": "Property", "value": 1, "createdAt": "c", "modifiedAt": "m",
                "b": ["type": "Property", "value": 2, "createdAt": "c"],
            ],
        ]
        #expect(
            render(values) == [
                "id": "urn:a", "type": "T",
                "a": ["type": "Property", "value": 1, "b": ["type": "Property", "value": 2]],
            ]
        )
        let shown = render(values, NGSILDRenderOptions(sysAttrs: true))
        #expect(shown["createdAt"] == .string(Fixture.createdText))
        #expect(shown["modifiedAt"] == .string(Fixture.laterText))
        #expect(shown["a"]?["createdAt"] == "c")
        #expect(shown["a"]?["b"]?["createdAt"] == "c")
        #expect(render(values, NGSILDRenderOptions(format: .simplified, sysAttrs: true))["createdAt"] != nil)
    }

    @Test func severalInstancesRenderAsAnArrayOrADataset() {
        let values: [String: JSON] = [
            "type": "T",
            "speed": [
                ["type": "Property", "value": 55, "datasetId": "urn:gps"],
                ["type": "Property", "value": .decimal("54.5")],
            ],
        ]
        #expect(
            render(values, NGSILDRenderOptions(format: .simplified))["speed"] == [
                "dataset": ["urn:gps": 55, "@none": .decimal("54.5")]
            ]
        )
        #expect(
            render(values, NGSILDRenderOptions(format: .concise))["speed"]
                == [["value": 55, "datasetId": "urn:gps"], ["value": .decimal("54.5")]]
        )
        #expect(render(values)["speed"]?.arrayValue?.count == 2)
        let gps = render(values, NGSILDRenderOptions(datasetIds: ["urn:gps"]))
        #expect(gps["speed"] == ["type": "Property", "value": 55, "datasetId": "urn:gps"])
        let none = render(values, NGSILDRenderOptions(format: .simplified, datasetIds: ["@none"]))
        #expect(none["speed"] == .decimal("54.5"))
        #expect(render(values, NGSILDRenderOptions(datasetIds: ["urn:x"]))["speed"] == nil)
    }

    /// §2.5's worked cases, through the whole write and read path.
    @Test func storedNamesAreCompactedWithTheRequestContext() async throws {
        let userContext = try await Fixture.userContext()
        let withC = NGSILDEntityReader(context: userContext)
        let createdWithC = NGSILDEntityOperations(now: Fixture.created).create(
            try withC.entity(["id": "urn:a", "type": "Car", "almostFull": false, "category": ["vocab": "Commercial"]])
        )
        #expect(createdWithC[Fixture.example + "almostFull"] != nil)
        let plain = render(createdWithC, NGSILDRenderOptions(format: .simplified))
        #expect(plain[Fixture.example + "almostFull"] == false)
        #expect(plain["type"] == .string(Fixture.example + "Car"))
        #expect(plain["category"] == ["vocab": .string(Fixture.example + "Commercial")])
        let withContext = render(createdWithC, NGSILDRenderOptions(format: .simplified), context: userContext)
        #expect(
            withContext == ["id": "urn:a", "type": "Car", "almostFull": false, "category": ["vocab": "Commercial"]]
        )

        let createdPlain = NGSILDEntityOperations(now: Fixture.created).create(
            try NGSILDEntityReader(context: .core).entity(["id": "urn:a", "type": "Building", "almostFull": false])
        )
        #expect(createdPlain["almostFull"] != nil)
        let throughC = render(createdPlain, NGSILDRenderOptions(format: .simplified), context: userContext)
        #expect(throughC["ngsi-ld:default-context/almostFull"] == false)
        #expect(render(createdPlain, NGSILDRenderOptions(format: .simplified))["almostFull"] == false)
    }

    @Test func pickOmitAndAttrsChooseMembersByExpandedName() {
        let values: [String: JSON] = [
            "type": "T", "scope": "/s", "name": ["type": "Property", "value": "n"],
            "speed": ["type": "Property", "value": 1],
        ]
        let name = Fixture.vocabulary + "name"
        let speed = Fixture.vocabulary + "speed"
        #expect(
            render(values, NGSILDRenderOptions(format: .simplified, pick: ["id", name])) == [
                "id": "urn:a", "name": "n",
            ]
        )
        #expect(
            render(values, NGSILDRenderOptions(format: .simplified, omit: ["type", "scope", speed]))
                == ["id": "urn:a", "name": "n"]
        )
        #expect(
            render(values, NGSILDRenderOptions(format: .simplified, attrs: [speed]))
                == ["id": "urn:a", "type": "T", "scope": "/s", "speed": 1]
        )
    }

    @Test func langRendersALanguagePropertyAsAPropertyInOneLanguage() {
        let values: [String: JSON] = [
            "type": "T",
            "label": ["type": "LanguageProperty", "languageMap": ["en": "Tower", "fr-FR": "Tour", "@none": "T"]],
        ]
        #expect(
            render(values, NGSILDRenderOptions(lang: "fr"))["label"] == [
                "type": "Property", "value": "Tour", "lang": "fr-FR",
            ]
        )
        #expect(
            render(values, NGSILDRenderOptions(lang: "de,EN;q=0.5"))["label"] == [
                "type": "Property", "value": "Tower", "lang": "en",
            ]
        )
        #expect(render(values, NGSILDRenderOptions(lang: "de"))["label"] == ["type": "Property", "value": "T"])
        #expect(render(values, NGSILDRenderOptions(format: .simplified, lang: "en;q=0.1,fr"))["label"] == "Tour")
        #expect(render(values, NGSILDRenderOptions(format: .concise, lang: "*"))["label"] == "T")
    }

    @Test func formatAndOptionsParametersChooseTheRepresentation() throws {
        var options = NGSILDRenderOptions()
        try options.apply(format: nil, options: "keyValues,sysAttrs")
        #expect(options.format == .simplified && options.sysAttrs)
        try options.apply(format: "concise", options: "normalized")
        #expect(options.format == .concise)
        #expect(throws: NGSILDError.self) { try options.apply(format: "pretty", options: nil) }
        #expect(throws: NGSILDError.self) { try options.apply(format: nil, options: "everything") }
    }

    @Test func geoJSONOutputIsAFeatureWithTheGeometryProperty() {
        let values: [String: JSON] = [
            "type": "T", "location": ["type": "GeoProperty", "value": Self.point],
            "name": ["type": "Property", "value": "n"],
            "area": [
                "type": "GeoProperty",
                "value": ["type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]],
            ],
        ]
        let renderer = NGSILDEntityRenderer(context: .core, options: NGSILDRenderOptions(format: .simplified))
        let feature = renderer.feature(
            id: "urn:a",
            values: values,
            createdAt: Fixture.created,
            modifiedAt: Fixture.later
        )
        #expect(feature["type"] == "Feature")
        #expect(feature["id"] == "urn:a")
        #expect(feature["geometry"] == Self.point)
        let area = values["area"]?["value"] ?? nil
        #expect(feature["properties"] == ["type": "T", "location": Self.point, "name": "n", "area": area])
        let byArea = NGSILDEntityRenderer(
            context: .core,
            options: NGSILDRenderOptions(geometryProperty: Fixture.vocabulary + "area")
        )
        .feature(id: "urn:a", values: values, createdAt: Fixture.created, modifiedAt: Fixture.later)
        #expect(byArea["geometry"]?["type"] == "Polygon")
        let bare = renderer.feature(
            id: "urn:b",
            values: ["type": "T"],
            createdAt: Fixture.created,
            modifiedAt: Fixture.later
        )
        #expect(bare["geometry"] == .null)
        #expect(
            renderer.featureCollection([feature, bare]) == ["type": "FeatureCollection", "features": [feature, bare]]
        )
    }

    @Test func documentsWrittenThroughRESTRenderLeniently() {
        let values: [String: JSON] = [
            "type": ["Room", 3], "temperature": 20, "odd": ["type": "Property"], "nothing": nil, "@context": "x",
            "createdAt": "x", "list": [["value": 1], 2], "geo": Self.point, "owner": ["object": "urn:p"],
        ]
        #expect(NGSILDStoredEntity.isEntity(values))
        #expect(!NGSILDStoredEntity.isEntity(["temperature": 20]))
        for format in NGSILDRenderOptions.Format.allCases {
            for lang in [nil, "en"] {
                let rendered = render(values, NGSILDRenderOptions(format: format, sysAttrs: true, lang: lang))
                #expect(rendered["type"] == "Room")
                #expect(rendered["@context"] == nil)
            }
        }
        let normalized = render(values)
        #expect(normalized["temperature"] == ["type": "Property", "value": 20])
        #expect(normalized["odd"] == ["type": "Property", "value": ["type": "Property"]])
        #expect(normalized["nothing"] == ["type": "Property", "value": nil])
        #expect(normalized["geo"] == ["type": "GeoProperty", "value": Self.point])
        #expect(normalized["owner"] == ["type": "Relationship", "object": "urn:p"])
    }
}
