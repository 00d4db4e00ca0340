import EntityModel

/// Picks values out of JSON objects by dot paths (`address.city`), as `values(_:)` does.
enum FieldPicker {
    static func pick(_ paths: [String], from document: JSON) -> [String: JSON] {
        var picked: [String: JSON] = [:]
        for path in paths {
            if let value = document.value(at: path.split(separator: ".").map(String.init)) {
                picked[path] = value
            }
        }
        return picked
    }
}
