import EntityModel

extension Evaluator {
    /// Applies `select(...)` as documented on ``Projection``.
    ///
    /// With inclusions, the result holds `id`, `_meta` and each included path that is present
    /// (nested paths keep their enclosing objects: `a.b` gives `{"a": {"b": ...}}`; a `null` value
    /// is present, a path through a non-object is not). Exclusions are removed afterwards, `id` and
    /// `_meta` included when named. A document that is not an object is returned unchanged.
    public static func project(_ document: JSON, _ projection: Projection) -> JSON {
        guard case .object(let members) = document else { return document }
        var result = members
        if !projection.include.isEmpty {
            result = members.filter { $0.key == "id" || $0.key == Entity.metaKey }
            for path in projection.include {
                if let value = document.value(at: path.components) {
                    insert(value, at: path.components[...], into: &result)
                }
            }
        }
        for path in projection.exclude {
            remove(path.components[...], from: &result)
        }
        return .object(result)
    }

    private static func insert(_ value: JSON, at path: ArraySlice<String>, into members: inout [String: JSON]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            members[key] = value
            return
        }
        var child = members[key]?.objectValue ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        members[key] = .object(child)
    }

    private static func remove(_ path: ArraySlice<String>, from members: inout [String: JSON]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            members[key] = nil
            return
        }
        guard var child = members[key]?.objectValue else { return }
        remove(path.dropFirst(), from: &child)
        members[key] = .object(child)
    }
}
