/// The declaration of one field (or of one operation parameter, which is typed like a field).
///
/// ```json
/// {"type": "array", "items": {"type": "string"}}
/// {"type": "reference", "collection": "categories", "navigation": "category", "inverse": "products"}
/// ```
public struct FieldSchema: Sendable, Hashable {
    public var type: FieldType
    public var isRequired: Bool
    /// Declared subfields of an `object` field.
    public var fields: [String: FieldSchema]
    /// For a `reference` field: the collection it points into and what deleting a target does.
    public var reference: ReferenceSchema?
    // A struct cannot hold an optional of itself; the array holds at most one element.
    private var itemStorage: [FieldSchema]

    public init(
        type: FieldType,
        isRequired: Bool = false,
        fields: [String: FieldSchema] = [:],
        items: FieldSchema? = nil,
        reference: ReferenceSchema? = nil
    ) {
        self.type = type
        self.isRequired = isRequired
        self.fields = fields
        self.reference = reference
        self.itemStorage = items.map { [$0] } ?? []
    }

    /// For an `array` field: the type of every element (`nil`: elements of any kind).
    public var items: FieldSchema? {
        get { itemStorage.first }
        set { itemStorage = newValue.map { [$0] } ?? [] }
    }
}
