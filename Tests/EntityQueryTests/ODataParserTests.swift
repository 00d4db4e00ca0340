import EntityQuery
import Testing

struct ODataParserTests {
    static let parser: ODataParser = {
        var names = ODataNameModel()
        names.entitySetNames = ["Products"]
        names.entityTypeNames = ["Products"]
        names.primitiveKeyProperties = ["ID"]
        names.primitiveNonKeyProperties = ["Name", "Price", "Created"]
        return ODataParser(names: names)
    }()

    @Test func readsPythonODataStyleQueries() throws {
        let options = try Self.parser.parseQuery(
            "%24top=3&%24filter=%28Name%20eq%20%27O%27%27Brien%27%29%20and%20%28Price%20gt%202%29&%24orderby=Price%20desc"
        )
        #expect(options.top == 3)
        #expect(options.orderby?.first?.descending == true)
        guard case .binary(.and, let left, _)? = options.filter?.kind,
            case .binary(.eq, _, let literal) = left.kind
        else {
            Issue.record("unexpected tree \(String(describing: options.filter))")
            return
        }
        #expect(literal.kind == .literal(.string("O'Brien")))
    }

    @Test func readsOptionNamesInAnyCaseWithOrWithoutDollar() throws {
        let options = try Self.parser.parseQuery("FILTER=Price+gt+2&$Top=1&skip=4")
        #expect(options.top == 1)
        #expect(options.skip == 4)
        #expect(options.filter != nil)
    }

    @Test func readsDateTimesWithoutOffsetAsUTCAndASpaceAsPlus() throws {
        let naive = try Self.parser.parseFilter("Created ge 2024-01-02T00:00:00")
        let spaced = try Self.parser.parseFilter("Created ge 2024-01-02T10:00:00+01:00")
        guard case .binary(_, _, let first) = naive.kind, case .binary(_, _, let second) = spaced.kind else {
            Issue.record("expected comparisons")
            return
        }
        #expect(first.kind == .literal(.dateTimeOffset("2024-01-02T00:00:00Z")))
        #expect(second.kind == .literal(.dateTimeOffset("2024-01-02T10:00:00+01:00")))
    }

    @Test func reportsTheFarthestPositionAndTheOption() throws {
        #expect {
            try Self.parser.parseQuery("$top=1&$filter=contains(Name,'x'")
        } throws: { error in
            guard let error = error as? ODataQueryError else { return false }
            return error.position == 32 && error.option == "$filter"
                && error.description == "expected ')' at position 32 in $filter"
        }
    }

    @Test func rejectsRepeatedSystemOptionsAndUnknownDollarOptions() {
        #expect { try Self.parser.parseQuery("$top=1&$top=2") } throws: {
            ($0 as? ODataQueryError)?.code == .duplicateOption
        }
        #expect { try Self.parser.parseQuery("$foo=1") } throws: { ($0 as? ODataQueryError)?.code == .unknownName }
    }

    @Test func limitsNestingAndKeepsLongListsIterative() throws {
        let deep = String(repeating: "(", count: 10_000) + "Price gt 1" + String(repeating: ")", count: 10_000)
        #expect { try Self.parser.parseFilter(deep) } throws: { ($0 as? ODataQueryError)?.code == .tooDeep }
        let list = (0..<20_000).map(String.init).joined(separator: ",")
        let filter = try ODataParser(names: Self.parser.names, maximumLength: 1 << 20).parseFilter("Price in (\(list))")
        guard case .in(_, let right) = filter.kind, case .list(let items) = right.kind else {
            Issue.record("expected in")
            return
        }
        #expect(items.count == 20_000)
    }

    @Test func parsesKeysAndPathsOfResources() throws {
        let uri = try Self.parser.parseRelativeURI("Products('a%2Fb')/Name/$value?$format=json")
        #expect(
            uri.resource
                == .path([
                    .entitySet("Products"),
                    .key(ODataKey(values: [ODataKeyValue(name: nil, value: .literal(.string("a/b")), position: 9)])),
                    .property("Name", .primitive), .value,
                ])
        )
    }

    /// `Set('key')` with a plain key is read by a shortcut: it must give what the grammar gives, and
    /// leave everything else (escapes, other shapes, unknown sets, errors) to the grammar.
    @Test(arguments: [
        "Products('P1')", "Products('01KAT9Z7X')", "Products('PRD-123-456')", "Products('urn:ngsi-ld:Car:1')",
        "Products('a.b~c_d')", "Products('')", "Products('a%2Fb')", "Products('it''s')", "Products(1)",
        "Products('P1')/Name", "Products('P1')?$select=Name", "Nope('P1')", "Products('P1'", "1Products('P1')",
        "Products('P 1')", "Products('P+1')", "Products()", "Products('P1'))",
    ])
    func readsPlainKeysAsTheGrammarDoes(_ text: String) {
        var grammar = Self.parser
        grammar.readsPlainKeysDirectly = false
        #expect(
            Result { () throws(ODataQueryError) in try Self.parser.parseRelativeURI(text) }
                == Result { () throws(ODataQueryError) in try grammar.parseRelativeURI(text) }
        )
    }

    @Test func parsesPreferences() throws {
        #expect(
            try Self.parser.parsePreferences("return=minimal, odata.maxpagesize=20,foo")
                == [.returnRepresentation(false), .maxPageSize(20), .other(name: "foo", value: nil)]
        )
    }
}
