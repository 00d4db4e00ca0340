import EntityModel
import EntityQuery
import Testing

struct EvaluatorProjectionTests {
    static let document = try! JSON(
        parsing: """
            {"id": "PRD-1", "_meta": {"version": 1}, "name": "Widget", "price": 5, "nothing": null,
             "object": {"a": {"b": 1, "c": 2}, "d": 3}, "list": [{"x": 1}]}
            """
    )

    static let cases: [(String, String)] = [
        ("select(name)", #"{"_meta":{"version":1},"id":"PRD-1","name":"Widget"}"#),
        ("select(object.a.b,price)", #"{"_meta":{"version":1},"id":"PRD-1","object":{"a":{"b":1}},"price":5}"#),
        ("select(object.a.b,object.d)", #"{"_meta":{"version":1},"id":"PRD-1","object":{"a":{"b":1},"d":3}}"#),
        ("select(object,object.a.b)", #"{"_meta":{"version":1},"id":"PRD-1","object":{"a":{"b":1,"c":2},"d":3}}"#),
        ("select(missing,name.x,list.x,nothing)", #"{"_meta":{"version":1},"id":"PRD-1","nothing":null}"#),
        (
            "select(-object.a.c,-list,-missing.x,-name.x)",
            #"{"_meta":{"version":1},"id":"PRD-1","name":"Widget","nothing":null,"object":{"a":{"b":1},"d":3},"price":5}"#
        ),
        ("select(object,-object.a)", #"{"_meta":{"version":1},"id":"PRD-1","object":{"d":3}}"#),
        ("select(name,-_meta,-id)", #"{"name":"Widget"}"#),
    ]

    @Test(arguments: cases)
    func projectsDocuments(rql: String, expected: String) throws {
        let projection = try #require(try RQLParser().parse(queryString: rql).projection)
        #expect(Evaluator.project(Self.document, projection).serialized() == expected)
    }
}
