import EntityQuery
import Testing

struct RQLParserErrorTests {
    static let malformed: [(String, RQLError.Code, Int)] = [
        ("foo(a,b)", .unknownOperator, 0),
        ("eq(a,1)&foo(b)", .unknownOperator, 8),
        ("and(eq(a,1),select(b))", .unknownOperator, 12),
        ("EQ(a,1)", .unknownOperator, 0),
        ("eq(status,published", .syntax, 19),
        ("eq(a,b)x", .syntax, 7),
        ("eq(a,b))&limit=1", .syntax, 7),
        ("eq(a)", .syntax, 4),
        ("eq(a,b,c)", .syntax, 6),
        ("(a,b)", .syntax, 0),
        ("and()", .syntax, 4),
        ("and(eq(a,1) eq(b,2))", .syntax, 12),
        ("not(eq(a,1),eq(b,2))", .syntax, 11),
        ("in(a,(1,2)", .syntax, 10),
        ("eq(a,'b,c)", .syntax, 7),
        ("eq(a,b(c))", .syntax, 6),
        ("eq(a,\"b\"(c))", .syntax, 8),
        ("eq(,b)", .invalidField, 3),
        ("eq(a..b,1)", .invalidField, 3),
        ("eq(.a,1)", .invalidField, 3),
        ("select()", .invalidField, 7),
        ("select(a,-)", .invalidField, 10),
        ("ordering(a,)", .invalidField, 11),
        ("=x", .invalidField, 0),
        ("lt(a,null())", .invalidValue, 5),
        ("like(a,empty())", .invalidValue, 7),
        ("gt(a,empty())", .invalidValue, 5),
        ("le(a,null())&eq(b,empty())", .invalidValue, 5),
        ("ilike(a,null())", .invalidValue, 8),
        ("in(a,(1,null()))", .invalidValue, 8),
        ("eq(a,%FF)", .invalidValue, 5),
        ("limit=-1", .invalidParameter, 6),
        ("limit=abc", .invalidParameter, 6),
        ("limit=", .invalidParameter, 6),
        ("offset=1.5", .invalidParameter, 7),
        ("limit=99999999999999999999999", .invalidParameter, 6),
        ("limit=1&limit=2", .invalidParameter, 8),
        ("select(a)&select(b)", .invalidParameter, 10),
        ("ordering(a)&sort(b)", .invalidParameter, 12),
        ("eq(é,1)x", .syntax, 7),
        ("eq(a%20b,c%2Cd", .syntax, 14),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedQueryStringsAtTheRightPosition(queryString: String, code: RQLError.Code, position: Int) {
        #expect {
            try RQLParser().parse(queryString: queryString)
        } throws: { error in
            guard let error = error as? RQLError else { return false }
            return error.code == code && error.position == position
        }
    }

    @Test func describesAnUnknownOperatorWithTheKnownOnes() {
        #expect(
            describe { try RQLParser().parse(queryString: "foo(a,b)") }
                == "unknown operator 'foo' at position 0; expected one of eq, ne, lt, le, gt, ge, like, ilike, in, out, and, or, not, select, ordering, sort"
        )
        #expect(
            describe { try RQLParser().parseFilter("not(foo(a,b))") }
                == "unknown operator 'foo' at position 4; expected one of eq, ne, lt, le, gt, ge, like, ilike, in, out, and, or, not"
        )
    }

    @Test func describesAMissingParenthesis() {
        #expect(describe { try RQLParser().parse(queryString: "eq(status,published") } == "expected ')' at position 19")
        #expect(
            describe { try RQLParser().parse(queryString: "limit=-1") }
                == "limit must be a non-negative integer, found '-1' at position 6"
        )
    }

    @Test func rejectsNestingDeeperThanTheMaximum() {
        let text = String(repeating: "not(", count: 32) + "eq(a,1)" + String(repeating: ")", count: 32)
        let error = catchError { try RQLParser().parseFilter(text) }
        #expect(error?.code == .tooDeep)
        #expect(error?.position == 128)
        let shallow = catchError { try RQLParser(maximumDepth: 2).parseFilter("not(not(eq(a,1)))") }
        #expect(shallow?.code == .tooDeep)
        #expect(shallow?.position == 8)
    }

    @Test func rejectsHugeNestingWithoutCrashing() {
        let text = String(repeating: "not(", count: 4000) + "eq(a,1)" + String(repeating: ")", count: 4000)
        #expect(catchError { try RQLParser(maximumLength: 100_000).parse(queryString: text) }?.code == .tooDeep)
    }

    @Test func rejectsInputLongerThanTheMaximum() {
        let text = "eq(a," + String(repeating: "x", count: 16_380) + ")"
        #expect(catchError { try RQLParser().parse(queryString: text) }?.code == .tooLong)
        #expect(catchError { try RQLParser(maximumLength: 10).parseFilter("eq(abc,defg)") }?.position == 10)
        #expect(catchError { try RQLParser(maximumLength: 16_386).parse(queryString: text) } == nil)
    }

    @Test func rejectsAnEmptyFilterExpression() {
        #expect(catchError { try RQLParser().parseFilter("") }?.code == .syntax)
    }

    private func catchError<T>(_ body: () throws -> T) -> RQLError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? RQLError
        }
    }

    private func describe<T>(_ body: () throws -> T) -> String? {
        catchError(body)?.description
    }
}
