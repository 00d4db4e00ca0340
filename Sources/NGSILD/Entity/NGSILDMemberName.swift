/// Member names of NGSI-LD entities and attributes that are never expanded or compacted.
public enum NGSILDMemberName {
    /// The names §2.5 lists, plus `valueList` and `objectList`, the value members of ListProperty and
    /// ListRelationship (§3.1): `id type value object languageMap json vocab objectType datasetId
    /// observedAt unitCode createdAt modifiedAt deletedAt instanceId lang @context scope valueList
    /// objectList`.
    public static let neverExpanded: Set<String> = [
        "id", "type", "value", "object", "languageMap", "json", "vocab", "objectType", "datasetId", "observedAt",
        "unitCode", "createdAt", "modifiedAt", "deletedAt", "instanceId", "lang", "@context", "scope", "valueList",
        "objectList",
    ]

    /// Members whose string values name vocabulary terms and are expanded and compacted like types:
    /// VocabProperty's `vocab` and Relationship's `objectType`.
    public static let typeLikeValues: Set<String> = ["vocab", "objectType"]

    /// `true` when a member named `name` keeps its name: a listed name or a JSON-LD keyword form (`@…`),
    /// such as the members of a value object `{"@type": "DateTime", "@value": "…"}`.
    public static func keepsName(_ name: String) -> Bool {
        neverExpanded.contains(name) || name.hasPrefix("@")
    }
}
