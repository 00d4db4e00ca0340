import EntityModel

extension NGSILDEntityReader {
    /// The IRIs of the core members that are no attributes (`ngsi-ld:observedAt`, `ngsi-ld:hasValue`…):
    /// an attribute named so, in any spelling, is refused.
    static let reservedAttributeIRIs: Set<String> = Set(
        NGSILDMemberName.neverExpanded.compactMap { name in
            ActiveContext.core.expandIRI(name).flatMap { JSONLDKeyword.isKeyword($0) ? nil : $0 }
        }
    )

    /// An attribute or sub-attribute name: checked (4.6.2, no core member), expanded with the request's
    /// context and compacted against the core context alone.
    func attributeKey(_ name: String, path: String) throws(NGSILDError) -> (stored: String, expanded: String) {
        if let known = memo.attribute(name) { return known }
        let key = try mapAttributeName(name, path: path)
        memo.remember(attribute: name, as: key)
        return key
    }

    private func mapAttributeName(_ name: String, path: String) throws(NGSILDError) -> (
        stored: String, expanded: String
    ) {
        if name == "@context" { throw Self.bad("\(path): @context is not allowed inside an attribute") }
        if NGSILDMemberName.neverExpanded.contains(name) || name.hasPrefix("@") {
            throw Self.bad("\(path): a core member name, not an attribute name")
        }
        guard NGSILDSyntax.isName(name) else { throw Self.bad("\(path): not a valid attribute name (4.6.2)") }
        let expanded: String
        do {
            expanded = try context.expandAttributeName(name)
        } catch {
            throw Self.bad("\(path): \(error.message)")
        }
        guard !Self.reservedAttributeIRIs.contains(expanded) else {
            throw Self.bad("\(path): \(expanded) is a core member, not an attribute")
        }
        return (ActiveContext.core.compactIRI(expanded, for: .attributeName), expanded)
    }

    /// An entity type, `vocab` or `objectType` value: checked, expanded with the request's context
    /// (a keyword is refused) and compacted against the core context alone.
    func typeValue(_ name: String, path: String) throws(NGSILDError) -> String {
        if let known = memo.type(name) { return known }
        let stored = try mapTypeName(name, path: path)
        memo.remember(type: name, as: stored)
        return stored
    }

    private func mapTypeName(_ name: String, path: String) throws(NGSILDError) -> String {
        guard NGSILDSyntax.isName(name) else { throw Self.bad("\(path): \"\(name)\" is not a valid name (4.6.2)") }
        do {
            let expanded = try context.expandType(name)
            return ActiveContext.core.compactIRI(expanded, for: .typeValue)
        } catch {
            throw Self.bad("\(path): \(error.message)")
        }
    }

    /// A string or an array of strings, each mapped by ``typeValue(_:path:)``.
    func typeValues(_ value: JSON, path: String) throws(NGSILDError) -> JSON {
        switch value {
        case .string(let name): return .string(try typeValue(name, path: path))
        case .array(let elements) where !elements.isEmpty:
            var mapped: [JSON] = []
            for element in elements {
                guard case .string(let name) = element else { throw Self.bad("\(path): \(element) is not a name") }
                mapped.append(.string(try typeValue(name, path: path)))
            }
            return .array(mapped)
        default: throw Self.bad("\(path): must be a name or a non-empty array of names, found \(value.typeName)")
        }
    }
}
