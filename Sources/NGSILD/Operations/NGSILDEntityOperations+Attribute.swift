import EntityModel

extension NGSILDEntityOperations {
    /// Partial Attribute Update (5.6.4): the default instance, or the fragment's `datasetId` instance,
    /// is merged with the fragment (sub-attributes merged, NGSI-LD Null as the value deletes the
    /// instance).
    ///
    /// - Throws: ``NGSILDError/Code/resourceNotFound`` when the attribute or instance is missing;
    ///   ``NGSILDError/Code/badRequestData`` when the fragment changes the attribute's type or is empty.
    public func updateAttribute(_ fragment: NGSILDAttributeFragment, in values: inout [String: JSON])
        throws(NGSILDError)
    {
        var updated = NGSILDStoredEntity.normalized(values)
        var instances = try existingInstances(of: fragment.name, expandedName: fragment.expandedName, in: updated)
        for change in fragment.instances {
            let datasetId = NGSILDStoredEntity.datasetId(of: change)
            guard let index = Self.index(in: instances, datasetId: datasetId) else {
                throw NGSILDError(.resourceNotFound, "\(fragment.expandedName): \(Self.missing(datasetId))")
            }
            if Self.isDeletion(change) {
                instances.remove(at: index)
                continue
            }
            try Self.checkSameType(change, as: instances[index], name: fragment.expandedName)
            instances[index] = mergedInstance(instances[index], with: change)
        }
        updated[fragment.name] = NGSILDStoredEntity.storedValue(instances)
        values = updated
    }

    /// Replace Attribute (5.6.19): each fragment instance replaces the stored instance with the same
    /// `datasetId` (keeping its `createdAt`) or is added; the attribute's other instances stay.
    ///
    /// - Throws: ``NGSILDError/Code/resourceNotFound`` when the entity has no such attribute.
    public func replaceAttribute(_ fragment: NGSILDAttributeFragment, in values: inout [String: JSON])
        throws(NGSILDError)
    {
        var replaced = NGSILDStoredEntity.normalized(values)
        var instances = try existingInstances(of: fragment.name, expandedName: fragment.expandedName, in: replaced)
        for instance in fragment.instances {
            let datasetId = NGSILDStoredEntity.datasetId(of: instance)
            if let index = Self.index(in: instances, datasetId: datasetId) {
                instances[index] = stamped(instance, replacing: instances[index])
            } else {
                instances.append(stamped(instance, replacing: nil))
            }
        }
        replaced[fragment.name] = NGSILDStoredEntity.storedValue(instances)
        values = replaced
    }

    /// Delete Attribute (5.6.5): the default instance, the `datasetId` instance, or with `deleteAll`
    /// every instance of the attribute with stored name `name`. `scope` removes the entity's scope.
    ///
    /// - Throws: ``NGSILDError/Code/resourceNotFound`` when the attribute or instance is missing.
    public func deleteAttribute(
        named name: String,
        datasetId: String? = nil,
        deleteAll: Bool = false,
        in values: inout [String: JSON]
    ) throws(NGSILDError) {
        let expandedName = NGSILDUpdateResult.expandedName(name)
        if name == "scope" {
            guard values["scope"] != nil else { throw NGSILDError(.resourceNotFound, "scope: the entity has none") }
            values["scope"] = nil
            return
        }
        var remaining = NGSILDStoredEntity.normalized(values)
        var instances = try existingInstances(of: name, expandedName: expandedName, in: remaining)
        if deleteAll {
            instances = []
        } else {
            guard let index = Self.index(in: instances, datasetId: datasetId) else {
                throw NGSILDError(.resourceNotFound, "\(expandedName): \(Self.missing(datasetId))")
            }
            instances.remove(at: index)
        }
        remaining[name] = NGSILDStoredEntity.storedValue(instances)
        values = remaining
    }

    private func existingInstances(of name: String, expandedName: String, in values: [String: JSON])
        throws(NGSILDError) -> [JSON]
    {
        guard NGSILDStoredEntity.isAttributeName(name), let value = values[name] else {
            throw NGSILDError(.resourceNotFound, "\(expandedName): the entity has no such attribute")
        }
        return NGSILDStoredEntity.instances(value)
    }

    /// A partial update keeps the attribute's type: an explicit `type`, or a value member of another
    /// type, is refused.
    private static func checkSameType(_ change: JSON, as stored: JSON, name: String) throws(NGSILDError) {
        let storedType = NGSILDStoredEntity.type(of: stored)
        if case .string(let given)? = change["type"], NGSILDAttributeType(typeName: given) != storedType {
            throw NGSILDError(
                .badRequestData,
                "\(name): a partial update cannot change the type \(storedType.rawValue) to \(given)"
            )
        }
        guard case .object(let members) = change else { return }
        for member in NGSILDAttributeType.valueMembers where member != storedType.valueMember && members[member] != nil
        {
            throw NGSILDError(.badRequestData, "\(name): a \(storedType.rawValue) cannot have \(member)")
        }
        let changes = members.keys.filter { $0 != "datasetId" && !NGSILDEntityReader.systemMembers.contains($0) }
        if changes.isEmpty { throw NGSILDError(.badRequestData, "\(name): the attribute fragment is empty") }
    }
}
