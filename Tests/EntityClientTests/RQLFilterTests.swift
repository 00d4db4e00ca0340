import EntityClient
import Foundation
import Testing

@Suite struct RQLFilterTests {
    @Test func comparisonsRenderAsRQLCalls() {
        #expect((R.status == "published").rql == "eq(status,'published')")
        #expect((R.status != "draft").rql == "ne(status,'draft')")
        #expect((R.price < 10).rql == "lt(price,10)")
        #expect((R.price <= 10).rql == "le(price,10)")
        #expect((R.price > 10).rql == "gt(price,10)")
        #expect((R.price >= 10).rql == "ge(price,10)")
        #expect(R.status.in(["a", "b"]).rql == "in(status,('a','b'))")
        #expect(R.n.out([1, 2, 3]).rql == "out(n,(1,2,3))")
        #expect(R.name.like("Desk*").rql == "like(name,'Desk%2A')")
        #expect(R.name.ilike("*lamp").rql == "ilike(name,'%2Alamp')")
        #expect(R.tags.isEmpty.rql == "eq(tags,empty())")
        #expect(R.tags.isNotEmpty.rql == "ne(tags,empty())")
    }

    @Test func fieldsAreDotPaths() {
        #expect((R.address.city == "Oslo").rql == "eq(address.city,'Oslo')")
        #expect((R["address.city"] == "Oslo").rql == "eq(address.city,'Oslo')")
        #expect((R.address["geo.lat"] > 59).rql == "gt(address.geo.lat,59)")
        #expect((R["in"] == 1).rql == "eq(in,1)")
        #expect(R.a.b.c.path == ["a", "b", "c"])
    }

    @Test func nilMeansNull() {
        let missing: String? = nil
        let present: String? = "x"
        #expect((R.deletedAt == nil).rql == "eq(deletedAt,null())")
        #expect((R.deletedAt != nil).rql == "ne(deletedAt,null())")
        #expect((R.a == missing).rql == "eq(a,null())")
        #expect((R.a == present).rql == "eq(a,'x')")
        #expect(R.a.isNull == (R.a == nil))
    }

    @Test(
        arguments: [
            ("published", "'published'"),
            ("10", "'10'"),
            ("true", "'true'"),
            ("null()", "'null%28%29'"),
            ("a,b", "'a%2Cb'"),
            ("Desk (oak)", "'Desk%20%28oak%29'"),
            ("O'Brien", "'O%27%27Brien'"),
            ("say \"hi\"", "'say%20%22hi%22'"),
            ("a&b=c", "'a%26b%3Dc'"),
            ("100%", "'100%25'"),
            ("1+1", "'1%2B1'"),
            ("#x", "'%23x'"),
            ("é ✓", "'%C3%A9%20%E2%9C%93'"),
            ("a-b_c.d~e:f", "'a-b_c.d~e:f'"),
            ("", "''"),
        ]
    )
    func stringsAreQuotedAndEncodedSoTheyNeverChangeTheQuery(value: String, rendered: String) {
        #expect(value.rqlValue == rendered)
        #expect(Substring(value).rqlValue == rendered)
        #expect((R.name == value).rql == "eq(name,\(rendered))")
    }

    @Test func otherValuesRenderBare() throws {
        #expect(42.rqlValue == "42")
        #expect(Int64(-7).rqlValue == "-7")
        #expect(1.5.rqlValue == "1.5")
        #expect(1e20.rqlValue == "1e%2B20")
        #expect(try #require(Decimal(string: "19.99")).rqlValue == "19.99")
        #expect(true.rqlValue == "true")
        #expect(false.rqlValue == "false")
        #expect(Date(timeIntervalSince1970: 1_704_164_645.5).rqlValue == "2024-01-02T03:04:05.500Z")
    }

    @Test func chainsOfAndAreFlattened() {
        let a = R.a == 1
        let b = R.b == 2
        let c = R.c == 3
        let d = R.d == 4
        #expect((a && b).rql == "and(eq(a,1),eq(b,2))")
        #expect((a && b && c).rql == "and(eq(a,1),eq(b,2),eq(c,3))")
        #expect(((a && b) && (c && d)).rql == "and(eq(a,1),eq(b,2),eq(c,3),eq(d,4))")
        #expect((a || b || c).rql == "or(eq(a,1),eq(b,2),eq(c,3))")
    }

    @Test func differentOperatorsNestInsteadOfFlattening() {
        let a = R.a == 1
        let b = R.b == 2
        let c = R.c == 3
        #expect(((a || b) && c).rql == "and(or(eq(a,1),eq(b,2)),eq(c,3))")
        #expect((a && b || c).rql == "or(and(eq(a,1),eq(b,2)),eq(c,3))")
        #expect((!(a && b) && c).rql == "and(not(and(eq(a,1),eq(b,2))),eq(c,3))")
        #expect((!a).rql == "not(eq(a,1))")
        #expect((!(!a)).rql == "not(not(eq(a,1)))")
    }

    @Test func onlyAWholeAndCallIsFlattened() {
        let c = R.c == 3
        #expect((RQLFilter(rql: "and(eq(a,')'),eq(b,1))") && c).rql == "and(eq(a,')'),eq(b,1),eq(c,3))")
        #expect((RQLFilter(rql: "and(eq(a,1))&and(eq(b,2))") && c).rql == "and(and(eq(a,1))&and(eq(b,2)),eq(c,3))")
        #expect((RQLFilter(rql: "andromeda(x)") && c).rql == "and(andromeda(x),eq(c,3))")
        #expect((RQLFilter(rql: "or(eq(a,1),eq(b,2))") && c).rql == "and(or(eq(a,1),eq(b,2)),eq(c,3))")
    }

    @Test func rqlTextIsEncodedAsAFilterStringIs() {
        #expect(RQLFilter(rql: "eq(status,published)").rql == "eq(status,published)")
        #expect(RQLFilter(rql: "eq(name,a b)").rql == "eq(name,a%20b)")
        #expect(RQLFilter(rql: "eq(name,'O''Brien')").description == "eq(name,'O''Brien')")
        #expect(RQLFilter(rql: "eq(name,é)").rql == "eq(name,%C3%A9)")
    }

    @Test func allCombinesAListOfFilters() {
        let a = R.a == 1
        let b = R.b == 2
        let c = R.c == 3
        #expect(RQLFilter.all([]) == nil)
        #expect(RQLFilter.all([a]) == a)
        #expect(RQLFilter.all([a, b, c])?.rql == "and(eq(a,1),eq(b,2),eq(c,3))")
    }
}
