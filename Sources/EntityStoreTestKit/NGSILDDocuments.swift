import EntityModel
import EntityStore

/// Entities in the stored NGSI-LD shape (normalized attributes, one instance as an object, several
/// as an array), with the traps of the NGSI-LD filter nodes: a string ending in a line break, a
/// number where a string could be, nested arrays, strings that look like JSON, dates with offsets
/// and fractions, impossible dates and dates without offset.
let ngsildDocuments: [(String, String)] = [
    (
        "b1",
        #"""
        {"type":"Building","scope":"/Madrid/Gardens",
         "name":{"type":"Property","value":"Eiffel Tower"},
         "speed":[{"type":"Property","value":55,"datasetId":"urn:gps"},{"type":"Property","value":54.5}],
         "label":{"type":"LanguageProperty","languageMap":{"en":"Tower","fr":"Tour"}},
         "airQualityLevel":{"type":"Property","value":4,"observedAt":"2020-09-09T16:40:00.000Z",
           "hasWeatherObserved":{"type":"Relationship","object":"urn:ngsi-ld:Sensor:43a1"}},
         "tags":{"type":"Property","value":["red","blue"]}}
        """#
    ),
    (
        "b2",
        #"""
        {"type":["Building","Landmark"],"scope":["/a","/b/c"],
         "name":{"type":"Property","value":"Pisa Tower\n"},
         "speed":{"type":"Property","value":30},
         "label":{"type":"LanguageProperty","languageMap":{"en":"Leaning"}},
         "airQualityLevel":{"type":"Property","value":"4","observedAt":"2020-09-09T18:39:59.999+02:00"},
         "tags":{"type":"Property","value":[["red"],"green"]}}
        """#
    ),
    (
        "b3",
        #"""
        {"type":"Vehicle",
         "name":{"type":"Property","value":42},
         "speed":[{"type":"Property","value":[60,70]}],
         "airQualityLevel":[{"type":"Property","value":7,"observedAt":"2020-09-09T16:40:00.5Z"},
                            {"type":"Property","value":1,"observedAt":"not a date"}],
         "label":{"type":"Property","value":"Tower"}}
        """#
    ),
    (
        "b4",
        #"""
        {"name":null,"speed":[],"weird":["{\"k\":1}",{"k":2}],
         "impossible":"2021-02-29T00:00:00Z","when":"2020-09-09T16:40:00Z","local":"2020-09-09T16:40:00",
         "early":"0001-01-01T00:30:00+01:00","long":"2020-09-09T16:40:00.1234567890123Z"}
        """#
    ),
]

/// A fresh store holding ``ngsildDocuments`` in `products`.
func ngsildStore(_ makeStore: StoreFactory) async throws -> any EntityStore {
    let store = try await freshStore(makeStore)
    try await store.insert(ngsildDocuments.map { entity($0.0, object($0.1)) })
    return store
}
