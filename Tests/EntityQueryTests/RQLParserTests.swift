import EntityModel
import EntityQuery
import Testing

private func bare(_ text: String) -> QueryValue { .literal(text, quoted: false) }
private func quoted(_ text: String) -> QueryValue { .literal(text, quoted: true) }
private func eq(_ path: FieldPath, _ text: String) -> Filter { .compare(path, .eq, bare(text)) }

struct RQLParserTests {
    static let queryStrings: [(String, RQLRequest)] = [
        (
            "select(id,name)&eq(status,published)&ordering(-created)&limit=100&offset=0",
            RQLRequest(
                filter: eq("status", "published"),
                sort: [SortKey("created", descending: true)],
                projection: Projection(include: ["id", "name"]),
                limit: 100,
                offset: 0
            )
        ),
        (
            "?select(a,-b.c)&eq(a,1)&eq(b,2)&ordering(-created,name)&limit=10&offset=20&search=red+car",
            RQLRequest(
                filter: .and([eq("a", "1"), eq("b", "2")]),
                sort: [SortKey("created", descending: true), SortKey("name")],
                projection: Projection(include: ["a"], exclude: ["b.c"]),
                search: "red car",
                limit: 10,
                offset: 20
            )
        ),
        ("sort(+name,-price)", RQLRequest(sort: [SortKey("name"), SortKey("price", descending: true)])),
        ("select(-_meta)", RQLRequest(projection: Projection(exclude: ["_meta"]))),
        ("limit=0", RQLRequest(limit: 0)),
        ("search=red%20car", RQLRequest(search: "red car")),
        ("search=a%2Bb+c", RQLRequest(search: "a+b c")),
        ("search=", RQLRequest()),
        ("search=foo(bar&limit=5", RQLRequest(search: "foo(bar", limit: 5)),
        ("status=published", RQLRequest(filter: eq("status", "published"))),
        ("a.b=1&limit=2", RQLRequest(filter: eq("a.b", "1"), limit: 2)),
        ("name=%22x,y%22", RQLRequest(filter: .compare("name", .eq, quoted("x,y")))),
        ("name=f(x),y", RQLRequest(filter: eq("name", "f(x),y"))),
        ("status=null()", RQLRequest(filter: .isNull("status", negated: false))),
        ("status=empty()", RQLRequest(filter: .compare("status", .eq, .empty))),
        ("status=empty()&limit=1", RQLRequest(filter: .compare("status", .eq, .empty), limit: 1)),
        ("eq(a,1)&&limit=5&", RQLRequest(filter: eq("a", "1"), limit: 5)),
        ("", RQLRequest()),
        ("eq(name,O'Brien)&limit=1", RQLRequest(filter: eq("name", "O'Brien"), limit: 1)),
        ("eq(name,\"x&y\")&limit=1", RQLRequest(filter: .compare("name", .eq, quoted("x&y")), limit: 1)),
        ("eq(name,'a)b')&limit=1", RQLRequest(filter: .compare("name", .eq, quoted("a)b")), limit: 1)),
        ("eq(city,%27s-Hertogenbosch)&limit=1", RQLRequest(filter: eq("city", "'s-Hertogenbosch"), limit: 1)),
    ]

    @Test(arguments: queryStrings)
    func parsesQueryStrings(queryString: String, expected: RQLRequest) throws {
        #expect(try RQLParser().parse(queryString: queryString) == expected)
    }

