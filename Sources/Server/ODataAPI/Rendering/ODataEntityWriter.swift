import EntityModel
import EntityQuery
import Foundation

/// Writes entities in OData JSON at the negotiated metadata level.
///
/// - minimal: `@odata.etag`, properties, expanded navigations;
/// - full: also `@odata.id`, `@odata.editLink`, `@odata.type`, `Prop@odata.type` for Int64, Decimal,
///   Date and DateTimeOffset values, navigation links and the entity's bound operations;
/// - none: properties only.
struct ODataEntityWriter: Sendable {
    let model: ODataModel
    let format: ODataFormat
    /// The absolute service root, ending in `/`.
    let serviceRoot: String

    private var values: ODataValueWriter { ODataValueWriter(model: model, format: format) }

    /// Writes entities of `type` as a JSON array; the property names are encoded once for all.
    func write(_ trees: [ODataEntityTree], of type: ODataStructuredType, into output: inout [UInt8]) {
        let names = Self.memberNames(of: type)
        output.append(UInt8(ascii: "["))
        for index in trees.indices {  // by index: each tree is borrowed, not copied
            if index > 0 { output.append(UInt8(ascii: ",")) }
            write(trees[index], names: trees[index].type.name == type.name ? names : nil, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// Writes one entity as a JSON object; `context` (a context URL) goes first when given.
    func write(_ tree: ODataEntityTree, context: String? = nil, into output: inout [UInt8]) {
        write(tree, context: context, names: nil, into: &output)
    }

    /// `"name":` of each property of `type`, in order, as JSON bytes.
    private static func memberNames(of type: ODataStructuredType) -> [[UInt8]] {
        type.properties.map { property in
            var name: [UInt8] = []
            JSON.writeString(property.name, into: &name)
            name.append(UInt8(ascii: ":"))
            return name
        }
    }

    /// Writes one entity; `names` are the ``memberNames(of:)`` of its type, when already encoded.
    private func write(
        _ tree: ODataEntityTree,
        context: String? = nil,
        names: [[UInt8]]?,
        into output: inout [UInt8]
    ) {
        let prefix = format.annotationPrefix
        var members = MemberWriter()
        output.append(UInt8(ascii: "{"))
        if let context, format.metadata != .none {
            members.add("\(prefix)context", to: &output)
            JSON.writeString(context, into: &output)
        }
        if format.metadata == .full {
            members.add("\(prefix)type", to: &output)
            JSON.writeString("#\(ODataModel.namespace).\(tree.type.name)", into: &output)
            members.add("\(prefix)id", to: &output)
            JSON.writeString(serviceRoot + tree.path, into: &output)
            members.add("\(prefix)editLink", to: &output)
            JSON.writeString(tree.path, into: &output)
        }
        if format.metadata != .none {
            members.add(format.version == .v401 ? "@etag" : "@odata.etag", to: &output)
            // `"\"3\""`: the ETag as a JSON string, written without building it.
            output.append(contentsOf: #""\""#.utf8)
            output.append(contentsOf: String(tree.entity.version).utf8)
            output.append(contentsOf: #"\"""#.utf8)
        }
        for (index, property) in tree.type.properties.enumerated() {
            if let selection = tree.selection, !selection.contains(property.name) { continue }
            func addName() {
                if let names {
                    members.add(encoded: names[index], to: &output)
                } else {
                    members.add(property.name, to: &output)
                }
            }
            if format.metadata != .full, let instant = tree.entity.timestamp(at: property.path) {
                // `created`/`updated`: written from the date, without a string in between.
                addName()
                output.append(UInt8(ascii: "\""))
                Timestamp.write(instant, into: &output)
                output.append(UInt8(ascii: "\""))
                continue
            }
            guard let value = tree.entity.value(at: property.path) else {
                if property.type.isCollection || property.isNullable {
                    addName()
                    output.append(contentsOf: "null".utf8)
                }
                continue
            }
            if format.metadata == .full, let annotation = Self.typeAnnotation(property.type, value) {
                members.add("\(property.name)\(prefix)type", to: &output)
                JSON.writeString(annotation, into: &output)
            }
            addName()
            values.write(value, as: property.type, into: &output)
        }
        if tree.type.isOpen, tree.entity.values.count > 0 {
            let dynamic = tree.entity.values.keys.filter { key in
                !tree.type.properties.contains { $0.path.components.first == key }
            }
            for key in dynamic.sorted() {
                if let selection = tree.selection, !selection.contains(key) { continue }
                members.add(key, to: &output)
                tree.entity.values[key]!.write(into: &output)
            }
        }
        if format.metadata == .full {
            for navigation in tree.type.navigations {
                members.add("\(navigation.name)\(prefix)navigationLink", to: &output)
                JSON.writeString("\(tree.path)/\(navigation.name)", into: &output)
            }
            for operation in model.operations where operation.binding == .entity(tree.type.name) {
                let qualified = "\(ODataModel.namespace).\(operation.name)"
                members.add("#\(qualified)", to: &output)
                output.append(contentsOf: #"{"title":"#.utf8)
                JSON.writeString(qualified, into: &output)
                output.append(contentsOf: #","target":"#.utf8)
                JSON.writeString("\(serviceRoot)\(tree.path)/\(qualified)", into: &output)
                output.append(UInt8(ascii: "}"))
            }
        }
        for (name, value) in tree.expanded {
            writeExpanded(name, value, members: &members, into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    private func writeExpanded(
        _ name: String,
        _ value: ODataExpandedValue,
        members: inout MemberWriter,
        into output: inout [UInt8]
    ) {
        let prefix = format.annotationPrefix
        switch value {
        case .single(let tree):
            members.add(name, to: &output)
            if let tree { write(tree, into: &output) } else { output.append(contentsOf: "null".utf8) }
        case .many(let trees, let count):
            if let count {
                members.add("\(name)\(prefix)count", to: &output)
                writeCount(count, into: &output)
            }
            members.add(name, to: &output)
            if let type = trees.first?.type {
                write(trees, of: type, into: &output)
            } else {
                output.append(contentsOf: "[]".utf8)
            }
        case .references(let paths, let isCollection):
            members.add(name, to: &output)
            if isCollection {
                writeReferences(paths, into: &output)
            } else if let path = paths.first {
                writeReference(path, into: &output)
            } else {
                output.append(contentsOf: "null".utf8)
            }
        case .count(let count):
            members.add("\(name)\(prefix)count", to: &output)
            writeCount(count, into: &output)
        }
    }

    /// `{"@odata.id": "<root><path>"}`: an entity reference.
    func writeReference(_ path: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        JSON.writeString("\(format.annotationPrefix)id", into: &output)
        output.append(UInt8(ascii: ":"))
        JSON.writeString(serviceRoot + path, into: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// `[{"@odata.id": …}, …]`.
    func writeReferences(_ paths: [String], into output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        for (index, path) in paths.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            writeReference(path, into: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// A count: a number, or a string under `IEEE754Compatible=true`.
    func writeCount(_ count: Int, into output: inout [UInt8]) {
        if format.ieee754Compatible {
            JSON.writeString(String(count), into: &output)
        } else {
            output.append(contentsOf: String(count).utf8)
        }
    }

    /// `#Int64`, `#Decimal`, `#Date`, `#DateTimeOffset` for values JSON cannot tell apart.
    static func typeAnnotation(_ type: ODataType, _ value: JSON) -> String? {
        guard value != .null else { return nil }
        switch type {
        case .primitive(.int64): return "#Int64"
        case .primitive(.decimal): return "#Decimal"
        case .primitive(.date): return "#Date"
        case .primitive(.dateTimeOffset): return "#DateTimeOffset"
        case .collection(.primitive(let primitive)) where primitive != .string && primitive != .boolean:
            return "#Collection(\(primitive.rawValue.dropFirst(4)))"
        default: return nil
        }
    }
}

/// Counts the members written into one JSON object, to place the commas.
struct MemberWriter {
    private var count = 0

    mutating func add(_ name: String, to output: inout [UInt8]) {
        if count > 0 { output.append(UInt8(ascii: ",")) }
        count += 1
        JSON.writeString(name, into: &output)
        output.append(UInt8(ascii: ":"))
    }

    /// Adds a member whose name is already written as JSON with its colon (`"name":`).
    mutating func add(encoded name: [UInt8], to output: inout [UInt8]) {
        if count > 0 { output.append(UInt8(ascii: ",")) }
        count += 1
        output.append(contentsOf: name)
    }
}

extension Entity {
    /// The metadata timestamp at `_meta.created` or `_meta.updated`; `nil` for any other path.
    func timestamp(at path: FieldPath) -> Date? {
        let components = path.components
        guard components.count == 2, components[0] == Entity.metaKey else { return nil }
        switch components[1] {
        case "created": return createdAt
        case "updated": return updatedAt
        default: return nil
        }
    }

    /// The value at a document path (`price`, `address.city`, `id`, `_meta.created`) without building
    /// the whole document: what writing a page of entities reads for every property.
    func value(at path: FieldPath) -> JSON? {
        let components = path.components
        guard let first = components.first else { return nil }
        switch (first, components.count) {
        case ("id", 1): return .string(id)
        case (Entity.metaKey, 2):
            switch components[1] {
            case "created": return .string(Timestamp.format(createdAt))
            case "updated": return .string(Timestamp.format(updatedAt))
            case "version": return .integer(version)
            default: return meta.value(at: components.dropFirst())
            }
        case (Entity.metaKey, _): return meta.value(at: components.dropFirst())
        default:
            guard let value = values[first] else { return nil }
            return components.count == 1 ? value : value.value(at: components.dropFirst())
        }
    }
}
