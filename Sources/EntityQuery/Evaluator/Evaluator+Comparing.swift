import EntityModel
import Foundation

extension Evaluator {
    /// `eq` between a present field value and a typed query value: numbers by exact value, strings
    /// by UTF-8 bytes, booleans exactly; anything else (null, arrays, objects, mixed types) is unequal.
    static func equals(_ field: JSON, _ query: JSON) -> Bool {
        switch (field, query) {
        case (.string(let lhs), .string(let rhs)): return lhs.utf8.elementsEqual(rhs.utf8)
        case (.bool(let lhs), .bool(let rhs)): return lhs == rhs
        default: return field.numericallyCompared(to: query) == .orderedSame
        }
    }

    /// The order of a field value against a query value for `lt le gt ge`; `nil` (every comparison
    /// false) unless both are numbers, both strings or both booleans.
    static func order(_ field: JSON?, _ query: JSON) -> ComparisonResult? {
        switch (field, query) {
        case (.string(let lhs)?, .string(let rhs)): return byteOrder(lhs, rhs)
        case (.bool(let lhs)?, .bool(let rhs)):
            return lhs == rhs ? .orderedSame : (lhs ? .orderedDescending : .orderedAscending)
        case (let field?, _): return field.numericallyCompared(to: query)
        case (nil, _): return nil
        }
    }

    /// Orders strings by their UTF-8 bytes.
    static func byteOrder(_ lhs: String, _ rhs: String) -> ComparisonResult {
        if lhs.utf8.elementsEqual(rhs.utf8) { return .orderedSame }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8) ? .orderedAscending : .orderedDescending
    }

    /// Whether `text` matches `pattern`, where `*` matches any run of bytes and every other byte is
    /// literal. Working on valid UTF-8 bytes gives the same answer as working on characters.
    static func glob(_ pattern: [UInt8], matches text: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*")
        var p = 0
        var t = 0
        var lastStar: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                lastStar = p
                p += 1
                resume = t
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if let lastStar {
                p = lastStar + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
