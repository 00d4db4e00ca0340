import EntityModel

extension NGSILDEntityReader {
    /// An attribute's value in a request: its instances, normalized. An array is a list of instances
    /// when every element is an object that looks like one (an attribute `type`, a value member or a
    /// geometry); any other array is the value of one Property.
    func attributeInstances(_ value: JSON, path: String, mode: Mode) throws(NGSILDError) -> [JSON] {
        var instances: [JSON] = []
        if case .array(let elements) = value, !elements.isEmpty, elements.allSatisfy(Self.looksLikeInstance) {
            for element in elements { instances.append(try instance(element, path: path, mode: mode)) }
        } else {
            instances.append(try instance(value, path: path, mode: mode))
        }
        var datasetIds: Set<String> = []
        var defaults = 0
        for instance in instances {
            guard case .string(let datasetId)? = instance["datasetId"] else {
                defaults += 1
                if defaults > 1 { throw Self.bad("\(path): two default instances (without datasetId)") }
                continue
            }
            guard datasetIds.insert(datasetId).inserted else {
                throw Self.bad("\(path): two instances with datasetId \(datasetId)")
            }
        }
        return instances
    }

    /// `true` for an object written as an attribute instance rather than as a plain value.
    static func looksLikeInstance(_ value: JSON) -> Bool {
        guard case .object(let members) = value else { return false }
        if case .string(let type)? = members["type"], NGSILDAttributeType(typeName: type) != nil { return true }
        return !NGSILDAttributeType.valueMembers.isDisjoint(with: members.keys) || NGSILDSyntax.isGeometry(value)
    }

    /// One instance, normalized with the concise rules of §3.3 and checked.
    private func instance(_ value: JSON, path: String, mode: Mode) throws(NGSILDError) -> JSON {
        switch value {
        case .null: throw Self.bad("\(path): an attribute cannot be null")
        case .object(let members):
            if members["@context"] != nil { throw Self.bad("\(path): @context is not allowed inside an attribute") }
            if let type = Self.conciseType(of: members, partial: mode.partial) {
                return try normalizedMembers(members, type: type, path: path, mode: mode)
            }
            if NGSILDSyntax.isGeometry(value) {
                return .object(["type": "GeoProperty", "value": value])
            }
            if case .string(let type)? = members["type"],
                NGSILDSyntax.isRefusedGeometry(value)
                    || NGSILDSyntax.geometryTypes.contains(type)
                        && members["coordinates"] != nil
            {
                throw Self.bad("\(path): \(type) is not a GeoJSON geometry NGSI-LD accepts")
            }
            if mode.partial {
                return try normalizedMembers(members, type: nil, path: path, mode: mode)
            }
            if case .string(let type)? = members["type"],
                !NGSILDAttributeType.valueMembers.isDisjoint(with: members.keys)
            {
                throw Self.bad("\(path): \"\(type)\" is not an NGSI-LD attribute type")
            }
            return .object(["type": "Property", "value": value])
        default:
            return try normalizedMembers(["value": value], type: .property, path: path, mode: mode)
        }
    }

    /// Rules 2, 4, 5 and 6 of §3.3: the type an instance object names or implies; `nil` when it is a
    /// geometry or a plain object value (rules 3 and 7), or a partial fragment that names none.
    private static func conciseType(of members: [String: JSON], partial: Bool) -> NGSILDAttributeType? {
        if case .string(let name)? = members["type"] {
            return NGSILDAttributeType(typeName: name)
        }
        if partial { return nil }
        if members["object"] != nil { return .relationship }
        for type in [
            NGSILDAttributeType.jsonProperty, .languageProperty, .vocabProperty, .listProperty, .listRelationship,
        ]
        where members[type.valueMember] != nil {
            return type
        }
        guard let value = members["value"] else { return nil }
        return NGSILDSyntax.isGeometry(value) ? .geoProperty : .property
    }

    /// The members of an instance, checked one by one; other members are sub-attributes.
    private func normalizedMembers(
        _ members: [String: JSON],
        type: NGSILDAttributeType?,
        path: String,
        mode: Mode
    ) throws(NGSILDError) -> JSON {
        var normalized: [String: JSON] = [:]
        if let type { normalized["type"] = .string(type.rawValue) }
        let prohibited = type?.prohibitedMembers ?? []
        for (name, value) in members {
            let memberPath = path + "." + name
            if prohibited.contains(name) {
                throw Self.bad("\(path): a \(type?.rawValue ?? "") cannot have \(name)")
            }
            switch name {
            case "type": continue
            case _ where NGSILDAttributeType.valueMembers.contains(name):
                normalized[name] = try valueMember(name, value, type: type, path: memberPath, mode: mode)
            case "datasetId":
                guard case .string(let datasetId) = value, datasetId == "@none" || NGSILDSyntax.isEntityId(datasetId)
                else { throw Self.bad("\(memberPath): not an absolute IRI (\(value))") }
                if datasetId != "@none" { normalized[name] = value }
            case "observedAt":
                guard case .string(let text) = value, NGSILDSyntax.isUTCDateTime(text) else {
                    throw Self.bad("\(memberPath): not a DateTime in UTC such as 2020-09-09T16:40:00.000Z (\(value))")
                }
                normalized[name] = value
            case "unitCode", "lang":
                guard case .string = value else { throw Self.bad("\(memberPath): must be a string") }
                normalized[name] = value
            case "objectType":
                normalized[name] = try typeValues(value, path: memberPath)
            case _ where Self.systemMembers.contains(name): continue
            default:
                let key = try attributeKey(name, path: memberPath)
                guard normalized[key.stored] == nil else {
                    throw Self.bad("\(memberPath): another member also stands for \(key.expanded)")
                }
                let instances = try attributeInstances(value, path: memberPath, mode: mode)
                normalized[key.stored] = instances.count == 1 ? instances[0] : .array(instances)
            }
        }
        if let type, !mode.partial, normalized[type.valueMember] == nil {
            throw Self.bad("\(path): a \(type.rawValue) needs \(type.valueMember)")
        }
        return .object(normalized)
    }
}
