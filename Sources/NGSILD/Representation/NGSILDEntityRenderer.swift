import EntityModel
import Foundation

/// Renders stored entities for a request: names compacted with the request's context, in the
/// representation and with the members the options ask for (§3.3, 4.15, 4.21). No `@context` is
/// added; the adapter adds it. Documents written through REST render too (read leniently), and
/// nothing here throws or traps.
///
/// ```swift
/// let renderer = NGSILDEntityRenderer(context: requestContext, options: NGSILDRenderOptions(format: .simplified))
/// renderer.render(id: entity.id, values: entity.values, createdAt: meta.created, modifiedAt: meta.updated)
/// // {"id": "urn:ngsi-ld:Building:7", "type": "Building", "name": "Eiffel Tower"}
/// ```
public struct NGSILDEntityRenderer: Sendable {
    /// The request's active context, for compacting names.
    public let context: ActiveContext
    /// What to render.
    public let options: NGSILDRenderOptions

    /// Creates a renderer for a request's context and options.
    public init(context: ActiveContext, options: NGSILDRenderOptions = NGSILDRenderOptions()) {
        self.context = context
        self.options = options
    }

    /// The entity in the chosen representation: `id`, `type`, `scope`, `createdAt`/`modifiedAt` with
    /// ``NGSILDRenderOptions/sysAttrs``, and the chosen attributes and instances.
    public func render(id: String, values: [String: JSON], createdAt: Date, modifiedAt: Date) -> JSON {
        .object(members(id: id, values: values, createdAt: createdAt, modifiedAt: modifiedAt))
    }

    /// The entity as a GeoJSON Feature: `geometry` is the value of the GeoProperty
    /// ``NGSILDRenderOptions/geometryProperty`` (its default instance, else its first; `null` when
    /// absent), `properties` the entity's `type` and attributes in the chosen representation.
    public func feature(id: String, values: [String: JSON], createdAt: Date, modifiedAt: Date) -> JSON {
        var properties = members(id: id, values: values, createdAt: createdAt, modifiedAt: modifiedAt)
        properties["id"] = nil
        let geometryName = ActiveContext.core.compactIRI(options.geometryProperty, for: .attributeName)
        let instances = values[geometryName].map(NGSILDStoredEntity.instances) ?? []
        let instance = instances.first { NGSILDStoredEntity.datasetId(of: $0) == nil } ?? instances.first
        let geometry = instance?["value"].flatMap { NGSILDSyntax.isGeometry($0) ? $0 : nil } ?? .null
        return ["id": .string(id), "type": "Feature", "geometry": geometry, "properties": .object(properties)]
    }

    /// A GeoJSON FeatureCollection of features made by ``feature(id:values:createdAt:modifiedAt:)``.
    public func featureCollection(_ features: [JSON]) -> JSON {
        ["type": "FeatureCollection", "features": .array(features)]
    }

    /// A date as NGSI-LD writes system times: UTC, `Z`, milliseconds.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private func members(id: String, values: [String: JSON], createdAt: Date, modifiedAt: Date) -> [String: JSON] {
        var members: [String: JSON] = [:]
        if shows("id") { members["id"] = .string(id) }
        if shows("type") {
            let types = NGSILDStoredEntity.types(of: values).map { compactType($0) }
            if !types.isEmpty {
                members["type"] = types.count == 1 ? .string(types[0]) : .array(types.map(JSON.string))
            }
        }
        if shows("scope"), let scope = values["scope"] { members["scope"] = scope }
        if options.sysAttrs {
            members["createdAt"] = .string(Self.timestamp(createdAt))
            members["modifiedAt"] = .string(Self.timestamp(modifiedAt))
        }
        for name in NGSILDStoredEntity.attributeNames(of: values) {
            let iri = ActiveContext.core.expandIRI(name) ?? name
            guard showsAttribute(iri), let value = values[name] else { continue }
            let instances = NGSILDStoredEntity.instances(value).filter { instance in
                options.datasetIds.map { $0.contains(NGSILDStoredEntity.datasetId(of: instance) ?? "@none") } ?? true
            }
            guard !instances.isEmpty else { continue }
            members[context.compactIRI(iri, for: .attributeName)] = attribute(instances)
        }
        return members
    }

    private func shows(_ member: String) -> Bool {
        (options.pick?.contains(member) ?? true) && !options.omit.contains(member)
    }

    private func showsAttribute(_ iri: String) -> Bool {
        (options.attrs?.contains(iri) ?? true) && shows(iri)
    }

    /// A stored type, `vocab` or `objectType` name compacted with the request's context.
    func compactType(_ stored: String) -> String {
        context.compactIRI(ActiveContext.core.expandIRI(stored) ?? stored, for: .typeValue)
    }

    /// A stored attribute or sub-attribute name compacted with the request's context.
    func compactName(_ stored: String) -> String {
        context.compactIRI(ActiveContext.core.expandIRI(stored) ?? stored, for: .attributeName)
    }
}
