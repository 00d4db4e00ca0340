import EntityModel
import EntityQuery

extension Projection {
    /// `values` reduced to the included paths (all when none), minus the excluded ones. `id` and
    /// `_meta` live outside `values` and are always kept.
    func apply(to values: [String: JSON]) -> [String: JSON] {
        var result: [String: JSON]
        let included = include.filter { !Projection.isReserved($0) }
        if include.isEmpty {
            result = values
        } else {
            result = [:]
            for path in included {
                if let value = JSON.object(values).value(at: path.components) {
                    Projection.set(value, at: path.components[...], in: &result)
                }
            }
        }
        for path in exclude where !Projection.isReserved(path) {
            Projection.remove(path.components[...], from: &result)
        }
        return result
    }

    private static func isReserved(_ path: FieldPath) -> Bool {
        path.components[0] == "id" || path.components[0] == Entity.metaKey
    }

    private static func set(_ value: JSON, at path: ArraySlice<String>, in object: inout [String: JSON]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        var child = object[key]?.objectValue ?? [:]
        set(value, at: path.dropFirst(), in: &child)
        object[key] = .object(child)
    }

    private static func remove(_ path: ArraySlice<String>, from object: inout [String: JSON]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object.removeValue(forKey: key)
            return
        }
        guard var child = object[key]?.objectValue else { return }
        remove(path.dropFirst(), from: &child)
        object[key] = .object(child)
    }
}
