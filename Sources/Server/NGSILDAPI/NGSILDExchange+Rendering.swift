import EntityModel
import Foundation
import NGSILD

/// Renders stored entities for one request: its context, `format`/`options`, `attrs`/`pick`/`omit`,
/// `lang`, `datasetId` and the GeoJSON geometry.
struct NGSILDRendering: Sendable {
    let renderer: NGSILDEntityRenderer

    func render(_ entity: Entity) -> JSON {
        renderer.render(id: entity.id, values: entity.values, createdAt: entity.createdAt, modifiedAt: entity.updatedAt)
    }

    func feature(_ entity: Entity) -> JSON {
        renderer.feature(
            id: entity.id,
            values: entity.values,
            createdAt: entity.createdAt,
            modifiedAt: entity.updatedAt
        )
    }

    func featureCollection(_ entities: [Entity]) -> JSON {
        renderer.featureCollection(entities.map(feature))
    }
}

extension NGSILDExchange {
    /// The rendering the request asks for; names in `attrs`, `pick`, `omit` and `geometryProperty`
    /// are expanded with `context`.
    func entityRenderer(context: ActiveContext, selection: NGSILDSelection) throws(NGSILDProblem) -> NGSILDRendering {
        var options = NGSILDRenderOptions()
        do throws(NGSILDError) {
            try options.apply(format: parameters["format"], options: parameters["options"])
            let expand = { (names: [String]) throws(NGSILDError) -> Set<String> in
                var expanded: Set<String> = []
                for name in names {
                    if NGSILDQueryPlanner.systemNames.contains(name) {
                        expanded.insert(name)
                    } else {
                        expanded.insert(try context.expandAttributeName(name))
                    }
                }
                return expanded
            }
            if let attrs = selection.attrs { options.attrs = try expand(attrs) }
            if let pick = selection.pick { options.pick = try expand(pick) }
            if let omit = selection.omit { options.omit = try expand(omit) }
            if let geometry = parameters["geometryProperty"] {
                guard answerType == .geoJSON else {
                    throw NGSILDError(.badRequestData, "geometryProperty: only with Accept: application/geo+json")
                }
                options.geometryProperty = try context.expandAttributeName(geometry)
            }
        } catch {
            throw NGSILDProblem(error)
        }
        if let pick = selection.pick, let omit = selection.omit, !Set(pick).isDisjoint(with: omit) {
            throw NGSILDProblem(.badRequestData, "pick and omit name the same member")
        }
        options.lang = selection.lang
        if let datasetIds = parameters.list("datasetId") { options.datasetIds = Set(datasetIds) }
        return NGSILDRendering(renderer: NGSILDEntityRenderer(context: context, options: options))
    }
}
