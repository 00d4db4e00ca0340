import EntityModel

/// The primitive types EntityHub's field types map to (`Edm.*`).
public enum ODataPrimitive: String, Sendable, Hashable, CaseIterable {
    case string = "Edm.String"
    case int64 = "Edm.Int64"
    case decimal = "Edm.Decimal"
    case boolean = "Edm.Boolean"
    case date = "Edm.Date"
    case dateTimeOffset = "Edm.DateTimeOffset"

    /// The primitive type of a declared field type (`nil` for objects and arrays); a reference is its
    /// target's id, a string.
    public init?(_ type: FieldType) {
        switch type {
        case .string, .reference: self = .string
        case .integer: self = .int64
        case .decimal: self = .decimal
        case .boolean: self = .boolean
        case .date: self = .date
        case .datetime: self = .dateTimeOffset
        case .object, .array: return nil
        }
    }

    /// The field type values of this primitive are stored as.
    public var fieldType: FieldType {
        switch self {
        case .string: .string
        case .int64: .integer
        case .decimal: .decimal
        case .boolean: .boolean
        case .date: .date
        case .dateTimeOffset: .datetime
        }
    }
}

/// The type of a property, parameter or return value.
public indirect enum ODataType: Sendable, Hashable, CustomStringConvertible {
    case primitive(ODataPrimitive)
    /// A complex type of the model, by its unqualified name.
    case complex(String)
    /// An entity type of the model, by its unqualified name.
    case entity(String)
    case collection(ODataType)

    /// The qualified name as CSDL writes it: `Edm.String`, `EntityHub.products`,
    /// `Collection(EntityHub.products)`.
    public var description: String {
        switch self {
        case .primitive(let primitive): return primitive.rawValue
        case .complex(let name), .entity(let name): return "\(ODataModel.namespace).\(name)"
        case .collection(let element): return "Collection(\(element))"
        }
    }

    /// The element type of a collection, or the type itself.
    public var elementType: ODataType {
        if case .collection(let element) = self { return element }
        return self
    }

    public var isCollection: Bool {
        if case .collection = self { return true }
        return false
    }
}
