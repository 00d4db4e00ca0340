import EntityModel
import EntityService
import Foundation
import Hummingbird
import NGSILD

extension NGSILDExchange {
    /// `POST /entities`: Create Entity (5.6.1) → 201 with `Location`, 409 AlreadyExists.
    func createEntity() async throws -> Response {
        let object = try await objectBody()
        try requireNoLinkWithLD()
        let (given, body) = try bodyContext(of: object)
        let context = try await activeContext(for: given)
        let fragment = try read { () throws(NGSILDError) in try NGSILDEntityReader(context: context).entity(body) }
        let id = fragment.id ?? ""
        let change = NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
            guard current == nil else {
                throw NGSILDProblem(.alreadyExists, "\(id) already exists", instance: id)
            }
            return .init(values: NGSILDEntityOperations(now: now).create(fragment))
        }
        try await applyOne(change)
        return NGSILDAnswer.created(id: id)
    }

    /// `GET /entities/{id}`: Retrieve Entity (5.7.1).
    func retrieveEntity(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let (context, source) = try await linkContext()
        let selection = try NGSILDSelection(parameters: parameters)
        let rendering = try entityRenderer(context: context, selection: selection)
        guard let entity = try await readableEntity(id), NGSILDStoredEntity.isEntity(entity.values),
            try matchesTypeSelector(entity.values, context: context)
        else {
            throw NGSILDProblem(.resourceNotFound, "\(id) was not found", instance: id)
        }
        if let attrs = rendering.renderer.options.attrs {
            let present = NGSILDStoredEntity.attributeNames(of: entity.values).map {
                ActiveContext.core.expandIRI($0) ?? $0
            }
            guard !attrs.isDisjoint(with: present) else {
                throw NGSILDProblem(.resourceNotFound, "\(id) has none of the attributes asked for", instance: id)
            }
        }
        let answer = NGSILDAnswer(type: answerType, context: source)
        return answerType == .geoJSON
            ? answer.document(rendering.feature(entity)) : answer.entity(rendering.render(entity))
    }

    /// `DELETE /entities/{id}`: Delete Entity (5.6.6) → 204.
    func deleteEntity(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let (context, _) = try await linkContext()
        let selector = try typeSelector(context: context)
        try await applyOne(
            NGSILDChange(entityID: id) { current, _ throws(NGSILDProblem) in
                _ = try Self.existing(current, id: id, selector: selector)
                return .init(values: nil)
            }
        )
        return NGSILDAnswer.noContent()
    }

    /// `PUT /entities/{id}`: Replace Entity (5.6.18) → 204, keeping `createdAt`.
    func replaceEntity(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let (fragment, selector) = try await readFragment(for: id, allowingNull: false)
        try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                let values = try Self.existing(current, id: id, selector: selector)
                return .init(values: NGSILDEntityOperations(now: now).replace(values, with: fragment))
            }
        )
        return NGSILDAnswer.noContent()
    }

    /// `PATCH /entities/{id}`: Merge Entity (5.6.17) → 204; NGSI-LD Null deletes.
    func mergeEntity(_ id: String) async throws -> Response {
        try requireEntityID(id)
        let (fragment, selector) = try await readFragment(for: id, allowingNull: true)
        try await applyOne(
            NGSILDChange(entityID: id) { current, now throws(NGSILDProblem) in
                var values = try Self.existing(current, id: id, selector: selector)
                NGSILDEntityOperations(now: now).merge(fragment, into: &values)
                return .init(values: values)
            }
        )
        return NGSILDAnswer.noContent()
    }

    // MARK: Shared by the single-entity routes

    /// The entity `id` when it exists and the caller may read it (one read by id, as REST's GET).
    func readableEntity(_ id: String) async throws(EntityError) -> Entity? {
        do {
            return try await service.get(id, in: collection, as: caller)
        } catch {
            guard error.code == .notFound else { throw error }
            return nil
        }
    }

    /// 400 BadRequestData unless `id` is an absolute IRI (`/entities//attrs` has an empty one).
    func requireEntityID(_ id: String) throws(NGSILDProblem) {
        guard NGSILDSyntax.isEntityId(id) else {
            throw NGSILDProblem(.badRequestData, "id: '\(id)' is not a URI", instance: id.isEmpty ? nil : id)
        }
    }

    /// The body of a replace, merge, append or update, read with its context; its `id`, if any, must be `id`.
    func readFragment(for id: String, allowingNull: Bool) async throws -> (NGSILDEntityFragment, Set<String>?) {
        let object = try await objectBody()
        try requireNoLinkWithLD()
        let (given, body) = try bodyContext(of: object)
        let context = try await activeContext(for: given)
        let fragment = try read { () throws(NGSILDError) in
            try NGSILDEntityReader(context: context).fragment(body, allowingNull: allowingNull)
        }
        if let bodyID = fragment.id, bodyID != id {
            throw NGSILDProblem(.badRequestData, "id: the body names \(bodyID), the URL \(id)", instance: id)
        }
        return (fragment, try typeSelector(context: context))
    }

    /// The stored type names of the `type` URL parameter of a single-entity route (4.17), if given.
    func typeSelector(context: ActiveContext) throws(NGSILDProblem) -> Set<String>? {
        guard let names = parameters.list("type") else { return nil }
        let planner = NGSILDQueryPlanner(context: context)
        var stored: Set<String> = []
        for name in names { stored.insert(try planner.storedTypeName(name)) }
        return stored
    }

    func matchesTypeSelector(_ values: [String: JSON], context: ActiveContext) throws(NGSILDProblem) -> Bool {
        guard let selector = try typeSelector(context: context) else { return true }
        return !selector.isDisjoint(with: NGSILDStoredEntity.types(of: values))
    }

    /// The stored values of an entity that must exist (and have one of `selector`'s types).
    static func existing(_ current: [String: JSON]?, id: String, selector: Set<String>?) throws(NGSILDProblem)
        -> [String: JSON]
    {
        guard let current, selector.map({ !$0.isDisjoint(with: NGSILDStoredEntity.types(of: current)) }) ?? true
        else {
            throw NGSILDProblem(.resourceNotFound, "\(id) was not found", instance: id)
        }
        return current
    }

    /// Applies one change; its failure is the request's.
    @discardableResult
    func applyOne(_ change: NGSILDChange) async throws -> JSON? {
        let writer = NGSILDWriter(service: service, collection: collection, caller: caller)
        switch try await writer.apply([change]).first {
        case .succeeded(_, let report)?: return report
        case .failed(let problem)?: throw problem
        case nil: throw NGSILDProblem(.internalError, "the change was not applied")
        }
    }

    /// Runs a reader or operation, as BadRequestData (or its own NGSI-LD error) on failure.
    func read<T>(_ body: () throws(NGSILDError) -> T) throws(NGSILDProblem) -> T {
        do { return try body() } catch { throw NGSILDProblem(error) }
    }
}
