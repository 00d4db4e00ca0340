import EntityModel

/// Reading stored documents (the `values` of an entity in the NGSI-LD collection), leniently: a
/// document written through REST is an NGSI-LD entity when it has `type`, and its other members are
/// read by the concise rules when they are not already normalized. Nothing here throws or traps.
///
/// ```swift
/// NGSILDStoredEntity.isEntity(["type": "Room", "temperature": 20])   // true
/// NGSILDStoredEntity.normalized(["type": "Room", "temperature": 20])["temperature"]
/// // ["type": "Property", "value": 20]
/// ```
public enum NGSILDStoredEntity {
    /// `true` when the document is an NGSI-LD entity: it has a `type` naming at least one type.
    public static func isEntity(_ values: [String: JSON]) -> Bool {
        !types(of: values).isEmpty
    }

    /// The stored types: `type` as a string, or the strings of an array.
    public static func types(of values: [String: JSON]) -> [String] {
        strings(values["type"])
    }

    /// The scopes: `scope` as a string, or the strings of an array.
    public static func scopes(of values: [String: JSON]) -> [String] {
        strings(values["scope"])
    }

    /// The stored attribute names: every member but `type`, `scope` and NGSI-LD's reserved names.
    public static func attributeNames(of values: [String: JSON]) -> [String] {
        values.keys.filter(isAttributeName).sorted()
    }

    /// The document with every attribute in normalized form (§3.3's concise rules for members that
    /// are not); `type`, `scope` and unknown reserved members are kept as they are.
    public static func normalized(_ values: [String: JSON]) -> [String: JSON] {
        var result = values
        for name in attributeNames(of: values) {
            result[name] = storedValue(instances(values[name] ?? .null))
        }
        return result
    }

    /// `true` for a member name that is an attribute (or sub-attribute) rather than an entity or
    /// instance member.
    static func isAttributeName(_ name: String) -> Bool {
        !NGSILDMemberName.keepsName(name)
    }

    /// The instances of a stored attribute, each an object with a `type`: normalized members as they
    /// are, anything else read by the concise rules without checks.
    static func instances(_ value: JSON) -> [JSON] {
        if case .array(let elements) = value, !elements.isEmpty,
            elements.allSatisfy(NGSILDEntityReader.looksLikeInstance)
        {
            return elements.map(instance)
        }
        return [instance(value)]
    }

    /// An attribute's stored value: its one instance, or the array of several; `nil` for none.
    static func storedValue(_ instances: [JSON]) -> JSON? {
        switch instances.count {
        case 0: nil
        case 1: instances[0]
        default: .array(instances)
        }
    }

    /// The `datasetId` of an instance; `nil` for the default instance.
    static func datasetId(of instance: JSON) -> String? {
        instance["datasetId"]?.stringValue
    }

    /// The attribute type of a normalized instance.
    static func type(of instance: JSON) -> NGSILDAttributeType {
        instance["type"]?.stringValue.flatMap { NGSILDAttributeType(typeName: $0) } ?? .property
    }

    private static func instance(_ value: JSON) -> JSON {
        guard case .object(var members) = value else { return ["type": "Property", "value": value] }
        let named = members["type"]?.stringValue.flatMap { NGSILDAttributeType(typeName: $0) }
        if let named, members[named.valueMember] != nil { return value }
        if NGSILDSyntax.isGeometry(value) { return ["type": "GeoProperty", "value": value] }
        let implied: NGSILDAttributeType? =
            members["object"] != nil
            ? .relationship
            : [NGSILDAttributeType.jsonProperty, .languageProperty, .vocabProperty, .listProperty, .listRelationship]
                .first { members[$0.valueMember] != nil } ?? (members["value"] != nil ? .property : nil)
        guard var implied, members["type"] == nil else { return ["type": "Property", "value": value] }
        if implied == .property, NGSILDSyntax.isGeometry(members["value"] ?? .null) { implied = .geoProperty }
        members["type"] = .string(implied.rawValue)
        return .object(members)
    }

    private static func strings(_ value: JSON?) -> [String] {
        switch value {
        case .string(let text)?: [text]
        case .array(let elements)?: elements.compactMap(\.stringValue)
        default: []
        }
    }
}
