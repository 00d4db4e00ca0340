import EntityModel
import Foundation
import Yams

/// Loading a ``Schema`` from a file: JSON, or YAML when the name ends in `.yaml` or `.yml`.
///
/// ```yaml
/// collections:
///   products:
///     idPrefix: PRD
///     fields:
///       name: {type: string, required: true}
///       price: {type: decimal}
/// ```
public enum SchemaFile {
    /// Reads and validates the schema at `path`.
    public static func load(path: String) throws(SchemaError) -> Schema {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SchemaError(path: "", reason: "cannot read \(path): \(error.localizedDescription)")
        }
        let isYAML = ["yaml", "yml"].contains(url.pathExtension.lowercased())
        let document: JSON
        if isYAML {
            document = try yamlDocument(String(decoding: data, as: UTF8.self))
        } else {
            do {
                document = try JSON(parsing: data)
            } catch {
                throw SchemaError(path: "", reason: error.description)
            }
        }
        return try Schema(json: document)
    }

    /// The JSON value of a YAML document; numbers keep the text they were written with.
    static func yamlDocument(_ text: String) throws(SchemaError) -> JSON {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw SchemaError(path: "", reason: "invalid YAML: \(error)")
        }
        guard let node else { throw SchemaError(path: "", reason: "the YAML document is empty") }
        return try json(from: node, path: "")
    }

    private static func json(from node: Node, path: String) throws(SchemaError) -> JSON {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return .bool(node.bool ?? false)
            case .int:
                if let value = Int64(scalar.string) { return .integer(value) }
                if let value = node.int { return .integer(Int64(value)) }
                throw SchemaError(path: path, reason: "integer '\(scalar.string)' is out of range")
            case .float:
                guard let number = JSONNumber(scalar.string) else {
                    throw SchemaError(path: path, reason: "'\(scalar.string)' is not a JSON number")
                }
                return .number(number)
            default:
                return .string(scalar.string)
            }
        case .mapping(let mapping):
            var members: [String: JSON] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else {
                    throw SchemaError(path: path, reason: "keys must be plain strings")
                }
                members[name.string] = try json(
                    from: value,
                    path: path.isEmpty ? name.string : "\(path).\(name.string)"
                )
            }
            return .object(members)
        case .sequence(let sequence):
            var elements: [JSON] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try json(from: element, path: "\(path)[\(index)]"))
            }
            return .array(elements)
        case .alias:
            throw SchemaError(path: path, reason: "YAML aliases are not supported in schema files")
        }
    }
}
