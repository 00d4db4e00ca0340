/// A JSON value that keeps numbers exact.
///
/// Integers that fit in 64 bits are kept as `Int64`; every other number keeps the text it was
/// written with (``JSONNumber``), so `19.99` or `1e400` round-trip byte-exact and no value
/// ever passes through `Double` on its way through EntityHub.
///
/// ```swift
/// let value = try JSON(parsing: #"{"price": 19.99, "id": 9007199254740993}"#)
/// value["price"]?.description   // "19.99"
/// ```
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object([String: JSON])
}

extension JSON {
    /// The value at `key` when this is an object, otherwise `nil`.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The value at a path of object keys (`["address", "city"]`), or `nil` when any step is missing.
    public func value(at path: some Collection<String>) -> JSON? {
        var current = self
        for key in path {
            guard case .object(let members) = current, let next = members[key] else { return nil }
            current = next
        }
        return current
    }

    /// The members when this is an object.
    public var objectValue: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements when this is an array.
    public var arrayValue: [JSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as a `Double` when this is a number (possibly rounded).
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let number): return number.doubleValue
        default: return nil
        }
    }

    /// `true` for `.integer` and `.number`.
    public var isNumber: Bool {
        switch self {
        case .integer, .number: return true
        default: return false
        }
    }

    /// The name of the JSON type, as used in error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSON: CustomStringConvertible {
    /// The compact JSON text of this value.
    public var description: String { serialized() }
}
