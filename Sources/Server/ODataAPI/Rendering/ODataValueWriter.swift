import EntityModel
import EntityQuery

/// Writes property values in OData JSON: declared Int64 and Decimal values as strings when the client
/// asked for `IEEE754Compatible=true`, complex values by their type's properties, the rest as stored.
struct ODataValueWriter: Sendable {
    let model: ODataModel
    let format: ODataFormat

    func write(_ value: JSON, as type: ODataType?, into output: inout [UInt8]) {
        switch (type, value) {
        case (.primitive(.int64)?, .integer), (.primitive(.int64)?, .number),
            (.primitive(.decimal)?, .integer), (.primitive(.decimal)?, .number):
            guard format.ieee754Compatible else {
                value.write(into: &output)
                return
            }
            JSON.writeString(Self.numberText(value), into: &output)
        case (.complex(let name)?, .object(let members)):
            guard let complex = model.type(named: name) else {
                value.write(into: &output)
                return
            }
            writeObject(members, of: complex, into: &output)
        case (.collection(let element)?, .array(let elements)):
            output.append(UInt8(ascii: "["))
            for (index, element_) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element_, as: element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        default:
            value.write(into: &output)
        }
    }

    /// A complex value: declared properties under their OData names, then the undeclared members.
    func writeObject(_ members: [String: JSON], of type: ODataStructuredType, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        var first = true
        var declared: Set<String> = []
        for property in type.properties {
            guard let key = property.path.components.first else { continue }
            declared.insert(key)
            guard let value = members[key] else { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSON.writeString(property.name, into: &output)
            output.append(UInt8(ascii: ":"))
            write(value, as: property.type, into: &output)
        }
        for key in members.keys.sorted() where !declared.contains(key) {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSON.writeString(key, into: &output)
            output.append(UInt8(ascii: ":"))
            members[key]!.write(into: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    static func numberText(_ value: JSON) -> String {
        switch value {
        case .integer(let integer): return String(integer)
        case .number(let number): return number.text
        default: return value.description
        }
    }
}
