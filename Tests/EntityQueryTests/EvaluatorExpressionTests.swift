import EntityModel
import EntityQuery
import Testing

@Suite struct EvaluatorExpressionTests {
    private func number(_ text: String) -> ValueExpression { .literal(try! JSON(parsing: text)) }
    private func value(_ expression: ValueExpression, _ document: JSON = [:]) -> JSON {
        Evaluator.value(of: expression, in: document)
    }
    private func equal(_ expression: ValueExpression, _ expected: String, _ document: JSON = [:]) -> Bool {
        Evaluator.matches(.compareValues(expression, .eq, .literal(try! JSON(parsing: expected))), document)
    }

    @Test(arguments: [
        (ArithmeticOperator.add, "7", "2", "9"), (.sub, "7", "2", "5"), (.mul, "7", "2", "14"),
        (.div, "7", "2", "3"), (.div, "-7", "2", "-3"), (.div, "7.0", "2", "3.5"), (.divby, "7", "2", "3.5"),
        (.divby, "1", "3", "0.3333333333333333"), (.divby, "-1", "3", "-0.3333333333333333"),
        (.mod, "7", "2", "1"), (.mod, "-7", "2", "-1"), (.mod, "7", "-2", "1"), (.mod, "5.5", "2", "1.5"),
        (.mod, "-5.5", "2", "-1.5"), (.add, "0.1", "0.2", "0.3"), (.mul, "1.5", "2", "3"),
        (.add, "9007199254740993", "1", "9007199254740994"), (.mul, "9223372036854775807", "2", "18446744073709551614"),
    ])
    func arithmeticIsExactAndIntegerDivisionTruncates(
        _ op: ArithmeticOperator,
        _ lhs: String,
        _ rhs: String,
        _ result: String
    ) {
        #expect(equal(.arithmetic(op, number(lhs), number(rhs)), result))
    }

    @Test(arguments: [
        (ArithmeticOperator.mul, "1e19", "1e19", "1e38"), (.add, "0.00000000000000000001", "0", "1e-20"),
        (.mul, "0.0000000001", "0.0000000001", "1e-20"),
        (.sub, "99999999999999999999", "-1e19", "1.09999999999999999999e20"),
        (.divby, "1e19", "3", "3333333333333333333.3333333333333333"), (.mul, "-12345.678", "1000", "-12345678"),
    ])
    func largeAndSmallNumbersStayExact(_ op: ArithmeticOperator, _ lhs: String, _ rhs: String, _ result: String) {
        #expect(equal(.arithmetic(op, number(lhs), number(rhs)), result))
    }

    @Test func numbersOutOfRangeGiveNull() {
        for operand in ["1e100", "-1e100", "1e400", "1e-101", "0.5e-100"] {
            #expect(value(.arithmetic(.add, number(operand), number("0"))) == .null, "\(operand)")
        }
        for operand in ["9.99e99", "-1e99", "1e-100", "123456789012345678901234567890.123456789012345678901234567890"] {
            #expect(equal(.arithmetic(.add, number(operand), number("0")), operand), "\(operand)")
        }
        #expect(equal(.arithmetic(.add, number("1e-20"), number("1e19")), "10000000000000000000.00000000000000000001"))
        #expect(equal(.arithmetic(.mul, number("9.99e99"), number("9.99e99")), "9.98001e199"))
    }

    @Test func integersStayIntegersAndDecimalsDecimals() {
        // `div` of the results tells the kinds apart: 3 div 2 is 1, 3.0 div 2 is 1.5.
        #expect(equal(.arithmetic(.div, .arithmetic(.mul, number("1.5"), number("2")), number("2")), "1.5"))
        #expect(equal(.arithmetic(.div, .arithmetic(.add, number("1"), number("2")), number("2")), "1"))
        #expect(equal(.arithmetic(.div, number("1.5e1"), number("2")), "7"))
        #expect(equal(.arithmetic(.div, number("2.00e1"), number("3")), "6.6666666666666666"))
        #expect(value(.arithmetic(.mul, number("1.5"), number("2"))) == .number(JSONNumber("3.0")!))
    }

    @Test(arguments: [ArithmeticOperator.div, .divby, .mod])
    func divisionByZeroIsNull(_ op: ArithmeticOperator) {
        #expect(value(.arithmetic(op, number("7"), number("0"))) == .null)
        #expect(value(.arithmetic(op, number("7.5"), number("0.0"))) == .null)
    }

    @Test func nullAndOtherKindsPropagateAsNull() {
        let document: JSON = ["s": "a", "n": .null, "b": true, "big": .number(JSONNumber("1e400")!)]
        for operand: ValueExpression in [.field("missing"), .field("n"), .field("s"), .field("b"), .field("big")] {
            #expect(value(.arithmetic(.add, operand, number("1")), document) == .null)
            #expect(value(.negate(operand), document) == .null)
            #expect(value(.call(.round, [operand]), document) == .null)
        }
        #expect(value(.call(.length, [.field("missing")]), document) == .null)
        #expect(value(.call(.length, [number("5")]), document) == .null)
        #expect(value(.call(.tolower, []), document) == .null)
    }

