import Foundation

/// A Swift value that can appear in an RQL comparison: strings, integers, floating-point numbers,
/// booleans, dates, and `nil` (for `null()`).
public protocol RQLValueConvertible: Sendable {
    /// The value as it appears in RQL text, already percent-encoded.
    var rqlValue: String { get }
}

extension String: RQLValueConvertible {
    /// A quoted RQL string (`'a b'` encoded), so the server never takes it for a number or a date.
    public var rqlValue: String {
        "'" + PercentEncoding.rqlValue(replacingOccurrences(of: "'", with: "''")) + "'"
    }
}

extension Substring: RQLValueConvertible {
    public var rqlValue: String { String(self).rqlValue }
}

extension Int: RQLValueConvertible {
    public var rqlValue: String { String(self) }
}

extension Int64: RQLValueConvertible {
    public var rqlValue: String { String(self) }
}

extension Double: RQLValueConvertible {
    public var rqlValue: String { PercentEncoding.rqlValue(description) }
}

extension Decimal: RQLValueConvertible {
    public var rqlValue: String { PercentEncoding.rqlValue(description) }
}

extension Bool: RQLValueConvertible {
    public var rqlValue: String { self ? "true" : "false" }
}

extension Date: RQLValueConvertible {
    /// ISO 8601 in UTC with milliseconds, as EntityHub stores date-times.
    public var rqlValue: String {
        PercentEncoding.rqlValue(formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}

extension Optional: RQLValueConvertible where Wrapped: RQLValueConvertible {
    /// The wrapped value, or `null()`.
    public var rqlValue: String {
        switch self {
        case .some(let value): value.rqlValue
        case .none: "null()"
        }
    }
}
