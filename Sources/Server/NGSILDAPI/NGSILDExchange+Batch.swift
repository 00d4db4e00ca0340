import EntityModel
import Foundation
import Hummingbird
import NGSILD

extension NGSILDExchange {
    /// `POST /entityOperations/{create|upsert|update|delete|merge}` (§6): every entity decided on its
    /// own, in array order, valid ones written in one transaction; 201/204 when all succeed, else 207.
    func batch(_ kind: NGSILDRoute.BatchKind) async throws -> Response {
        let options: Set<String>
        switch kind {
        case .upsert:
            options = try writeOptions(allowed: ["replace", "update"])
            if options.count > 1 {
                throw NGSILDProblem(.badRequestData, "options: replace and update exclude each other")
            }
        case .update: options = try writeOptions(allowed: ["noOverwrite"])
        default: options = try writeOptions(allowed: [])
        }
        let items = try await NGSILDArrayBody(
            maximumItems: service.configuration.maximumBatchSize,
            maximumBodySize: settings.maximumBodySize,
            maximumDepth: settings.maximumJSONDepth
        ).items(of: request.body)
        try requireNoLinkWithLD()
        guard !items.isEmpty else {
            throw NGSILDProblem(.badRequestData, "the batch is empty; send at least one entity")
        }
        if let index = items.firstIndex(of: .null) {
            throw NGSILDProblem(.badRequestData, "item \(index): null is not an entity")
        }
        var outcome = NGSILDBatchOutcome()
        let changes: [NGSILDChange]
        if kind == .delete {
            changes = try deletions(items, outcome: &outcome)
        } else {
            changes = try await entityChanges(items, kind: kind, options: options, outcome: &outcome)
        }
        let writer = NGSILDWriter(service: service, collection: collection, caller: caller)
        for (change, result) in zip(changes, try await writer.apply(changes)) {
            switch result {
            case .succeeded(let created, _): outcome.succeed(change.entityID, created: created)
            case .failed(let problem): outcome.fail(change.entityID, problem)
            }
        }
        // An anonymous caller where only signed-in users may write learns so as REST tells it: 401.
        if outcome.success.isEmpty, let first = outcome.errors.first, first.problem.kind == .unauthenticated,
            outcome.errors.allSatisfy({ $0.problem.kind == .unauthenticated })
        {
            throw first.problem
        }
        guard outcome.errors.isEmpty else { return NGSILDAnswer.plain(.multiStatus, outcome.resultJSON) }
        switch kind {
        case .create: return NGSILDAnswer.plain(.created, .array(outcome.success.map(JSON.string)))
        case .upsert where !outcome.created.isEmpty:
            return NGSILDAnswer.plain(.created, .array(outcome.created.map(JSON.string)))
        default: return NGSILDAnswer.noContent()
        }
    }

    /// The ids of a batch delete: strings; one that is not a URI is that entity's error.
    private func deletions(_ items: [JSON], outcome: inout NGSILDBatchOutcome) throws(NGSILDProblem) -> [NGSILDChange] {
        var changes: [NGSILDChange] = []
        for (index, item) in items.enumerated() {
            guard case .string(let id) = item else {
                throw NGSILDProblem(
                    .badRequestData,
                    "item \(index): expected an entity id (a string), found \(item.typeName)"
                )
            }
            guard NGSILDSyntax.isEntityId(id) else {
                outcome.fail(id, NGSILDProblem(.badRequestData, "id: '\(id)' is not a URI", instance: id))
                continue
            }
            changes.append(
                NGSILDChange(entityID: id) { current, _ throws(NGSILDProblem) in
                    _ = try Self.existing(current, id: id, selector: nil)
                    return .init(values: nil)
                }
            )
        }
        return changes
    }

    /// The changes of a batch of entities: each read with its own context (§2.3); what cannot be read
    /// is that entity's error. An item without a string `id` fails the whole request, naming it.
    private func entityChanges(
        _ items: [JSON],
        kind: NGSILDRoute.BatchKind,
        options: Set<String>,
        outcome: inout NGSILDBatchOutcome
    ) async throws -> [NGSILDChange] {
        var changes: [NGSILDChange] = []
        changes.reserveCapacity(items.count)
        // Entities of a batch mostly share one @context: each is resolved, and each reader built, once.
        var readers: [JSON?: NGSILDEntityReader] = [:]
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw NGSILDProblem(.badRequestData, "item \(index): expected an entity object, found \(item.typeName)")
            }
            guard case .string(let id)? = members["id"] ?? members["@id"] else {
                throw NGSILDProblem(.badRequestData, "item \(index): an entity needs an id (a string)")
            }
            do {
                let (given, body) = try bodyContext(of: item)
                let reader: NGSILDEntityReader
                if let known = readers[given] {
                    reader = known
                } else {
                    reader = NGSILDEntityReader(context: try await activeContext(for: given, instance: id))
                    readers[given] = reader
                }
                let fragment = try read { () throws(NGSILDError) in
                    switch kind {
                    case .create, .upsert: return try reader.entity(body)
                    default: return try reader.fragment(body, allowingNull: kind == .merge || kind == .update)
                    }
                }
                guard NGSILDSyntax.isEntityId(id) else {
                    throw NGSILDProblem(.badRequestData, "id: '\(id)' is not a URI", instance: id)
                }
                changes.append(Self.change(kind, id: id, fragment: fragment, options: options))
            } catch let problem as NGSILDProblem {
                var problem = problem
                if problem.instance == nil { problem.instance = id }
                outcome.fail(id, problem)
            }
        }
        return changes
    }

    /// What one entity of a batch does to the stored entity (§6, per-entity meaning of each operation).
    private static func change(
        _ kind: NGSILDRoute.BatchKind,
        id: String,
        fragment: NGSILDEntityFragment,
        options: Set<String>
    ) -> NGSILDChange {
        NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
            let operations = NGSILDEntityOperations(now: now)
            switch kind {
            case .create:
                guard current == nil else { throw NGSILDProblem(.alreadyExists, "\(id) already exists", instance: id) }
                return .init(values: operations.create(fragment))
            case .upsert:
                guard var values = current else { return .init(values: operations.create(fragment)) }
                if options.contains("update") {
                    _ = operations.update(fragment, in: &values)
                    return .init(values: values)
                }
                return .init(values: operations.replace(values, with: fragment))
            case .update:
                var values = try existing(current, id: id, selector: nil)
                let result = operations.append(fragment, to: &values, overwrite: !options.contains("noOverwrite"))
                guard result.isComplete else {
                    let names = result.notUpdated.map(\.attributeName).joined(separator: ", ")
                    return .init(
                        values: values,
                        problem: NGSILDProblem(.badRequestData, "not overwritten (noOverwrite): \(names)", instance: id)
                    )
                }
                return .init(values: values)
            case .merge:
                var values = try existing(current, id: id, selector: nil)
                operations.merge(fragment, into: &values)
                return .init(values: values)
            case .delete:
                _ = try existing(current, id: id, selector: nil)
                return .init(values: nil)
            }
        }
    }
}
