import EntityModel
import EntityQuery
import Foundation
import GRDB

/// The functions value expressions compile to (see `FilterCompiler+Expressions.swift`): each takes
/// JSON texts (NULL for a missing value) and runs the ``Evaluator``'s own code on them.
extension SQLFunctions {
    /// Every function below, for registering on a connection.
    static let expressions = [arithmetic, negate, call, compare, stringTest, valueIn]

    /// `entityhub_arithmetic(operator, a, b)`: the JSON text of `a operator b` (NULL for `null`).
    static let arithmetic = DatabaseFunction("entityhub_arithmetic", argumentCount: 3, pure: true) { values in
        guard let op = values[0].text.flatMap(ArithmeticOperator.init(rawValue:)) else { return nil }
        return text(Evaluator.arithmetic(op, json(values[1]), json(values[2])))
    }

    /// `entityhub_negate(a)`: the JSON text of `-a` (NULL unless `a` is a number).
    static let negate = DatabaseFunction("entityhub_negate", argumentCount: 1, pure: true) { values in
        text(Evaluator.value(of: .negate(.literal(json(values[0]))), in: .null))
    }

    /// `entityhub_call(function, arguments…)`: the JSON text of the function's value.
    static let call = DatabaseFunction("entityhub_call", argumentCount: nil, pure: true) { values in
        guard let function = values.first?.text.flatMap(ScalarFunction.init(rawValue:)) else { return nil }
        return text(Evaluator.call(function, values.dropFirst().map(json)))
    }

    /// `entityhub_compare(operator, a, b)`: 1 when `compareValues(a, operator, b)` holds, else 0.
    static let compare = DatabaseFunction("entityhub_compare", argumentCount: 3, pure: true) { values in
        guard let op = values[0].text.flatMap(ComparisonOperator.init(rawValue:)) else { return false }
        return Evaluator.compareValues(json(values[1]), op, json(values[2]))
    }

    /// `entityhub_string_test(test, a, b)`: 1 when the string test holds, else 0.
    static let stringTest = DatabaseFunction("entityhub_string_test", argumentCount: 3, pure: true) { values in
        guard let test = values[0].text.flatMap(StringTest.init(rawValue:)) else { return false }
        return Evaluator.stringTest(test, json(values[1]), json(values[2]))
    }

    /// `entityhub_in(a, list)`: 1 when `a` equals (as `compareValues`) some element of the JSON array
    /// text `list`. The list is the same for every row of a query: the last one parsed is kept.
    static let valueIn = DatabaseFunction("entityhub_in", argumentCount: 2, pure: true) { values in
        guard case .string(let text) = values[1].storage else { return false }
        let value = json(values[0])
        return parsedLists.list(text).contains { Evaluator.valuesEqual(value, $0) }
    }

    private static let parsedLists = ParsedList()

    /// The JSON a function argument holds: JSON text parsed, SQL numbers as numbers, NULL as `null`.
    private static func json(_ value: DatabaseValue) -> JSON {
        switch value.storage {
        case .string(let text): return (try? JSON(parsing: text, maximumDepth: 4096)) ?? .null
        case .int64(let integer): return .integer(integer)
        case .double(let double): return (try? JSON(parsing: "\(double)")) ?? .null
        case .null, .blob: return .null
        }
    }

    /// A function result: its JSON text, NULL for `null`.
    private static func text(_ value: JSON) -> String? {
        value == .null ? nil : value.description
    }
}

extension DatabaseValue {
    fileprivate var text: String? {
        if case .string(let text) = storage { return text }
        return nil
    }
}

/// The elements of the last JSON array text parsed (shared by connections, guarded by a lock).
private final class ParsedList: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var last: (text: String, elements: [JSON]) = ("[]", [])

    func list(_ text: String) -> [JSON] {
        if let elements = lock.withLock({ last.text == text ? last.elements : nil }) { return elements }
        let elements = (try? JSON(parsing: text, maximumDepth: 4096))?.arrayValue ?? []
        lock.withLock { last = (text, elements) }
        return elements
    }
}
