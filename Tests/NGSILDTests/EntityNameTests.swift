import EntityModel
import NGSILD
import Testing

struct EntityNameTests {
    let core = ActiveContext.core
    let vocabulary = CoreContext.defaultVocabulary

    @Test func keywordsAreAcceptedForIdAndType() throws {
        let expanded = try core.expandEntity(["@id": "urn:ngsi-ld:T:1", "@type": ["A", "B"], "@context": "x"])
        #expect(expanded == ["id": "urn:ngsi-ld:T:1", "type": [.string(vocabulary + "A"), .string(vocabulary + "B")]])
    }

    @Test func anIdGivenTwiceIsRefused() {
        let error = #expect(throws: NGSILDError.self) {
            try core.expandEntity(["@id": "urn:a", "id": "urn:b", "type": "T"])
        }
        #expect(error?.code == .invalidDocument)
    }

    @Test func twoNamesForOneIRIAreRefused() {
        let error = #expect(throws: NGSILDError.self) {
            try core.expandEntity([
                "id": "urn:a", "type": "T", "speed": ["type": "Property", "value": 1],
                "ngsi-ld:default-context/speed": ["type": "Property", "value": 2],
            ])
        }
        #expect(error?.message.contains(vocabulary + "speed") == true)
    }

    @Test(arguments: [
        #"{"id": "urn:a", "type": 3}"#, #"{"id": "urn:a", "type": ["A", 3]}"#, #"[1]"#,
        #"{"id": "urn:a", "type": "T", "a": {"type": "VocabProperty", "vocab": {"x": 1}}}"#,
        #"{"id": "urn:a", "type": "T", "bad name": {"type": "Property", "value": 1}}"#,
        #"{"id": "urn:a", "type": "@foo"}"#,
    ])
    func malformedEntitiesAreRefused(text: String) throws {
        let entity = try JSON(parsing: text)
        #expect(throws: NGSILDError.self) { try core.expandEntity(entity) }
    }

    @Test func subAttributesVocabAndObjectTypeValuesAreExpanded() throws {
        let entity: JSON = [
            "id": "urn:a", "type": "T",
            "state": ["type": "VocabProperty", "vocab": "Open", "openedBy": ["type": "Property", "value": "x"]],
            "owner": ["type": "Relationship", "object": "urn:p", "objectType": ["Person", "ngsi-ld:Agent"]],
            "speed": [["type": "Property", "value": 1, "datasetId": "urn:d"], ["type": "Property", "value": 2]],
        ]
        let expanded = try core.expandEntity(entity)
        let state = try #require(expanded[vocabulary + "state"])
        #expect(state["vocab"] == .string(vocabulary + "Open"))
        #expect(state[vocabulary + "openedBy"] == ["type": "Property", "value": "x"])
        let owner = try #require(expanded[vocabulary + "owner"])
        #expect(owner["objectType"] == [.string(vocabulary + "Person"), "https://uri.etsi.org/ngsi-ld/Agent"])
        #expect(expanded[vocabulary + "speed"] == entity["speed"])
        #expect(try core.compactEntity(expanded) == entity)
    }

    @Test func attributeValuesKeepTheirExactNumbers() throws {
        let entity = try JSON(
            parsing: #"{"id":"urn:a","type":"T","p":{"type":"Property","value":{"n":19.990,"big":9007199254740993}}}"#
        )
        let expanded = try core.expandEntity(entity)
        #expect(expanded[vocabulary + "p"]?["value"]?.serialized() == #"{"big":9007199254740993,"n":19.990}"#)
    }
}
