import EntityModel
import EntityQuery
import NGSILD
import Testing

/// `q` translated to a ``Filter`` and evaluated over stored NGSI-LD documents.
struct QueryFilterTranslationTests {
    static func matches(_ q: String) throws -> [String] {
        let query = try NGSILDQueryParser().parseQuery(q)
        let filter = try QueryFilterFixtures.translator.filter(for: query)
        return QueryFilterFixtures.ids(.and([NGSILDFilterTranslator.isNGSILDEntity, filter]))
    }

    /// The typical expressions of §5.4, and more.
    @Test(arguments: [
        (#"name=="Eiffel Tower""#, ["E1"]),
        (#"name=="Pisa Tower";almostFull==false"#, ["E2"]),
        (#"name=="Pisa Tower"|almostFull==false"#, ["E2", "E3"]),
        (#"(name=="Pisa Tower"|name=="Eiffel Tower");almostFull==false"#, ["E2"]),
        ("airQualityLevel==4", ["E1"]),
        (#"airQualityLevel=="4""#, ["E2"]),
        ("airQualityLevel>=4;airQualityLevel<7", ["E1", "E3"]),
        ("locatedIn==urn:ngsi-ld:City:Pisa", ["E2"]),
        (#"locatedIn=="urn:ngsi-ld:City:Pisa""#, ["E2"]),
        ("locatedIn==urn:ngsi-ld:City:Pisa|locatedIn==urn:ngsi-ld:City:Paris", ["E1", "E2"]),
        ("airQualityLevel==5..9", ["E3"]),
        ("airQualityLevel==4..5", ["E1"]),
        ("airQualityLevel==1,3,5", []),
        ("airQualityLevel==1,4,9", ["E1", "E3"]),
        (#"name~="^Eiffel""#, ["E1"]),
        (#"name~="tower""#, []),
        (#"name!~="Tower""#, ["E3"]),
    ])
    func typicalExpressions(_ q: String, _ expected: [String]) throws {
        #expect(try Self.matches(q) == expected)
    }

    @Test(arguments: [
        // `!=` negates `==` over all instances, and needs the attribute.
        ("airQualityLevel!=4", ["E2", "E3"]),
        ("speed!=55", ["E3"]),
        ("airQualityLevel!=4,6", ["E2"]),
        ("airQualityLevel!=5..9", ["E1", "E2"]),
        // Existence.
        ("address", ["E1"]),
        ("almostFull", ["E1", "E2", "E3"]),
        ("airQualityLevel.observedAt", ["E1", "E3"]),
        ("address[zip]", ["E1"]),
        ("nothing", []),
        ("nothing==1", []),
        ("nothing!=1", []),
    ])
    func unequalAndExistence(_ q: String, _ expected: [String]) throws {
        #expect(try Self.matches(q) == expected)
    }

    @Test(arguments: [
        // Multi-instance attributes, names mapped to stored keys, members of instances.
        ("speed>55", []),
        ("speed>=55", ["E1"]),
        ("speed<55", ["E1", "E3"]),
        (#"speed.datasetId=="urn:ngsi-ld:Dataset:gps""#, ["E1"]),
        (#"airQualityLevel.datasetId=="urn:ngsi-ld:Dataset:b""#, ["E3"]),
        (#"airQualityLevel.unitCode=="C62""#, ["E1"]),
        // Array values: `==` is contains, orderings hold for some element.
        ("airQualityLevel==9", ["E3"]),
        ("airQualityLevel>8", ["E3"]),
        // Sub-attributes, relationships.
        ("airQualityLevel.hasWeatherObserved==urn:ngsi-ld:Sensor:43a1", ["E1"]),
        ("airQualityLevel.hasWeatherObserved", ["E1"]),
        // Language maps: any language, or one.
        (#"label=="Tour""#, ["E1"]),
        (#"label[fr]=="Tour""#, ["E1"]),
        (#"label[en]=="Tour""#, []),
        (#"label~="^Tor""#, ["E2"]),
        // Value paths, vocab (mapped like a type), valueList, json.
        (#"address[city.name]=="Paris""#, ["E1"]),
        (#"address[city]=="Paris""#, []),
        (#"category=="Commercial""#, ["E1"]),
        ("readings==2", ["E3"]),
        ("readings>2", ["E3"]),
        ("readings>3", []),
        (#"config[any]=="json""#, ["E1"]),
    ])
    func instancesMembersAndValues(_ q: String, _ expected: [String]) throws {
        #expect(try Self.matches(q) == expected)
    }

    @Test(arguments: [
        // Instants in time order: offsets, fraction digits, dates stored as {"@type","@value"}.
        ("airQualityLevel.observedAt==2020-09-09T16:40:00Z", ["E1"]),
        ("airQualityLevel.observedAt>=2020-09-09T16:00:00Z", ["E1"]),
        ("airQualityLevel.observedAt<2020-09-09T16:00:00Z", ["E3"]),
        ("airQualityLevel.observedAt==2020-09-09T15:30:00.000Z", ["E3"]),
        ("airQualityLevel.observedAt!=2020-09-09T15:30:00Z", ["E1"]),
        ("airQualityLevel.observedAt==2020-09-09T15:00:00Z..2020-09-09T16:40:00Z", ["E1", "E3"]),
        ("airQualityLevel.createdAt>2026-12-04T02:59:59.999Z", ["E1"]),
        ("inaugurated<1800-01-01T00:00:00Z", ["E2"]),
        ("inaugurated>1800-01-01T00:00:00", ["E1"]),
        // A quoted date-time is a string: compared by its characters.
        (#"airQualityLevel.observedAt=="2020-09-09T16:40:00Z""#, []),
        // Entity-level createdAt / modifiedAt are the entity's metadata.
        ("createdAt>2020-01-01T00:00:00Z", ["E1", "E3", "E4"]),
        ("modifiedAt<2020-01-01T00:00:00Z", ["E2"]),
        ("createdAt==2019-05-01T12:00:00+02:00", ["E2"]),
    ])
    func dateTimesCompareInTimeOrder(_ q: String, _ expected: [String]) throws {
        #expect(try Self.matches(q) == expected)
    }

    @Test func linkedEntityPathsNeedJoin() throws {
        let query = try NGSILDQueryParser().parseQuery("locatedIn{City:population}>1000")
        #expect {
            _ = try QueryFilterFixtures.translator.filter(for: query)
        } throws: { error in
            (error as? NGSILDError)?.code == .badRequestData && "\(error)".contains("join")
        }
    }

    @Test func unmappableNamesFailAsTheMappingSays() throws {
        let query = try NGSILDQueryParser().parseQuery("name==1|unmappable==2")
        #expect(throws: NGSILDError.self) { try QueryFilterFixtures.translator.filter(for: query) }
    }

    @Test func documentsWithoutTypeAreNoEntities() {
        let name = Filter.anyElement("name", .arrayElements, where: .compare("value", .eq, .json("Eiffel Tower")))
        #expect(QueryFilterFixtures.ids(name) == ["E1", "E5"])
        #expect(QueryFilterFixtures.ids(.and([NGSILDFilterTranslator.isNGSILDEntity, name])) == ["E1"])
    }
}
