import EntityModel
import Foundation

extension NGSILDEntityOperations {
    /// `now` as NGSI-LD writes system times: UTC, `Z`, milliseconds.
    var timestamp: JSON {
        .string(now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// `instance` with `createdAt` (the old instance's, else now) and `modifiedAt` (now); its
    /// sub-attributes likewise, against the old instance's sub-attributes with the same `datasetId`.
    func stamped(_ instance: JSON, replacing old: JSON?) -> JSON {
        guard case .object(var members) = instance else { return instance }
        members["createdAt"] = old?["createdAt"] ?? timestamp
        members["modifiedAt"] = timestamp
        for (name, value) in members where NGSILDStoredEntity.isAttributeName(name) {
            let oldInstances = old?[name].map(NGSILDStoredEntity.instances) ?? []
            let stampedInstances = NGSILDStoredEntity.instances(value).map { sub in
                stamped(
                    sub,
                    replacing: Self.instance(in: oldInstances, datasetId: NGSILDStoredEntity.datasetId(of: sub))
                )
            }
            members[name] = NGSILDStoredEntity.storedValue(stampedInstances)
        }
        return .object(members)
    }

    /// The instance with `datasetId` (`nil`: the default instance).
    static func instance(in instances: [JSON], datasetId: String?) -> JSON? {
        instances.first { NGSILDStoredEntity.datasetId(of: $0) == datasetId }
    }

    /// The index of the instance with `datasetId` (`nil`: the default instance).
    static func index(in instances: [JSON], datasetId: String?) -> Int? {
        instances.firstIndex { NGSILDStoredEntity.datasetId(of: $0) == datasetId }
    }

    /// `true` when an instance of a fragment is a deletion: its value member holds NGSI-LD Null.
    static func isDeletion(_ instance: JSON) -> Bool {
        guard case .object(let members) = instance else { return false }
        return NGSILDAttributeType.valueMembers.contains { members[$0].map(NGSILDSyntax.isNull) == true }
    }

    /// Merges an attribute's fragment instances into its stored value (5.5.12): an instance with the
    /// same `datasetId` is merged member by member, a new one added, NGSI-LD Null deletes. `nil`
    /// when no instance is left.
    func mergedAttribute(_ old: JSON?, with fragment: [JSON]) -> JSON? {
        var instances = old.map(NGSILDStoredEntity.instances) ?? []
        for new in fragment {
            let datasetId = NGSILDStoredEntity.datasetId(of: new)
            let index = Self.index(in: instances, datasetId: datasetId)
            if Self.isDeletion(new) {
                if let index { instances.remove(at: index) }
            } else if let index {
                instances[index] = mergedInstance(instances[index], with: new)
            } else {
                instances.append(stamped(Self.withoutDeletions(new), replacing: nil))
            }
        }
        return NGSILDStoredEntity.storedValue(instances)
    }

    /// One instance merged with a fragment instance: a new `type` replaces the instance (keeping
    /// `createdAt`); otherwise members given replace, sub-attributes merge recursively, and NGSI-LD Null
    /// removes a member.
    func mergedInstance(_ old: JSON, with new: JSON) -> JSON {
        guard case .object(var members) = old, case .object(let changes) = new else { return old }
        if let type = changes["type"], type != members["type"] {
            return stamped(Self.withoutDeletions(new), replacing: old)
        }
        for (name, value) in changes where !NGSILDEntityReader.systemMembers.contains(name) {
            if NGSILDStoredEntity.isAttributeName(name) {
                members[name] = mergedAttribute(members[name], with: NGSILDStoredEntity.instances(value))
            } else if NGSILDSyntax.isNull(value) {
                members[name] = nil
            } else {
                members[name] = value
            }
        }
        members["modifiedAt"] = timestamp
        if members["createdAt"] == nil { members["createdAt"] = timestamp }
        return .object(members)
    }

    /// An instance without the sub-attributes that NGSI-LD Null deletes (they have nothing to delete).
    static func withoutDeletions(_ instance: JSON) -> JSON {
        guard case .object(var members) = instance else { return instance }
        for (name, value) in members where NGSILDStoredEntity.isAttributeName(name) {
            let kept = NGSILDStoredEntity.instances(value).filter { !isDeletion($0) }.map(withoutDeletions)
            members[name] = NGSILDStoredEntity.storedValue(kept)
        }
        return .object(members)
    }
}