    static let expressions: [(String, Filter)] = [
        ("eq(status,published)", eq("status", "published")),
        ("ne(a,1)", .compare("a", .ne, bare("1"))),
        ("lt(a,1)", .compare("a", .lt, bare("1"))),
        ("le(a,1)", .compare("a", .le, bare("1"))),
        ("gt(a,1)", .compare("a", .gt, bare("1"))),
        ("ge(a,1)", .compare("a", .ge, bare("1"))),
        ("like(name,Wid*)", .pattern("name", "Wid*", caseInsensitive: false)),
        ("ilike(name,*get)", .pattern("name", "*get", caseInsensitive: true)),
        ("in(status,(draft,published))", .membership("status", [bare("draft"), bare("published")], negated: false)),
        ("out(status,(draft))", .membership("status", [bare("draft")], negated: true)),
        ("in(status,draft,published)", .membership("status", [bare("draft"), bare("published")], negated: false)),
        ("in(status,())", .membership("status", [], negated: false)),
        ("in(name,(\"a,b\",'c'))", .membership("name", [quoted("a,b"), quoted("c")], negated: false)),
        ("eq(f,null())", .isNull("f", negated: false)),
        ("ne(f,null())", .isNull("f", negated: true)),
        ("eq(f,empty())", .compare("f", .eq, .json(.string("")))),
        ("ne(f,empty())", .compare("f", .ne, .json(.string("")))),
        ("eq(a.b,empty())", .compare("a.b", .eq, .empty)),
        ("not(eq(f,empty()))", .not(.compare("f", .eq, .empty))),
        ("in(f,(x,empty()))", .membership("f", [bare("x"), .empty], negated: false)),
        ("out(f,empty())", .membership("f", [.empty], negated: true)),
        ("eq(f,%22empty()%22)", .compare("f", .eq, quoted("empty()"))),
        ("eq(f,empty%28%29)", eq("f", "empty()")),
        ("eq(f,'')", .compare("f", .eq, quoted(""))),
        ("eq(f,%22null()%22)", .compare("f", .eq, quoted("null()"))),
        ("eq(f,null%28%29)", eq("f", "null()")),
        ("not(and(or(eq(a,1),eq(b,2))))", .not(.and([.or([eq("a", "1"), eq("b", "2")])]))),
        ("and(eq(a,1))", .and([eq("a", "1")])),
        ("or(eq(a,1),eq(b,2),eq(c,3))", .or([eq("a", "1"), eq("b", "2"), eq("c", "3")])),
        ("and(eq(a,1), eq(b,2))", .and([eq("a", "1"), eq("b", "2")])),
        ("eq(asset.tiers.customer.name,Acme)", eq("asset.tiers.customer.name", "Acme")),
        ("eq(name,\"a,b\")", .compare("name", .eq, quoted("a,b"))),
        ("eq(name,'a b')", .compare("name", .eq, quoted("a b"))),
        ("eq(name,%22a,b%22)", .compare("name", .eq, quoted("a,b"))),
        ("eq(name,%27a%20b%27)", .compare("name", .eq, quoted("a b"))),
        ("eq(name,'it''s')", .compare("name", .eq, quoted("it's"))),
        ("eq(name,\"\")", .compare("name", .eq, quoted(""))),
        ("eq(city,'s-Hertogenbosch)", eq("city", "'s-Hertogenbosch")),
        ("eq(a,\"b)", eq("a", "\"b")),
        ("eq(a,\"b\"c)", eq("a", "\"b\"c")),
        ("eq(a,'x'')", eq("a", "'x''")),
        ("in(a,('x','y''z'))", .membership("a", [quoted("x"), quoted("y'z")], negated: false)),
        ("eq(name,)", eq("name", "")),
        ("eq(name,a%2Cb)", eq("name", "a,b")),
        ("eq(name,%28x%29%26y)", eq("name", "(x)&y")),
        ("eq(name,caf%C3%A9)", eq("name", "café")),
        ("eq(name,café)", eq("name", "café")),
        ("eq(discount,100%)", eq("discount", "100%")),
        ("eq(discount,5%zz)", eq("discount", "5%zz")),
        ("eq(name,a+b)", eq("name", "a+b")),
        ("ge(released,2024-01-02T10:00:00+00:00)", .compare("released", .ge, bare("2024-01-02T10:00:00+00:00"))),
        ("ge(released,2024-01-02T10:00:00%2B00:00)", .compare("released", .ge, bare("2024-01-02T10:00:00+00:00"))),
        ("eq(a%2Eb,1)", eq("a.b", "1")),
        ("eq(a,1)&eq(b,2)", .and([eq("a", "1"), eq("b", "2")])),
        ("status=published", eq("status", "published")),
    ]

    @Test(arguments: expressions)
    func parsesFilterExpressions(text: String, expected: Filter) throws {
        #expect(try RQLParser().parseFilter(text) == expected)
    }

    @Test(arguments: expressions.filter { !$0.0.contains("=") })
    func acceptsTheSameExpressionsInAQueryString(text: String, expected: Filter) throws {
        #expect(try RQLParser().parse(queryString: text).filter == expected)
    }

    @Test func acceptsNestingUpToTheMaximumDepth() throws {
        let text = String(repeating: "not(", count: 31) + "eq(a,1)" + String(repeating: ")", count: 31)
        var expected: Filter = eq("a", "1")
        for _ in 0..<31 { expected = .not(expected) }
        #expect(try RQLParser().parseFilter(text) == expected)
    }

    @Test func turnsARequestIntoAQueryWithDefaults() throws {
        let query = try RQLParser().parse(queryString: "eq(a,1)&offset=5").query(defaultLimit: 100)
        #expect(query == Query(filter: eq("a", "1"), limit: 100, offset: 5))
    }
}
