import EntityModel

/// Indented JSON for people: `id` first, `_meta` last, other keys sorted, two spaces per level.
enum JSONPrettyPrinter {
    static func text(_ value: JSON) -> String {
        var output: [UInt8] = []
        write(value, indent: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: JSON, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                output.append(contentsOf: position == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                pad(indent + 1, into: &output)
                write(element, indent: indent + 1, into: &output)
            }
            output.append(0x0A)
            pad(indent, into: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            output.append(UInt8(ascii: "{"))
            for (position, key) in orderedKeys(members).enumerated() {
                output.append(contentsOf: position == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                pad(indent + 1, into: &output)
                JSON.writeString(key, into: &output)
                output.append(contentsOf: ": ".utf8)
                write(members[key] ?? .null, indent: indent + 1, into: &output)
            }
            output.append(0x0A)
            pad(indent, into: &output)
            output.append(UInt8(ascii: "}"))
        default:
            value.write(into: &output)
        }
    }

    /// `id` first, `_meta` last, the rest sorted.
    static func orderedKeys(_ members: [String: JSON]) -> [String] {
        let rest = members.keys.filter { $0 != "id" && $0 != "_meta" }.sorted()
        return (members["id"] == nil ? [] : ["id"]) + rest + (members["_meta"] == nil ? [] : ["_meta"])
    }

    private static func pad(_ level: Int, into output: inout [UInt8]) {
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
    }
}