    @Test func comparisonsFollowOData() {
        let document: JSON = ["n": .null, "x": 10, "s": "10", "t": "2020-09-09T18:40:00+02:00", "a": [1]]
        func holds(_ lhs: ValueExpression, _ op: ComparisonOperator, _ rhs: ValueExpression) -> Bool {
            Evaluator.matches(.compareValues(lhs, op, rhs), document)
        }
        #expect(holds(.field("n"), .eq, .literal(.null)))
        #expect(holds(.field("missing"), .eq, .field("n")))
        #expect(!holds(.field("missing"), .ne, .literal(.null)))
        #expect(!holds(.field("x"), .eq, .literal(.null)))
        #expect(holds(.field("x"), .ne, .literal(.null)))
        #expect(!holds(.field("n"), .le, .literal(.null)))
        #expect(holds(.field("x"), .eq, number("10.0")))
        #expect(!holds(.field("x"), .eq, .field("s")))
        #expect(holds(.field("x"), .ne, .field("s")))
        #expect(!holds(.field("x"), .lt, .field("s")) && !holds(.field("x"), .ge, .field("s")))
        #expect(holds(.field("t"), .eq, .literal("2020-09-09T16:40:00.000Z")))
        #expect(holds(.literal("B"), .lt, .literal("a")))
        #expect(holds(.literal(false), .lt, .literal(true)))
        #expect(!holds(.field("a"), .eq, .field("a")))
    }

    @Test func stringFunctionsCountCodePoints() {
        let document: JSON = ["s": "  Crème Brûlée  ", "e": "e\u{301}"]
        #expect(value(.call(.trim, [.field("s")]), document) == "Crème Brûlée")
        #expect(value(.call(.tolower, [.literal("ÉCLAIR Ab")])) == "Éclair ab")
        #expect(value(.call(.toupper, [.literal("éclair ab")])) == "éCLAIR AB")
        #expect(value(.call(.length, [.field("e")]), document) == 2)
        #expect(value(.call(.indexof, [.literal("abcabc"), .literal("ca")])) == 2)
        #expect(value(.call(.indexof, [.literal("abc"), .literal("x")])) == -1)
        #expect(value(.call(.indexof, [.literal("abc"), .literal("")])) == 0)
        #expect(value(.call(.substring, [.literal("Brûlée"), number("2")])) == "ûlée")
        #expect(value(.call(.substring, [.literal("Brûlée"), number("-3"), number("2")])) == "Br")
        #expect(value(.call(.substring, [.literal("abc"), number("9")])) == "")
        #expect(value(.call(.substring, [.literal("abc"), number("1.5")])) == .null)
        #expect(value(.call(.concat, [.literal("a"), .literal("b")])) == "ab")
        #expect(value(.call(.concat, [.literal("a"), number("1")])) == .null)
    }

    @Test func dateFunctionsReadTheWrittenComponents() {
        let dateTime = ValueExpression.literal("2020-09-09T23:40:07.250-02:30")
        let expected: [(ScalarFunction, JSON)] = [
            (.year, 2020), (.month, 9), (.day, 9), (.hour, 23), (.minute, 40), (.second, 7),
            (.fractionalseconds, .number(JSONNumber("0.250")!)), (.date, "2020-09-09"), (.time, "23:40:07.250"),
            (.totaloffsetminutes, -150),
        ]
        for (function, result) in expected {
            #expect(value(.call(function, [dateTime])) == result, "\(function)")
        }
        #expect(value(.call(.hour, [.literal("2020-02-29")])) == 0)
        #expect(value(.call(.time, [.literal("2020-02-29")])) == "00:00:00")
        #expect(value(.call(.fractionalseconds, [.literal("2020-02-29T00:00:00Z")])) == .number(JSONNumber("0.0")!))
        #expect(value(.call(.year, [.literal("2021-02-29")])) == .null)
        #expect(value(.call(.year, [.literal("2020-09-09T16:40:00")])) == .null)
        #expect(value(.call(.maxdatetime, [])) == "9999-12-31T23:59:59.999Z")
        #expect(Evaluator.matches(.compareValues(.call(.now, []), .gt, .literal("2024-01-01T00:00:00Z")), [:]))
    }

    @Test(arguments: [
        ("2.5", "3", "2", "3"), ("-2.5", "-3", "-3", "-2"), ("2.4", "2", "2", "3"), ("7", "7", "7", "7"),
        ("-0.5", "-1", "-1", "0"),
        ("-0.4", "0", "-1", "0"), ("0.05", "0", "0", "1"), ("9.5", "10", "9", "10"),
    ])
    func roundingFunctions(_ input: String, _ round: String, _ floor: String, _ ceiling: String) {
        #expect(equal(.call(.round, [number(input)]), round))
        #expect(equal(.call(.floor, [number(input)]), floor))
        #expect(equal(.call(.ceiling, [number(input)]), ceiling))
    }

