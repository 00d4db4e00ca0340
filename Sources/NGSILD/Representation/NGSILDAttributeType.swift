/// The eight NGSI-LD attribute types (§3.1) and the members that carry their values.
///
/// ```swift
/// NGSILDAttributeType(rawValue: "LanguageProperty")?.valueMember   // "languageMap"
/// ```
public enum NGSILDAttributeType: String, Sendable, Hashable, CaseIterable {
    case property = "Property"
    case relationship = "Relationship"
    case geoProperty = "GeoProperty"
    case languageProperty = "LanguageProperty"
    case jsonProperty = "JsonProperty"
    case vocabProperty = "VocabProperty"
    case listProperty = "ListProperty"
    case listRelationship = "ListRelationship"

    /// The member holding the attribute's value: `value`, `object`, `languageMap`, `json`, `vocab`,
    /// `valueList` or `objectList`.
    public var valueMember: String {
        switch self {
        case .property, .geoProperty: "value"
        case .relationship: "object"
        case .languageProperty: "languageMap"
        case .jsonProperty: "json"
        case .vocabProperty: "vocab"
        case .listProperty: "valueList"
        case .listRelationship: "objectList"
        }
    }

    /// Every value member of any type.
    static let valueMembers: Set<String> = Set(allCases.map(\.valueMember))

    /// Members this type prohibits besides the value members of the other types (4.5.x): `unitCode`
    /// has no meaning on a relationship, a language map, a JSON document or a vocabulary term;
    /// `objectType` belongs to relationships.
    var prohibitedMembers: Set<String> {
        var prohibited = Self.valueMembers.subtracting([valueMember])
        switch self {
        case .relationship, .listRelationship: prohibited.insert("unitCode")
        case .languageProperty, .jsonProperty, .vocabProperty:
            prohibited.formUnion(["unitCode", "objectType"])
        case .property, .geoProperty, .listProperty: prohibited.insert("objectType")
        }
        return prohibited
    }

    /// The type an NGSI-LD `type` member names: the short name, or its expansion under the core
    /// vocabulary (`https://uri.etsi.org/ngsi-ld/Property`, `ngsi-ld:Property`).
    init?(typeName: String) {
        if let type = Self(rawValue: typeName) {
            self = type
            return
        }
        guard let iri = ActiveContext.core.expandIRI(typeName),
            let name = JSONLDKeyword.remainder(of: iri, after: "https://uri.etsi.org/ngsi-ld/"),
            let type = Self(rawValue: name)
        else { return nil }
        self = type
    }
}
