/// A field in a typed filter, such as `R.price` or `R.address.city`; compare it to make an ``RQLFilter``.
@dynamicMemberLookup
public struct FieldReference: Sendable {
    /// The field's path, outermost name first.
    public let path: [String]

    /// The nested field `name`.
    public subscript(dynamicMember name: String) -> FieldReference {
        FieldReference(path: path + [name])
    }

    /// The nested field at the dot path `path`.
    public subscript(_ path: String) -> FieldReference {
        FieldReference(path: self.path + path.split(separator: ".").map(String.init))
    }

    var rqlPath: String { path.map(PercentEncoding.rqlValue).joined(separator: ".") }

    private func call(_ operation: String, _ value: String) -> RQLFilter {
        RQLFilter(encoded: "\(operation)(\(rqlPath),\(value))")
    }

    /// The field equals one of `values`.
    public func `in`(_ values: [some RQLValueConvertible]) -> RQLFilter {
        call("in", "(" + values.map(\.rqlValue).joined(separator: ",") + ")")
    }

    /// The field equals none of `values`.
    public func out(_ values: [some RQLValueConvertible]) -> RQLFilter {
        call("out", "(" + values.map(\.rqlValue).joined(separator: ",") + ")")
    }

    /// The field matches `pattern`, where `*` stands for any text (case-sensitive).
    public func like(_ pattern: String) -> RQLFilter {
        call("like", pattern.rqlValue)
    }

    /// The field matches `pattern`, where `*` stands for any text, ignoring case.
    public func ilike(_ pattern: String) -> RQLFilter {
        call("ilike", pattern.rqlValue)
    }

    /// The field is missing or null.
    public var isNull: RQLFilter { call("eq", "null()") }

    /// The field has a value.
    public var isNotNull: RQLFilter { call("ne", "null()") }

    /// The field is the empty string `""` (not missing, null, `[]` or `{}`).
    public var isEmpty: RQLFilter { call("eq", "empty()") }

    /// The field is anything but the empty string, missing and null included.
    public var isNotEmpty: RQLFilter { call("ne", "empty()") }

    /// The field equals `value` (`nil` means the field is null or missing).
    public static func == (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("eq", value.rqlValue)
    }

    /// The field differs from `value`.
    public static func != (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("ne", value.rqlValue)
    }

    /// The field is less than `value`.
    public static func < (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("lt", value.rqlValue)
    }

    /// The field is at most `value`.
    public static func <= (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("le", value.rqlValue)
    }

    /// The field is greater than `value`.
    public static func > (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("gt", value.rqlValue)
    }

    /// The field is at least `value`.
    public static func >= (field: FieldReference, value: some RQLValueConvertible) -> RQLFilter {
        field.call("ge", value.rqlValue)
    }

    /// The field is null or missing: `R.deletedAt == nil`.
    public static func == (field: FieldReference, _: _OptionalNilComparisonType) -> RQLFilter {
        field.isNull
    }

    /// The field has a value: `R.deletedAt != nil`.
    public static func != (field: FieldReference, _: _OptionalNilComparisonType) -> RQLFilter {
        field.isNotNull
    }
}
