/// What a `q` term reads: an attribute, optionally a member or sub-attribute path below it, a path
/// into its JSON value, and the linked entities to go through first.
///
/// | written | ``linkedEntities`` | ``name`` | ``memberPath`` | ``valuePath`` |
/// |---|---|---|---|---|
/// | `temperature` | | `temperature` | | |
/// | `temperature.observedAt` | | `temperature` | `observedAt` | |
/// | `address[city.name]` | | `address` | | `city`, `name` |
/// | `name[en]` | | `name` | | `en` |
/// | `locatedIn{City:population}` | `locatedIn` → `City` | `population` | | |
///
/// Whether `[en]` selects a language of a LanguageProperty or a member of a JSON value depends on
/// the attribute's type, which only the stored entity tells; ``languageTag`` offers the one-name form.
public struct NGSILDAttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The relationships to follow, outermost first, before ``name`` is read on the linked entity
    /// (`locatedIn{…}`); empty for an attribute of the entity itself.
    public var linkedEntities: [NGSILDLinkedEntityStep]
    /// The attribute name as written (not expanded with the `@context`).
    public var name: String
    /// The dotted names after the attribute: a member such as `observedAt`, `unitCode`, `datasetId`,
    /// `createdAt`, `modifiedAt`, or sub-attribute names.
    public var memberPath: [String]
    /// The dotted names inside the trailing brackets (`[a.b]`); empty when there are none.
    public var valuePath: [String]

    /// Creates a path; only `name` is required.
    public init(
        linkedEntities: [NGSILDLinkedEntityStep] = [],
        name: String,
        memberPath: [String] = [],
        valuePath: [String] = []
    ) {
        self.linkedEntities = linkedEntities
        self.name = name
        self.memberPath = memberPath
        self.valuePath = valuePath
    }

    /// The language tag of `name[en]`: the bracketed name when there is exactly one.
    public var languageTag: String? {
        valuePath.count == 1 ? valuePath[0] : nil
    }

    /// The path written back in `q` syntax.
    public var description: String {
        var text = ([name] + memberPath).joined(separator: ".")
        if !valuePath.isEmpty { text += "[" + valuePath.joined(separator: ".") + "]" }
        for step in linkedEntities.reversed() {
            let types = step.entityTypes.isEmpty ? "" : step.entityTypes.joined(separator: ",") + ":"
            text = step.relationship + "{" + types + text + "}"
        }
        return text
    }
}

/// One step of a linked entity path: follow ``relationship`` to the entities it points to, keeping
/// those of ``entityTypes`` (any type when empty).
///
/// `locatedIn{City,Town:population}` is the step (`locatedIn`, [`City`, `Town`]) followed by
/// the attribute `population` of the linked entity.
public struct NGSILDLinkedEntityStep: Sendable, Hashable {
    /// The relationship's attribute name, as written.
    public var relationship: String
    /// The entity types written before `:`, as written.
    public var entityTypes: [String]

    /// Creates a step.
    public init(relationship: String, entityTypes: [String] = []) {
        self.relationship = relationship
        self.entityTypes = entityTypes
    }
}
