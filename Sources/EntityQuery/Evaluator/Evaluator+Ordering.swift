import EntityModel
import Foundation

extension Evaluator {
    /// The sort order of two field values (`nil` = missing), ascending, as documented on ``SortKey``:
    /// missing or `null` < booleans (false < true) < numbers (exact numeric) < strings (UTF-8 bytes)
    /// < arrays < objects. Two arrays, or two objects, are ``ComparisonResult/orderedSame``.
    public static func compare(_ a: JSON?, _ b: JSON?) -> ComparisonResult {
        let (rankA, rankB) = (rank(a), rank(b))
        if rankA != rankB { return rankA < rankB ? .orderedAscending : .orderedDescending }
        switch (a, b) {
        case (.bool(let lhs)?, .bool(let rhs)?):
            return lhs == rhs ? .orderedSame : (lhs ? .orderedDescending : .orderedAscending)
        case (.string(let lhs)?, .string(let rhs)?):
            return byteOrder(lhs, rhs)
        case (let lhs?, let rhs?):
            return lhs.numericallyCompared(to: rhs) ?? .orderedSame
        default:
            return .orderedSame
        }
    }

    /// `documents` ordered by `keys` (descending keys exactly reversed), ties broken by `id`
    /// ascending (UTF-8 bytes).
    public static func sorted(_ documents: [JSON], by keys: [SortKey]) -> [JSON] {
        documents.sorted { lhs, rhs in
            for key in keys {
                var order = compare(lhs.value(at: key.path.components), rhs.value(at: key.path.components))
                if key.descending {
                    order =
                        order == .orderedAscending
                        ? .orderedDescending
                        : order == .orderedDescending ? .orderedAscending : .orderedSame
                }
                if order != .orderedSame { return order == .orderedAscending }
            }
            return compare(lhs["id"], rhs["id"]) == .orderedAscending
        }
    }

    private static func rank(_ value: JSON?) -> Int {
        switch value {
        case nil, .null?: return 0
        case .bool?: return 1
        case .integer?, .number?: return 2
        case .string?: return 3
        case .array?: return 4
        case .object?: return 5
        }
    }
}