    @Test func stringTestsAndInAreExact() {
        let document: JSON = ["s": "Crème", "n": .null]
        #expect(Evaluator.matches(.stringTest(.contains, .field("s"), .literal("rèm")), document))
        #expect(!Evaluator.matches(.stringTest(.contains, .field("s"), .literal("REM")), document))
        #expect(Evaluator.matches(.stringTest(.startswith, .field("s"), .literal("")), document))
        #expect(Evaluator.matches(.stringTest(.endswith, .field("s"), .literal("ème")), document))
        #expect(!Evaluator.matches(.stringTest(.endswith, .field("s"), .literal("e\u{300}me")), document))
        #expect(!Evaluator.matches(.stringTest(.contains, .field("n"), .literal("")), document))
        #expect(Evaluator.matches(.valueIn(.field("n"), [1, .null]), document))
        #expect(Evaluator.matches(.valueIn(.call(.length, [.field("s")]), [4, 5]), document))
        #expect(!Evaluator.matches(.valueIn(.field("s"), []), document))
    }

    @Test func relationsFollowTheirLinksToTheGivenDocuments() {
        let categories: [JSON] = [["id": "C1", "title": "Tools"], ["id": "C2", "title": "Toys"]]
        let products: [JSON] = [
            ["id": "P1", "categoryId": "C1", "price": 5], ["id": "P2", "categoryId": "C2", "price": 50],
            ["id": "P3", "categoryId": "C9"], ["id": "P4", "categoryId": 1],
        ]
        let toCategory = Relation(.reference("categoryId"), target: CollectionPath("categories"))
        let toProducts = Relation(.inverse("categoryId"), target: CollectionPath("products"))
        let related = { (relation: Relation, document: JSON) in
            Evaluator.linked(document, by: relation, among: relation.target.name == "products" ? products : categories)
        }
        let tools = Filter.related(toCategory, where: .compareValues(.field("title"), .eq, .literal("Tools")))
        #expect(products.filter { Evaluator.matches(tools, $0, related: related) }.map { $0["id"] } == ["P1"])
        #expect(!Evaluator.matches(tools, products[0]))  // without `related`, nothing is related
        let cheap = Filter.related(toProducts, where: .compareValues(.field("price"), .lt, number("10")))
        #expect(categories.filter { Evaluator.matches(cheap, $0, related: related) }.map { $0["id"] } == ["C1"])
        let allCheap = Filter.not(.related(toProducts, where: .not(.compare("price", .lt, .json(10)))))
        #expect(categories.filter { Evaluator.matches(allCheap, $0, related: related) }.map { $0["id"] } == ["C1"])
    }
}

@Suite struct ValueExpressionFilterTests {
    @Test func fieldPathsAreThoseOfTheDocumentOnly() {
        let category = Relation(.reference("categoryId"), target: CollectionPath("categories"))
        let products = Relation(.inverse("categoryId"), target: CollectionPath("products"))
        let filter = Filter.and([
            .compareValues(.arithmetic(.add, .field("a"), .literal(1)), .lt, .call(.length, [.field("b.c")])),
            .stringTest(.contains, .field("d"), .literal("x")),
            .valueIn(.negate(.field("e")), [1]),
            .related(category, where: .compare("title", .eq, .json("x"))),
            .related(products, where: .compare("price", .eq, .json(1))),
        ])
        #expect(filter.fieldPaths == ["a", "b.c", "d", "e", "categoryId", "id"])
    }

    @Test func typingLeavesValueExpressionsAndTypesRelatedFiltersByTheirForm() throws {
        let integer: (FieldPath) -> FieldType? = { _ in .integer }
        let compared = Filter.compareValues(.field("n"), .eq, .literal("10"))
        #expect(try compared.typed(by: integer) == compared)
        let relation = Relation(.reference("r"), target: CollectionPath("other"))
        let related = Filter.related(relation, where: .compare("n", .eq, .literal("10", quoted: false)))
        // The target's fields are not this collection's: `10` is typed by its form, as a number.
        #expect(try related.typed(by: { _ in .string }) == .related(relation, where: .compare("n", .eq, .json(10))))
    }

    @Test func plainComparisonsAreOnlyThoseThatMeanTheSame() {
        #expect(Filter.plainComparison(.literal(5), .lt, .field("n")) == .compare("n", .gt, .json(5)))
        #expect(Filter.plainComparison(.field("s"), .eq, .literal("x")) == .compare("s", .eq, .json("x")))
        #expect(Filter.plainComparison(.field("n"), .eq, .literal(.null)) == nil)
        #expect(Filter.plainComparison(.field("t"), .eq, .literal("2020-09-09T16:40:00Z")) == nil)
        #expect(Filter.plainComparison(.field("a"), .eq, .field("b")) == nil)
        #expect(
            Filter.plainMembership(.field("n"), [1, "a"]) == .membership("n", [.json(1), .json("a")], negated: false)
        )
        #expect(Filter.plainMembership(.field("n"), [1, .null]) == nil)
        #expect(Filter.plainMembership(.field("n"), []) == nil)
    }
}
