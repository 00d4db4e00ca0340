import EntityModel
import EntityQuery
import Foundation
import Testing

struct EvaluatorOrderingTests {
    /// One document per kind of value, listed in ascending sort order (ids break the ties).
    static let ascending: [JSON] = [
        #"{"id": "a"}"#, #"{"id": "b", "v": null}"#, #"{"id": "c"}"#, #"{"id": "d", "v": false}"#,
        #"{"id": "e", "v": true}"#, #"{"id": "f", "v": -1e400}"#, #"{"id": "g", "v": -2}"#, #"{"id": "h", "v": 2.5}"#,
        #"{"id": "i", "v": 10}"#, #"{"id": "j", "v": 10.0}"#, #"{"id": "k", "v": 9007199254740993}"#,
        #"{"id": "l", "v": ""}"#, #"{"id": "m", "v": "B"}"#, #"{"id": "n", "v": "a"}"#, #"{"id": "o", "v": "é"}"#,
        #"{"id": "p", "v": [2]}"#, #"{"id": "q", "v": [1]}"#, #"{"id": "r", "v": {"z": 1}}"#, #"{"id": "s", "v": {}}"#,
    ].map { try! JSON(parsing: $0) }

    @Test func ordersMixedValuesAscending() {
        let shuffled = Self.ascending.reversed() + []
        let ids = Evaluator.sorted(Array(shuffled), by: [SortKey("v")]).map { $0["id"]?.stringValue ?? "" }
        #expect(ids == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s"])
    }

    @Test func ordersDescendingAsTheExactReverseWithTiesStillById() {
        let ids = Evaluator.sorted(Self.ascending, by: [SortKey("v", descending: true)]).map {
            $0["id"]?.stringValue ?? ""
        }
        #expect(ids == ["r", "s", "p", "q", "o", "n", "m", "l", "k", "i", "j", "h", "g", "f", "e", "d", "a", "b", "c"])
    }

    @Test func sortsByIdAloneWithoutKeys() {
        let ids = Evaluator.sorted(Self.ascending.reversed(), by: []).map { $0["id"]?.stringValue ?? "" }
        #expect(ids == ids.sorted())
    }

    @Test func usesLaterKeysForTies() throws {
        let documents = try [
            #"{"id": "1", "status": "b", "price": 1}"#, #"{"id": "2", "status": "a", "price": 1}"#,
            #"{"id": "3", "status": "a", "price": 2}"#,
        ].map { try JSON(parsing: $0) }
        let ids = Evaluator.sorted(documents, by: [SortKey("status"), SortKey("price", descending: true)])
            .map { $0["id"]?.stringValue ?? "" }
        #expect(ids == ["3", "2", "1"])
    }

    @Test(arguments: [
        (JSON?.none, JSON?.some(.null), ComparisonResult.orderedSame),
        (.some(.bool(true)), .some(.integer(-5)), .orderedAscending),
        (.some(.integer(10)), .some(try! JSON(parsing: "1e1")), .orderedSame),
        (.some(.string("Z")), .some(.string("a")), .orderedAscending),
        (.some(.string("z")), .some(.string("é")), .orderedAscending),
        (.some(.array([])), .some(.object([:])), .orderedAscending),
        (.some(.array([1])), .some(.array([0])), .orderedSame),
    ])
    func comparesValues(_ lhs: JSON?, _ rhs: JSON?, expected: ComparisonResult) {
        #expect(Evaluator.compare(lhs, rhs) == expected)
    }
}
