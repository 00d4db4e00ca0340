import EntityQuery
import Testing

struct NGSILDAttributePathTests {
    private func path(_ text: String) throws -> NGSILDAttributePath? {
        try NGSILDQueryParser().parseQuery(text).terms.first?.attribute
    }

    @Test func readsMembersAndSubAttributesAfterDots() throws {
        #expect(
            try path("temperature.observedAt>=2017-12-24T12:00:00Z")
                == NGSILDAttributePath(name: "temperature", memberPath: ["observedAt"])
        )
        #expect(try path("a.b.c==1") == NGSILDAttributePath(name: "a", memberPath: ["b", "c"]))
    }

    @Test func readsTheBracketedPathIntoTheValue() throws {
        #expect(try path(#"address[city]=="Berlin""#) == NGSILDAttributePath(name: "address", valuePath: ["city"]))
        #expect(
            try path("address[street.name]") == NGSILDAttributePath(name: "address", valuePath: ["street", "name"])
        )
        #expect(try path("a.b[c.d]==1") == NGSILDAttributePath(name: "a", memberPath: ["b"], valuePath: ["c", "d"]))
    }

    @Test func aSingleBracketedNameIsALanguageTag() throws {
        #expect(try path(#"name[en]=="Tower""#)?.languageTag == "en")
        #expect(try path("address[street.name]")?.languageTag == nil)
        #expect(try path("name")?.languageTag == nil)
    }

    @Test func readsLinkedEntityPaths() throws {
        #expect(
            try path("locatedIn{population}>1000")
                == NGSILDAttributePath(
                    linkedEntities: [NGSILDLinkedEntityStep(relationship: "locatedIn")],
                    name: "population"
                )
        )
        #expect(
            try path("a{T1,T2:b{c.d[x]}}==1")
                == NGSILDAttributePath(
                    linkedEntities: [
                        NGSILDLinkedEntityStep(relationship: "a", entityTypes: ["T1", "T2"]),
                        NGSILDLinkedEntityStep(relationship: "b"),
                    ],
                    name: "c",
                    memberPath: ["d"],
                    valuePath: ["x"]
                )
        )
        #expect(
            try path("locatedIn{City:population}")
                == NGSILDAttributePath(
                    linkedEntities: [NGSILDLinkedEntityStep(relationship: "locatedIn", entityTypes: ["City"])],
                    name: "population"
                )
        )
    }

    @Test func acceptsLettersAndDigitsOfEveryScript() throws {
        #expect(try path("température>20")?.name == "température")
        #expect(try path(#"名前=="x""#)?.name == "名前")
        #expect(try path("a1_b2==1")?.name == "a1_b2")
        #expect(try path("x٣==1")?.name == "x٣")
    }
}
