import EntityModel
import EntityQuery
import EntityService
import Foundation
import Hummingbird
import NGSILD

extension NGSILDExchange {
    /// `GET /types`: the types of every entity the caller may read (5.7.5), or with `details=true`
    /// each type with its attribute names (5.7.6), names compacted with the request's context.
    func listTypes() async throws -> Response {
        let (context, source) = try await linkContext()
        let details = try parameters.boolean("details") ?? false
        let summary = try await typeSummary(of: NGSILDFilterTranslator.isNGSILDEntity)
        let answer = NGSILDAnswer(type: answerType, context: source)
        let names = summary.keys.sorted()
        if details {
            let items = names.map { type -> JSON in
                .object([
                    "id": .string(expanded(type)),
                    "type": .string("EntityType"),
                    "typeName": .string(compacted(type, as: .typeValue, with: context)),
                    "attributeNames": .array(
                        summary[type, default: TypeInfo()].attributes.keys.sorted().map { name -> JSON in
                            .string(compacted(name, as: .attributeName, with: context))
                        }
                    ),
                ])
            }
            return answer.entities(items)
        }
        return answer.document(
            .object([
                "id": .string("urn:ngsi-ld:EntityTypeList:\(UUID().uuidString.lowercased())"),
                "type": .string("EntityTypeList"),
                "typeList": .array(
                    names.map { name -> JSON in .string(compacted(name, as: .typeValue, with: context)) }
                ),
            ])
        )
    }

    /// `GET /types/{type}`: one type's entity count and attributes (5.7.7); 404 when no entity the
    /// caller may read has it.
    func describeType(_ name: String) async throws -> Response {
        let (context, source) = try await linkContext()
        let planner = NGSILDQueryPlanner(context: context)
        let stored = try planner.storedTypeName(name)
        var selection = NGSILDSelection()
        selection.entities = [.init(types: name)]
        let summary = try await typeSummary(of: try planner.filter(for: selection))
        guard let info = summary[stored] else {
            throw NGSILDProblem(.resourceNotFound, "no entity of type '\(name)' was found", instance: name)
        }
        let attributes = info.attributes.keys.sorted().map { attribute -> JSON in
            .object([
                "id": .string(expanded(attribute)),
                "type": .string("Attribute"),
                "attributeName": .string(compacted(attribute, as: .attributeName, with: context)),
                "attributeTypes": .array(info.attributes[attribute, default: []].sorted().map(JSON.string)),
            ])
        }
        return NGSILDAnswer(type: answerType, context: source).document(
            .object([
                "id": .string(expanded(stored)),
                "type": .string("EntityTypeInfo"),
                "typeName": .string(compacted(stored, as: .typeValue, with: context)),
                "entityCount": .integer(Int64(info.entityCount)),
                "attributeDetails": .array(attributes),
            ])
        )
    }

    /// What the entities matching `filter` that the caller may read say about their types: for each
    /// stored type name, how many entities have it and which attributes (with their NGSI-LD types).
    /// Visits every match in pages of the largest page size, so it holds one page at a time.
    private func typeSummary(of filter: Filter) async throws -> [String: TypeInfo] {
        let summary = TypeSummary()
        try await forEachPage(matching: filter) { page in
            for entity in page { summary.add(entity.values) }
        }
        return summary.types
    }

    private func expanded(_ stored: String) -> String {
        ActiveContext.core.expandIRI(stored) ?? stored
    }

    private func compacted(_ stored: String, as position: CompactionPosition, with context: ActiveContext) -> String {
        context.compactIRI(expanded(stored), for: position)
    }
}

/// What a scan of entities learns about their types, page by page.
private final class TypeSummary {
    private(set) var types: [String: TypeInfo] = [:]

    func add(_ values: [String: JSON]) {
        for type in NGSILDStoredEntity.types(of: values) {
            types[type, default: TypeInfo()].add(values)
        }
    }
}

/// The entities of one type: how many, and each attribute with the NGSI-LD types of its instances.
private struct TypeInfo {
    var entityCount = 0
    var attributes: [String: Set<String>] = [:]

    mutating func add(_ values: [String: JSON]) {
        entityCount += 1
        for (name, value) in values where name != "type" && name != "scope" {
            let instances: [JSON]
            if case .array(let items) = value { instances = items } else { instances = [value] }
            for instance in instances {
                attributes[name, default: []].insert(instance["type"]?.stringValue ?? "Property")
            }
        }
    }
}
