/// The declared type of an entity field.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case string, integer, decimal, boolean, date, datetime, object, array
    /// The id (a string) of an entity of the collection named by ``FieldSchema/reference``.
    case reference

    /// Whether `value` is acceptable for a field of this type (`null` is checked separately).
    public func accepts(_ value: JSON) -> Bool {
        switch (self, value) {
        case (.string, .string), (.reference, .string), (.boolean, .bool), (.object, .object), (.array, .array):
            return true
        case (.integer, .integer): return true
        case (.integer, .number(let number)):
            let double = number.doubleValue
            return double.rounded() == double && abs(double) < 9.2e18
        case (.decimal, .integer), (.decimal, .number): return true
        case (.date, .string(let text)): return DateValidator.isDate(text)
        case (.datetime, .string(let text)): return DateValidator.isDateTime(text)
        default: return false
        }
    }

    /// How the type is named in messages: "a string", "an integer", ...
    public var article: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .decimal: return "a number"
        case .boolean: return "a boolean"
        case .date: return "a date (YYYY-MM-DD)"
        case .datetime: return "a date-time (ISO 8601)"
        case .object: return "an object"
        case .array: return "an array"
        case .reference: return "an id (a string)"
        }
    }
}
