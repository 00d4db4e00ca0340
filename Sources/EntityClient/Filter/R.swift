/// The start of a typed filter: `R.status`, `R.address.city` or `R["price"]` name fields.
///
/// ```swift
/// products.filter(R.status == "published" && R["price"] > 10 && R.tags.in(["a", "b"]))
/// products.filter(!(R.name.like("Desk*")) || R.discontinuedAt == nil)
/// ```
@dynamicMemberLookup
public enum R {
    /// The top-level field `name`; chain further names for nested fields (`R.address.city`).
    public static subscript(dynamicMember name: String) -> FieldReference {
        FieldReference(path: [name])
    }

    /// The field at `path`, a dot path such as `"address.city"`; use it for names that clash with the
    /// methods of ``FieldReference`` (`R["in"]`).
    public static subscript(_ path: String) -> FieldReference {
        FieldReference(path: path.split(separator: ".").map(String.init))
    }
}
