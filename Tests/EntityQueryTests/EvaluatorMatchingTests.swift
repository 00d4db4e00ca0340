import EntityModel
import EntityQuery
import Testing

struct EvaluatorMatchingTests {
    static let document = try! JSON(
        parsing: """
            {"id": "PRD-1", "name": "Widget", "status": "published", "price": 19.99, "count": 10,
             "flag": true, "nothing": null, "blank": "", "list": [1, 2], "emptyList": [], "emptyObject": {},
             "object": {"a": {"b": "deep"}}, "big": 9007199254740993, "huge": 1e400, "code": "10",
             "accent": "café", "_meta": {"version": 3}}
            """
    )

    static let cases: [(String, Bool)] = [
        // eq / ne: numbers by exact value, strings and booleans exactly, mixed types never equal.
        ("eq(status,published)", true), ("eq(status,Published)", false), ("eq(price,19.990)", true),
        ("eq(price,19.99)", true), ("eq(price,1999e-2)", true), ("eq(count,10.0)", true), ("eq(count,1e1)", true),
        ("eq(big,9007199254740993)", true), ("eq(big,9007199254740992)", false), ("eq(huge,1e400)", true),
        ("eq(huge,2e400)", false), ("eq(code,10)", false), ("eq(code,'10')", true), ("eq(count,'10')", false),
        ("eq(flag,true)", true), ("eq(flag,'true')", false), ("eq(list,1)", false), ("eq(object,x)", false),
        ("eq(missing,x)", false), ("ne(missing,x)", true), ("ne(nothing,x)", true), ("eq(nothing,null)", false),
        ("ne(list,1)", true), ("ne(status,published)", false), ("ne(status,draft)", true),
        ("eq(accent,café)", true), ("eq(accent,caf%C3%A9)", true), ("eq(accent,cafe%CC%81)", false),
        // lt le gt ge: only number/number, string/string, boolean/boolean.
        ("lt(count,11)", true), ("lt(count,10)", false), ("le(count,10)", true), ("gt(count,9.5)", true),
        ("ge(count,10.000)", true), ("gt(big,9007199254740992)", true), ("gt(huge,1e399)", true),
        ("lt(count,abc)", false), ("gt(count,abc)", false), ("ge(status,published)", true), ("lt(status,q)", true),
        ("lt(name,widget)", true), ("gt(accent,cafz)", true), ("lt(code,9)", false), ("lt(code,'9')", true),
        ("lt(missing,1)", false), ("ge(missing,1)", false), ("lt(nothing,1)", false), ("le(flag,false)", false),
        ("ge(flag,false)", true), ("gt(flag,false)", true), ("lt(list,3)", false), ("gt(object,a)", false),
        // like / ilike: * is the only wildcard; strings only.
        ("like(name,Wid*)", true), ("like(name,wid*)", false), ("ilike(name,wid*)", true), ("like(name,*dge*)", true),
        ("like(name,W*t)", true), ("like(name,W*x)", false), ("like(name,Widget)", true), ("like(name,Widge)", false),
        ("like(name,W?dget)", false), ("like(name,*)", true), ("like(name,**t)", true), ("like(count,1*)", false),
        ("like(missing,*)", false), ("like(nothing,*)", false), ("like(blank,*)", true), ("like(blank,)", true),
        ("ilike(accent,CAF%C3%89)", true), ("like(accent,caf_)", false), ("like(accent,caf*)", true),
        // in / out.
        ("in(status,(draft,published))", true), ("in(count,(1,10.0))", true), ("in(count,('10'))", false),
        ("out(status,(draft))", true), ("out(status,(published))", false), ("in(missing,(a))", false),
        ("out(missing,(a))", true), ("in(status,())", false), ("out(status,())", true), ("in(list,(1,2))", false),
        // null() / empty().
        ("eq(nothing,null())", true), ("eq(missing,null())", true), ("eq(name,null())", false),
        ("ne(nothing,null())", false), ("ne(name,null())", true), ("eq(blank,null())", false),
        ("eq(blank,empty())", true), ("eq(emptyList,empty())", false), ("eq(emptyObject,empty())", false),
        ("eq(nothing,empty())", false), ("eq(missing,empty())", false), ("eq(list,empty())", false),
        ("eq(count,empty())", false), ("eq(flag,empty())", false), ("ne(name,empty())", true),
        ("ne(blank,empty())", false), ("ne(nothing,empty())", true), ("ne(missing,empty())", true),
        ("ne(emptyList,empty())", true), ("ne(emptyObject,empty())", true), ("blank=empty()", true),
        ("in(blank,(x,empty()))", true), ("out(blank,(empty()))", false), ("out(missing,(empty()))", true),
        ("like(blank,*)", true), ("eq(blank,)", true), ("eq(blank,'')", true),
        // Paths into the document, id and _meta.
        ("eq(object.a.b,deep)", true), ("eq(object.a.b.c,deep)", false), ("ne(name.x,y)", true),
        ("eq(list.0,1)", false), ("eq(_meta.version,3)", true), ("eq(id,PRD-1)", true),
        // Logic.
        ("not(and(or(eq(status,draft),eq(count,10))))", false), ("and(eq(count,10))", true),
        ("or(eq(status,draft),eq(count,10))", true), ("and(eq(status,draft),eq(count,10))", false),
        ("not(eq(missing,1))", true), ("eq(count,10)&eq(status,published)", true),
    ]

