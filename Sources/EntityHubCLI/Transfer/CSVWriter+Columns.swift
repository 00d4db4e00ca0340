import EntityModel

extension CSVWriter {
    /// The columns that show every leaf of `objects`: dot paths in first-seen order (the keys of one
    /// object in sorted order), with `id` first when present.
    ///
    /// Arrays and empty objects are leaves. A path in `excluded` leaves out that field and everything
    /// under it (`_meta` drops `_meta.created`). When one object has a value where another has an object
    /// (`a` and `a.b`), only `a` is kept, and the object is written there as JSON.
    ///
    /// ```swift
    /// CSVWriter.columns(for: [["name": "A", "id": "1", "address": ["city": "Oslo"]]], excluding: [])
    /// // ["id", "address.city", "name"]
    /// ```
    static func columns(for objects: [JSON], excluding excluded: Set<String> = []) -> [String] {
        var columns: [String] = []
        var seen: Set<String> = []
        func collect(_ members: [String: JSON], prefix: String) {
            for key in members.keys.sorted() {
                let path = prefix.isEmpty ? key : prefix + "." + key
                guard !excluded.contains(path), let value = members[key] else { continue }
                if case .object(let child) = value, !child.isEmpty {
                    collect(child, prefix: path)
                } else if seen.insert(path).inserted {
                    columns.append(path)
                }
            }
        }
        for object in objects {
            if case .object(let members) = object { collect(members, prefix: "") }
        }
        columns.removeAll { column in
            var prefix = Substring(column)
            while let dot = prefix.lastIndex(of: ".") {
                prefix = prefix[..<dot]
                if seen.contains(String(prefix)) { return true }
            }
            return false
        }
        if let position = columns.firstIndex(of: "id"), position > 0 {
            columns.remove(at: position)
            columns.insert("id", at: 0)
        }
        return columns
    }
}
