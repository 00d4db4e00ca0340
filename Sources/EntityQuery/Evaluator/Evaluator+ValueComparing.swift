import EntityModel
import Foundation

extension Evaluator {
    /// `lhs op rhs` as ``Filter/compareValues(_:_:_:)`` documents.
    package static func compareValues(_ lhs: JSON, _ op: ComparisonOperator, _ rhs: JSON) -> Bool {
        switch op {
        case .eq: return valuesEqual(lhs, rhs)
        case .ne: return !valuesEqual(lhs, rhs)
        case .lt: return valueOrder(lhs, rhs) == .orderedAscending
        case .le: return valueOrder(lhs, rhs).map { $0 != .orderedDescending } ?? false
        case .gt: return valueOrder(lhs, rhs) == .orderedDescending
        case .ge: return valueOrder(lhs, rhs).map { $0 != .orderedAscending } ?? false
        }
    }

    /// `eq` of two computed values: both `null`, or the same in ``valueOrder(_:_:)``.
    package static func valuesEqual(_ lhs: JSON, _ rhs: JSON) -> Bool {
        if lhs == .null || rhs == .null { return lhs == .null && rhs == .null }
        return valueOrder(lhs, rhs) == .orderedSame
    }

    /// The order of two computed values: numbers by value, two date-time strings by instant, other
    /// strings by UTF-8 bytes, booleans false < true; `nil` for `null` and any other pairing.
    static func valueOrder(_ lhs: JSON, _ rhs: JSON) -> ComparisonResult? {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)):
            if let x = ISO8601Instant(a), let y = ISO8601Instant(b) {
                return x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
            }
            return byteOrder(a, b)
        case (.bool(let a), .bool(let b)):
            return a == b ? .orderedSame : (a ? .orderedDescending : .orderedAscending)
        default:
            return lhs.numericallyCompared(to: rhs)
        }
    }

    /// `test(lhs, rhs)` on two strings, code point by code point (UTF-8 bytes); false otherwise.
    package static func stringTest(_ test: StringTest, _ lhs: JSON, _ rhs: JSON) -> Bool {
        guard case .string(let text) = lhs, case .string(let part) = rhs else { return false }
        let (bytes, partBytes) = (Array(text.utf8), Array(part.utf8))
        switch test {
        case .startswith: return bytes.starts(with: partBytes)
        case .endswith: return bytes.reversed().starts(with: partBytes.reversed())
        case .contains:
            guard partBytes.count <= bytes.count else { return false }
            return (0...(bytes.count - partBytes.count)).contains { start in
                bytes[start..<start + partBytes.count].elementsEqual(partBytes)
            }
        }
    }

    /// The documents among `targets` that `relation`'s link connects `document` to, per
    /// ``Relation/Link``: for a reference, the targets whose `id` is the string in `document`'s
    /// field; for an inverse link, the targets whose field is a string equal to `document`'s `id`.
    /// Readability is the caller's: pass only targets readable by ``Relation/readableBy``.
    ///
    /// ```swift
    /// let related = { (relation: Relation, document: JSON) in
    ///     Evaluator.linked(document, by: relation, among: collections[relation.target] ?? [])
    /// }
    /// Evaluator.matches(filter, product, related: related)
    /// ```
    public static func linked(_ document: JSON, by relation: Relation, among targets: [JSON]) -> [JSON] {
        switch relation.link {
        case .reference(let path):
            guard case .string(let id)? = document.value(at: path.components) else { return [] }
            return targets.filter { target in target["id"]?.stringValue.map { $0.utf8.elementsEqual(id.utf8) } ?? false
            }
        case .inverse(let path):
            guard case .string(let id)? = document["id"] else { return [] }
            return targets.filter { target in
                guard case .string(let reference)? = target.value(at: path.components) else { return false }
                return reference.utf8.elementsEqual(id.utf8)
            }
        }
    }
}
