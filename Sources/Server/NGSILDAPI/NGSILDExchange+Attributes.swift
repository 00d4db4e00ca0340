import EntityModel
import Foundation
import Hummingbird
import NGSILD

extension NGSILDExchange {
    /// `POST /entities/{id}/attrs`: Append Attributes (5.6.3) → 204, or 207 with an UpdateResult
    /// when `noOverwrite` left attributes as they were.
    func appendAttributes(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let overwrite = try !writeOptions(allowed: ["noOverwrite"]).contains("noOverwrite")
        let (fragment, selector) = try await readFragment(for: id, allowingNull: false)
        let report = try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                let result = NGSILDEntityOperations(now: now).append(fragment, to: &values, overwrite: overwrite)
                return .init(values: values, report: result.isComplete ? JSON?.none : result.json)
            }
        )
        return report.map { NGSILDAnswer.plain(.multiStatus, $0) } ?? NGSILDAnswer.noContent()
    }

    /// `PATCH /entities/{id}/attrs`: Update Attributes (5.6.2) → 204, or 207 with an UpdateResult.
    func updateAttributes(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let (fragment, selector) = try await readFragment(for: id, allowingNull: true)
        let report = try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                let result = NGSILDEntityOperations(now: now).update(fragment, in: &values)
                return .init(values: values, report: result.isComplete ? JSON?.none : result.json)
            }
        )
        return report.map { NGSILDAnswer.plain(.multiStatus, $0) } ?? NGSILDAnswer.noContent()
    }

    /// `PATCH /entities/{id}/attrs/{attr}`: Partial Attribute Update (5.6.4) → 204.
    func partiallyUpdateAttribute(_ name: String, of id: String) async throws -> Response {
        try requireEntityID(id)
        if name == "scope" {
            throw NGSILDProblem(.badRequestData, "scope: not an attribute a partial update may change")
        }
        let (fragment, selector) = try await readAttribute(name, partial: true)
        try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                do throws(NGSILDError) {
                    try NGSILDEntityOperations(now: now).updateAttribute(fragment, in: &values)
                } catch {
                    throw NGSILDProblem(error, instance: id)
                }
                return .init(values: values)
            }
        )
        return NGSILDAnswer.noContent()
    }

    /// `PUT /entities/{id}/attrs/{attr}`: Replace Attribute (5.6.19) → 204.
    func replaceAttribute(_ name: String, of id: String) async throws -> Response {
        try requireEntityID(id)
        let (fragment, selector) = try await readAttribute(name, partial: false)
        try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                do throws(NGSILDError) {
                    try NGSILDEntityOperations(now: now).replaceAttribute(fragment, in: &values)
                } catch {
                    throw NGSILDProblem(error, instance: id)
                }
                return .init(values: values)
            }
        )
        return NGSILDAnswer.noContent()
    }

    /// `DELETE /entities/{id}/attrs/{attr}[?datasetId=&deleteAll=]`: Delete Attribute (5.6.5) → 204.
    func deleteAttribute(_ name: String, of id: String) async throws -> Response {
        try requireEntityID(id)
        let (context, _) = try await linkContext()
        let selector = try typeSelector(context: context)
        let stored =
            name == "scope"
            ? name
            : try read { () throws(NGSILDError) in try NGSILDEntityReader(context: context).storedAttributeName(name) }
        let datasetId = parameters["datasetId"]
        let deleteAll = try parameters.boolean("deleteAll") ?? false
        try await applyOne(
            NGSILDChange(entityID: id) { current, _ throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                do throws(NGSILDError) {
                    try NGSILDEntityOperations().deleteAttribute(
                        named: stored,
                        datasetId: datasetId,
                        deleteAll: deleteAll,
                        in: &values
                    )
                } catch {
                    throw NGSILDProblem(error, instance: id)
                }
                return .init(values: values)
            }
        )
        return NGSILDAnswer.noContent()
    }

    /// The body of `PATCH`/`PUT …/attrs/{attr}`, read with its context.
    private func readAttribute(_ name: String, partial: Bool) async throws -> (NGSILDAttributeFragment, Set<String>?) {
        let object = try await objectBody()
        try requireNoLinkWithLD()
        let (given, body) = try bodyContext(of: object)
        let context = try await activeContext(for: given)
        let fragment = try read { () throws(NGSILDError) in
            try NGSILDEntityReader(context: context).attributeFragment(body, name: name, partial: partial)
        }
        return (fragment, try typeSelector(context: context))
    }

    /// The write options of `options=` (`noOverwrite`, `replace`, `update`), refusing others.
    func writeOptions(allowed: Set<String>) throws(NGSILDProblem) -> Set<String> {
        var options: Set<String> = []
        for option in parameters.list("options") ?? [] {
            guard allowed.contains(option) else {
                throw NGSILDProblem(.badRequestData, "options: '\(option)' is not an option of this operation")
            }
            options.insert(option)
        }
        return options
    }
}
