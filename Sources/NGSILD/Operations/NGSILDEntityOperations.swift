import EntityModel
import Foundation

/// The attribute semantics of NGSI-LD's entity operations, applied to stored documents (the `values`
/// of the plan): create, replace, append, update, merge (here) and the attribute operations
/// (``updateAttribute(_:in:)``, ``replaceAttribute(_:in:)``, ``deleteAttribute(named:datasetId:deleteAll:in:)``).
///
/// Every written instance gets `modifiedAt` = ``now`` and keeps the `createdAt` of the instance it
/// replaces (same attribute, same `datasetId`), else gets ``now``. Stored documents written through
/// REST are read leniently first (``NGSILDStoredEntity/normalized(_:)``).
///
/// ```swift
/// let operations = NGSILDEntityOperations(now: Date())
/// var values = operations.create(try reader.entity(body))
/// let result = operations.append(try reader.fragment(patch, allowingNull: false), to: &values, overwrite: false)
/// if !result.isComplete { /* 207 with result.json */ }
/// ```
public struct NGSILDEntityOperations: Sendable {
    /// The time written as `createdAt`/`modifiedAt`.
    public let now: Date

    /// Creates the operations for one request, stamping instances with `now`.
    public init(now: Date = Date()) {
        self.now = now
    }

    /// Create Entity (5.6.1): the stored values of a new entity.
    public func create(_ fragment: NGSILDEntityFragment) -> [String: JSON] {
        var values: [String: JSON] = [:]
        Self.setTypes(fragment.types, in: &values)
        if let scope = fragment.scope, !fragment.removesScope { Self.setScopes(scope, in: &values) }
        for (name, instances) in fragment.attributes {
            values[name] = NGSILDStoredEntity.storedValue(
                instances.filter { !Self.isDeletion($0) }.map { stamped(Self.withoutDeletions($0), replacing: nil) }
            )
        }
        return values
    }

    /// Replace Entity (5.6.18): nothing but what the fragment has (types kept when it names none);
    /// instances that existed keep their `createdAt`.
    public func replace(_ values: [String: JSON], with fragment: NGSILDEntityFragment) -> [String: JSON] {
        let old = NGSILDStoredEntity.normalized(values)
        var replaced = create(fragment)
        if fragment.types.isEmpty { replaced["type"] = old["type"] }
        for (name, instances) in fragment.attributes {
            let oldInstances = old[name].map(NGSILDStoredEntity.instances) ?? []
            replaced[name] = NGSILDStoredEntity.storedValue(
                instances.map { instance in
                    stamped(
                        instance,
                        replacing: Self.instance(
                            in: oldInstances,
                            datasetId: NGSILDStoredEntity.datasetId(of: instance)
                        )
                    )
                }
            )
        }
        return replaced
    }

    /// Append Attributes (5.6.3): types are added, scope replaced, and each instance is added, or
    /// replaces the one with the same `datasetId` when `overwrite` (else it is reported in
    /// ``NGSILDUpdateResult/notUpdated``).
    public func append(_ fragment: NGSILDEntityFragment, to values: inout [String: JSON], overwrite: Bool)
        -> NGSILDUpdateResult
    {
        write(fragment, to: &values, overwrite: overwrite, deletes: false)
    }

    /// Update Attributes (5.6.2, V1.9.1): each instance replaces the one with the same `datasetId` or
    /// is added; NGSI-LD Null deletes the instance (a missing one is reported as not updated). Types
    /// are added, scope replaced or, with NGSI-LD Null, removed.
    public func update(_ fragment: NGSILDEntityFragment, in values: inout [String: JSON]) -> NGSILDUpdateResult {
        write(fragment, to: &values, overwrite: true, deletes: true)
    }

    /// Merge Entity (5.6.17, 5.5.12): types added, scope replaced or removed, attributes merged
    /// recursively (members given replace, sub-attributes merge), NGSI-LD Null deletes an attribute
    /// instance or a sub-attribute.
    public func merge(_ fragment: NGSILDEntityFragment, into values: inout [String: JSON]) {
        var merged = NGSILDStoredEntity.normalized(values)
        updateTypesAndScope(fragment, in: &merged)
        for (name, instances) in fragment.attributes {
            merged[name] = mergedAttribute(merged[name], with: instances)
        }
        values = merged
    }

    private func write(
        _ fragment: NGSILDEntityFragment,
        to values: inout [String: JSON],
        overwrite: Bool,
        deletes: Bool
    )
        -> NGSILDUpdateResult
    {
        var written = NGSILDStoredEntity.normalized(values)
        var result = NGSILDUpdateResult()
        updateTypesAndScope(fragment, in: &written)
        for (name, fragmentInstances) in fragment.attributes {
            var instances = written[name].map(NGSILDStoredEntity.instances) ?? []
            for instance in fragmentInstances {
                let datasetId = NGSILDStoredEntity.datasetId(of: instance)
                let index = Self.index(in: instances, datasetId: datasetId)
                if deletes, Self.isDeletion(instance) {
                    guard let index else {
                        result.markNotUpdated(name, reason: Self.missing(datasetId))
                        continue
                    }
                    instances.remove(at: index)
                } else if let index {
                    guard overwrite else {
                        result.markNotUpdated(name, reason: "attribute instance exists and noOverwrite was requested")
                        continue
                    }
                    instances[index] = stamped(Self.withoutDeletions(instance), replacing: instances[index])
                } else {
                    instances.append(stamped(Self.withoutDeletions(instance), replacing: nil))
                }
                result.markUpdated(name)
            }
            written[name] = NGSILDStoredEntity.storedValue(instances)
        }
        values = written
        result.sort()
        return result
    }

    private func updateTypesAndScope(_ fragment: NGSILDEntityFragment, in values: inout [String: JSON]) {
        var types = NGSILDStoredEntity.types(of: values)
        for type in fragment.types where !types.contains(type) { types.append(type) }
        Self.setTypes(types, in: &values)
        if fragment.removesScope {
            values["scope"] = nil
        } else if let scope = fragment.scope {
            Self.setScopes(scope, in: &values)
        }
    }

    static func missing(_ datasetId: String?) -> String {
        datasetId.map { "no instance with datasetId \($0)" } ?? "no default instance (without datasetId)"
    }

    private static func setTypes(_ types: [String], in values: inout [String: JSON]) {
        guard !types.isEmpty else { return }
        values["type"] = types.count == 1 ? .string(types[0]) : .array(types.map(JSON.string))
    }

    private static func setScopes(_ scopes: [String], in values: inout [String: JSON]) {
        values["scope"] = scopes.count == 1 ? .string(scopes[0]) : .array(scopes.map(JSON.string))
    }
}
