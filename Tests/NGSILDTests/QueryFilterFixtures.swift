import EntityModel
import EntityQuery
import Foundation
import NGSILD

/// Stored NGSI-LD entities (the shape of the plan) and a translator with a fixed name mapping, for
/// the `q`, type, scope and id translation tests, evaluated with the ``Evaluator``.
enum QueryFilterFixtures {
    static let ctx = "https://example.org/ctx#"

    static let translator = NGSILDFilterTranslator(
        storedAttributeName: { name throws(NGSILDError) in
            guard !name.hasPrefix("unmappable") else { throw NGSILDError(.invalidDocument, "cannot expand \(name)") }
            return name == "speed" ? ctx + "speed" : name
        },
        storedTypeName: { name throws(NGSILDError) in
            ["Car": ctx + "Car", "Commercial": ctx + "Commercial"][name] ?? name
        }
    )

    static let entities: [(id: String, created: String, values: String)] = [
        (
            "urn:ngsi-ld:E1", "2021-05-01T10:00:00.000Z",
            #"""
            {"type":"Building","scope":"/Madrid/Gardens",
             "name":{"type":"Property","value":"Eiffel Tower"},
             "almostFull":{"type":"Property","value":true},
             "airQualityLevel":{"type":"Property","value":4,"unitCode":"C62","observedAt":"2020-09-09T16:40:00.000Z",
               "createdAt":"2026-12-04T03:00:00.000Z","modifiedAt":"2026-12-04T03:00:00.000Z",
               "hasWeatherObserved":{"type":"Relationship","object":"urn:ngsi-ld:Sensor:43a1"}},
             "locatedIn":{"type":"Relationship","object":"urn:ngsi-ld:City:Paris"},
             "https://example.org/ctx#speed":[{"type":"Property","value":55,"datasetId":"urn:ngsi-ld:Dataset:gps"},
                                              {"type":"Property","value":54.5}],
             "label":{"type":"LanguageProperty","languageMap":{"en":"Tower","fr":"Tour"}},
             "address":{"type":"Property","value":{"city":{"name":"Paris"},"zip":"75007"}},
             "inaugurated":{"type":"Property","value":"1889-03-31T00:00:00Z"},
             "category":{"type":"VocabProperty","vocab":"https://example.org/ctx#Commercial"},
             "config":{"type":"JsonProperty","json":{"any":["json"]}}}
            """#
        ),
        (
            "urn:ngsi-ld:E2", "2019-05-01T10:00:00.000Z",
            #"""
            {"type":["Building","https://example.org/ctx#Car"],"scope":["/Madrid","/CompanyA/Unit1/UnitC"],
             "name":{"type":"Property","value":"Pisa Tower"},
             "almostFull":{"type":"Property","value":false},
             "airQualityLevel":{"type":"Property","value":"4"},
             "locatedIn":{"type":"Relationship","object":"urn:ngsi-ld:City:Pisa"},
             "inaugurated":{"type":"Property","value":{"@type":"DateTime","@value":"1372-08-09T00:00:00Z"}},
             "label":{"type":"LanguageProperty","languageMap":{"it":"Torre"}}}
            """#
        ),
        (
            "urn:ngsi-ld:E3", "2020-05-01T10:00:00.000Z",
            #"""
            {"type":"https://example.org/ctx#Car","scope":"/Paris/Gardens/North",
             "name":{"type":"Property","value":"Louvre"},
             "almostFull":{"type":"Property","value":false},
             "airQualityLevel":[{"type":"Property","value":6,"observedAt":"2020-09-09T17:30:00+02:00",
                                 "datasetId":"urn:ngsi-ld:Dataset:a"},
                                {"type":"Property","value":[8,9],"datasetId":"urn:ngsi-ld:Dataset:b"}],
             "https://example.org/ctx#speed":{"type":"Property","value":30},
             "readings":{"type":"ListProperty","valueList":[1,2,3]},
             "route":{"type":"ListRelationship","objectList":[{"object":"urn:a"}]}}
            """#
        ),
        ("urn:ngsi-ld:E4", "2022-05-01T10:00:00.000Z", #"{"type":"Vehicle"}"#),
        ("urn:ngsi-ld:E5", "2022-05-01T10:00:00.000Z", #"{"name":{"type":"Property","value":"Eiffel Tower"}}"#),
    ]

    static let documents: [JSON] = entities.map { entity in
        let created = ISO8601DateFormatter().date(from: entity.created.replacingOccurrences(of: ".000", with: ""))!
        let values = (try? JSON(parsing: entity.values))?.objectValue ?? [:]
        return Entity(
            collection: CollectionPath("ngsild"),
            id: entity.id,
            values: values,
            version: 1,
            createdAt: created,
            updatedAt: created
        ).document
    }

    /// The short ids (`E1`…) of the documents `filter` matches, in order.
    static func ids(_ filter: Filter) -> [String] {
        documents.filter { Evaluator.matches(filter, $0) }.compactMap { $0["id"]?.stringValue }
            .map { String($0.dropFirst("urn:ngsi-ld:".count)) }
    }
}
