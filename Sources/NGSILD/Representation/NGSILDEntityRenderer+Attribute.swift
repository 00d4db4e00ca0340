import EntityModel
import Foundation

extension NGSILDEntityRenderer {
    /// An attribute's instances in the chosen representation: one instance alone, several as an array
    /// (simplified: `{"dataset": {"@none": v0, "urn:…": v1}}`).
    func attribute(_ instances: [JSON]) -> JSON {
        switch options.format {
        case .normalized:
            return instances.count == 1 ? normalized(instances[0]) : .array(instances.map(normalized))
        case .concise:
            return instances.count == 1
                ? concise(instances[0], bare: true) : .array(instances.map { concise($0, bare: false) })
        case .simplified:
            guard instances.count > 1 else { return simplified(instances[0]) }
            var dataset: [String: JSON] = [:]
            for instance in instances {
                dataset[NGSILDStoredEntity.datasetId(of: instance) ?? "@none"] = simplified(instance)
            }
            return ["dataset": .object(dataset)]
        }
    }

    /// `{"type": …, value member, …}`: names and `vocab`/`objectType` compacted, sub-attributes
    /// rendered likewise, system times only with `sysAttrs`, a LanguageProperty as a Property with
    /// `lang` when a language is asked for.
    private func normalized(_ instance: JSON) -> JSON {
        guard case .object(let stored) = instance else { return instance }
        var members: [String: JSON] = [:]
        for (name, value) in stored {
            switch name {
            case "createdAt", "modifiedAt": if options.sysAttrs { members[name] = value }
            case "vocab", "objectType": members[name] = compactTypes(value)
            case _ where NGSILDStoredEntity.isAttributeName(name):
                members[compactName(name)] = attribute(NGSILDStoredEntity.instances(value))
            default: members[name] = value
            }
        }
        if NGSILDStoredEntity.type(of: instance) == .languageProperty, let chosen = chosenText(stored["languageMap"]) {
            members["type"] = "Property"
            members["languageMap"] = nil
            members["value"] = chosen.text
            members["lang"] = chosen.tag.map(JSON.string)
        }
        return .object(members)
    }

    /// The normalized instance without `type`; a plain Property or GeoProperty value alone when
    /// nothing else is left and `bare` (an object or an array of objects always keeps `{"value": …}`,
    /// so that reading it back gives the same attribute).
    private func concise(_ instance: JSON, bare: Bool) -> JSON {
        guard case .object(var members) = normalized(instance) else { return instance }
        let type = members.removeValue(forKey: "type")?.stringValue.flatMap { NGSILDAttributeType(typeName: $0) }
        guard bare, members.count == 1, let value = members["value"] else { return .object(members) }
        switch (type, value) {
        case (.geoProperty?, _): return value
        case (_, .object): return .object(members)
        case (_, .array(let elements)) where elements.contains(where: { $0.objectValue != nil }):
            return .object(members)
        default: return value
        }
    }

    /// The value alone (4.5.4): a Property's value, a Relationship's object, a GeoProperty's
    /// geometry; `{"languageMap": …}`, `{"json": …}`, `{"vocab": …}`, `{"valueList": …}` and
    /// `{"objectList": [IRIs]}` for the other types; a language's text when `lang` is asked for.
    private func simplified(_ instance: JSON) -> JSON {
        let type = NGSILDStoredEntity.type(of: instance)
        let value = instance[type.valueMember] ?? .null
        switch type {
        case .property, .geoProperty: return value
        case .relationship: return value
        case .languageProperty:
            return chosenText(value)?.text ?? ["languageMap": value]
        case .jsonProperty: return ["json": value]
        case .vocabProperty: return ["vocab": compactTypes(value)]
        case .listProperty: return ["valueList": value]
        case .listRelationship:
            let objects = value.arrayValue?.map { $0["object"] ?? $0 } ?? []
            return ["objectList": .array(objects)]
        }
    }

    private func compactTypes(_ value: JSON) -> JSON {
        switch value {
        case .string(let name): .string(compactType(name))
        case .array(let elements): .array(elements.map { $0.stringValue.map { .string(compactType($0)) } ?? $0 })
        default: value
        }
    }

    /// The text of a language map in the language `lang` asks for (4.15): the first range (by
    /// quality, then order) that a tag equals or starts (`en` takes `en-GB`), case-insensitively;
    /// `*` or no match takes the `@none` text, else the smallest tag's. `nil` without `lang`. The tag
    /// is `nil` for the `@none` text.
    private func chosenText(_ languageMap: JSON?) -> (text: JSON, tag: String?)? {
        guard let lang = options.lang, case .object(let map)? = languageMap, !map.isEmpty else { return nil }
        let tags = map.keys.filter { $0 != "@none" }.sorted()
        for range in Self.languageRanges(lang) where range != "*" {
            if let tag = tags.first(where: { $0.lowercased() == range })
                ?? tags.first(where: { $0.lowercased().hasPrefix(range + "-") })
            {
                return (map[tag] ?? .null, tag)
            }
        }
        if let text = map["@none"] { return (text, nil) }
        guard let tag = tags.first else { return nil }
        return (map[tag] ?? .null, tag)
    }

    /// `fr,en;q=0.8,*` → `["fr", "en", "*"]`: lower-cased ranges by descending quality, stable.
    static func languageRanges(_ lang: String) -> [String] {
        let weighted = lang.split(separator: ",").enumerated().map { position, part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (range: pieces.first?.lowercased() ?? "", quality: quality, position: position)
        }
        return weighted.filter { !$0.range.isEmpty }
            .sorted { ($0.quality, -$0.position) > ($1.quality, -$1.position) }
            .map(\.range)
    }
}
