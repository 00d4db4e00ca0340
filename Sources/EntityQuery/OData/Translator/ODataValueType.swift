/// The type of a translated value, as far as the type rules need it.
enum ODataValueType: Equatable {
    case string, integer, decimal, boolean, date, dateTimeOffset, timeOfDay, duration, guid
    /// A literal `null`.
    case null
    /// An undeclared property of an open type: any type.
    case dynamic
    /// Complex values, entities, collections: never compared.
    case structured(String)

    init(_ type: ODataType) {
        guard case .primitive(let primitive) = type else {
            self = .structured(type.description)
            return
        }
        switch primitive {
        case .string: self = .string
        case .int64: self = .integer
        case .decimal: self = .decimal
        case .boolean: self = .boolean
        case .date: self = .date
        case .dateTimeOffset: self = .dateTimeOffset
        }
    }

    var isNumeric: Bool { self == .integer || self == .decimal }
    /// `null` or dynamic: fits any expected type.
    var isWildcard: Bool { self == .null || self == .dynamic }

    /// The EDM name for messages.
    var name: String {
        switch self {
        case .string: return "Edm.String"
        case .integer: return "Edm.Int64"
        case .decimal: return "Edm.Decimal"
        case .boolean: return "Edm.Boolean"
        case .date: return "Edm.Date"
        case .dateTimeOffset: return "Edm.DateTimeOffset"
        case .timeOfDay: return "Edm.TimeOfDay"
        case .duration: return "Edm.Duration"
        case .guid: return "Edm.Guid"
        case .null: return "null"
        case .dynamic: return "a dynamic property"
        case .structured(let name): return name
        }
    }

    /// Whether values of the two types may be compared.
    func isComparable(with other: ODataValueType) -> Bool {
        if isWildcard || other.isWildcard { return true }
        if case .structured = self { return false }
        return self == other || (isNumeric && other.isNumeric)
    }

    /// Whether a value of this type may stand where one of `expected` is needed.
    func fits(_ expected: [ODataValueType]) -> Bool {
        isWildcard || expected.contains(self) || (isNumeric && expected.contains { $0.isNumeric })
    }
}
