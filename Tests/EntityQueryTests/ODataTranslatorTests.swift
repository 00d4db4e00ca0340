import EntityModel
import EntityQuery
import Testing

struct ODataTranslatorTests {
    static let schemaText = """
        {"collections": {"categories": {"strict": true, "fields": {"title": {"type": "string", "required": true}}},
         "products": {"fields": {"name": {"type": "string", "required": true}, "price": {"type": "decimal"},
           "stock": {"type": "integer"}, "active": {"type": "boolean"}, "created": {"type": "datetime"},
           "tags": {"type": "array", "items": {"type": "string"}},
           "categoryId": {"type": "reference", "collection": "categories", "navigation": "category",
             "inverse": "products"}}}}}
        """

    static func fixture() throws -> (ODataParser, ODataTranslator) {
        let schema = try Schema(json: try JSON(parsing: schemaText))
        let model = try ODataModel(schema: schema)
        return (ODataParser(names: ODataNameModel(model)), ODataTranslator(model: model))
    }

    static func filter(_ text: String, on entityType: String = "products") throws -> Filter {
        let (parser, translator) = try fixture()
        return try translator.filter(parser.parseFilter(text), on: entityType)
    }

    @Test func comparesAPropertyWithALiteral() throws {
        #expect(try Self.filter("price gt 2") == .compare("price", .gt, .json(.integer(2))))
        #expect(try Self.filter("name eq null") == .isNull("name", negated: false))
    }

    @Test func andsAndOrsNest() throws {
        let filter = try Self.filter("(price gt 2) and (stock lt 5) and (name ne 'x')")
        guard case .and(let children) = filter else {
            Issue.record("expected an and, got \(filter)")
            return
        }
        #expect(children.count == 3)
    }

    @Test func followsASingleNavigation() throws {
        let filter = try Self.filter("category/title eq 'Tools'")
        guard case .related(let relation, let inner) = filter else {
            Issue.record("expected related, got \(filter)")
            return
        }
        #expect(relation.link == .reference("categoryId"))
        #expect(relation.target == CollectionPath("categories"))
        #expect(inner == .compare("title", .eq, .json(.string("Tools"))))
    }

    @Test func turnsLambdasIntoElementAndRelationTests() throws {
        let tags = try Self.filter("tags/any(t: t eq 'red')")
        #expect(tags == .anyElement("tags", .arrayElements, where: .compare(.root, .eq, .json(.string("red")))))
        let all = try Self.filter("tags/all(t: t ne 'x')")
        guard case .not(.anyElement(_, _, where: .not)) = all else {
            Issue.record("all should be not(any(not …)), got \(all)")
            return
        }
    }

    @Test func stringFunctionsAndArithmetic() throws {
        #expect(
            try Self.filter("contains(name,'ol')")
                == .stringTest(.contains, .field("name"), .literal(.string("ol")))
        )
        #expect(
            try Self.filter("price add 1 gt 3")
                == .compareValues(
                    .arithmetic(.add, .field("price"), .literal(.integer(1))),
                    .gt,
                    .literal(.integer(3))
                )
        )
    }

    @Test(arguments: [
        ("name eq 1", 8),
        ("price eq 'x'", 9),
        ("price add 'x' gt 1", 10),
        ("active eq 1", 10),
        ("stock div 0 gt 1", 10),
        ("created gt 'yesterday'", 11),
    ])
    func rejectsTypeMismatchesAtTheOperand(text: String, position: Int) throws {
        #expect {
            try Self.filter(text)
        } throws: { error in
            guard let error = error as? ODataQueryError else { return false }
            return error.code == .typeMismatch && error.position == position
        }
    }

    @Test func rejectsUnknownPropertiesAndUnsupportedFeatures() throws {
        #expect { try Self.filter("colour eq 'red'", on: "categories") } throws: {
            ($0 as? ODataQueryError)?.code == .unknownName
        }
        // Open types take undeclared (dynamic) properties.
        #expect(try Self.filter("colour eq 'red'") == .compare("colour", .eq, .json(.string("red"))))
        #expect {
            try Self.filter("geo.distance(name,name) lt 1")
        } throws: { ($0 as? ODataQueryError)?.code == .unsupported }
    }

    @Test func substitutesAliases() throws {
        let (parser, translator) = try Self.fixture()
        let options = try parser.parseQuery("$filter=price%20gt%20@p&@p=3")
        let filter = try translator.filter(options.filter!, on: "products", aliases: options.aliases)
        #expect(filter == .compare("price", .gt, .json(.integer(3))))
    }

    @Test func sortsAndSelectsByProperty() throws {
        let (parser, translator) = try Self.fixture()
        let options = try parser.parseQuery("$orderby=price desc,name&$select=name,price")
        #expect(
            try translator.sortKeys(options.orderby!, on: "products")
                == [SortKey("price", descending: true), SortKey("name")]
        )
        #expect(try translator.projection(options.select!, on: "products")?.include == ["name", "price"])
    }

    @Test(arguments: [
        ("tea", Filter.search("tea")),
        ("\"green tea\"", .search("green tea")),
        ("tea coffee", .and([.search("tea"), .search("coffee")])),
        ("tea AND coffee AND milk", .and([.search("tea"), .search("coffee"), .search("milk")])),
        ("tea OR coffee OR milk", .or([.search("tea"), .search("coffee"), .search("milk")])),
        ("NOT decaf", .not(.search("decaf"))),
        (
            "(tea OR coffee) AND NOT \"green tea\"",
            .and([.or([.search("tea"), .search("coffee")]), .not(.search("green tea"))])
        ),
        ("tea OR coffee milk", .or([.search("tea"), .and([.search("coffee"), .search("milk")])])),
        ("NOT (tea OR coffee)", .not(.or([.search("tea"), .search("coffee")]))),
    ])
    func translatesSearchToSearchNodes(text: String, expected: Filter) throws {
        let (parser, translator) = try Self.fixture()
        #expect(translator.searchFilter(try parser.parseSearch(text)) == expected)
    }

    @Test func searchFilterMatchesByWordPrefixes() throws {
        let (parser, translator) = try Self.fixture()
        let filter = translator.searchFilter(try parser.parseSearch("(tea OR coffee) AND NOT \"green tea\""))
        let matching: [JSON] = [["id": "1", "name": "Black tea"], ["id": "2", "name": "Coffee", "note": "Green"]]
        let failing: [JSON] = [["id": "3", "name": "Tea, green"], ["id": "4", "name": "Cocoa"], ["id": "5", "n": 1]]
        for document in matching { #expect(Evaluator.matches(filter, document)) }
        for document in failing { #expect(!Evaluator.matches(filter, document)) }
        // Only the declared search fields count.
        #expect(!Evaluator.matches(filter, ["id": "6", "name": "Milk", "note": "tea"], searchFields: ["name"]))
    }
}