    @Test(arguments: cases)
    func evaluatesFilters(rql: String, expected: Bool) throws {
        let filter = try RQLParser().parseFilter(rql)
        #expect(Evaluator.matches(filter, Self.document) == expected)
    }

    @Test func treatsEmptyAndAsTrueAndEmptyOrAsFalse() {
        #expect(Evaluator.matches(.and([]), Self.document))
        #expect(!Evaluator.matches(.or([]), Self.document))
    }

    @Test func usesTypedValuesAsGiven() {
        #expect(!Evaluator.matches(.compare("code", .eq, .json(.integer(10))), Self.document))
        #expect(Evaluator.matches(.compare("code", .eq, .json(.string("10"))), Self.document))
        #expect(!Evaluator.matches(.compare("nothing", .eq, .json(.null)), Self.document))
        #expect(!Evaluator.matches(.compare("list", .eq, .json([1, 2])), Self.document))
        #expect(!Evaluator.matches(.compare("emptyObject", .eq, .json([:])), Self.document))
    }

    /// `f` as each kind of value it can hold, or missing.
    static let kinds: [(String, JSON)] = [
        ("missing", [:]), ("null", ["f": .null]), ("blank", ["f": ""]), ("x", ["f": "x"]), ("array", ["f": []]),
        ("object", ["f": [:]]), ("zero", ["f": 0]), ("false", ["f": false]), ("quotes", ["f": #""""#]),
    ]

    static let nullAndEmpty: [(String, Set<String>)] = [
        ("eq(f,empty())", ["blank"]),
        ("ne(f,empty())", ["missing", "null", "x", "array", "object", "zero", "false", "quotes"]),
        ("eq(f,null())", ["missing", "null"]),
        ("ne(f,null())", ["blank", "x", "array", "object", "zero", "false", "quotes"]),
        ("not(eq(f,empty()))", ["missing", "null", "x", "array", "object", "zero", "false", "quotes"]),
        ("eq(f,x)", ["x"]),
        ("ne(f,x)", ["missing", "null", "blank", "array", "object", "zero", "false", "quotes"]),
    ]

    @Test(arguments: nullAndEmpty)
    func emptyIsTheEmptyStringAndNullIsNullOrMissing(rql: String, expected: Set<String>) throws {
        let filter = try RQLParser().parseFilter(rql)
        let matching = Self.kinds.filter { Evaluator.matches(filter, $0.1) }.map(\.0)
        #expect(Set(matching) == expected)
    }

    @Test(arguments: FieldType.allCases)
    func keepsEmptyTheEmptyStringWhateverTheDeclaredType(type: FieldType) throws {
        let parser = RQLParser()
        #expect(try parser.parseFilter("eq(f,empty())").typed { _ in type } == .compare("f", .eq, .json("")))
        #expect(try parser.parseFilter("ne(f,empty())").typed { _ in type } == .compare("f", .ne, .json("")))
        #expect(
            try parser.parseFilter("in(f,(empty()))").typed { _ in type } == .membership("f", [.empty], negated: false)
        )
    }

    @Test func matchesNothingWithEmptyOnAnIntegerField() throws {
        let integer: (FieldPath) -> FieldType? = { _ in .integer }
        #expect(!Evaluator.matches(try RQLParser().parseFilter("eq(count,empty())").typed(by: integer), Self.document))
        #expect(Evaluator.matches(try RQLParser().parseFilter("ne(count,empty())").typed(by: integer), Self.document))
        // A bare empty value is a literal, typed by the schema: not an integer.
        #expect(throws: QueryTypeError.self) { try RQLParser().parseFilter("eq(count,)").typed(by: integer) }
    }

    @Test func typesLiteralsByTheSchemaBeforeEvaluating() throws {
        let filter = try RQLParser().parseFilter("eq(code,10)").typed { $0 == "code" ? .string : nil }
        #expect(Evaluator.matches(filter, Self.document))
    }
}
