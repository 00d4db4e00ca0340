import EntityModel
import EntityQuery
import EntityService
import Foundation

/// Resolves a parsed resource path against the model: which collection, entity, property,
/// navigation or operation it names. Reads the store only where the path itself depends on data
/// (a single-valued navigation follows the source's reference; a navigation needs a readable source).
struct ODataPathResolver: Sendable {
    let model: ODataModel
    let service: EntityService
    let caller: Caller
    /// Parameter aliases (`@k`) of the query, for keys and function parameters.
    let aliases: [String: ODataExpression]
    /// `$id` of the query (`DELETE …/Nav/$ref?$id=…`).
    let referencedID: String?
    /// The changeset a `$batch` request runs in: its earlier steps' entities are read in place of
    /// the store's (`$1/products` navigates from an entity created by step 1).
    var changeset: ODataChangeset? = nil

    private enum State {
        case start
        case collection(ODataEntityCollection)
        case entity(ODataEntityAddress)
        case missing(String)
        case navigated(ODataEntityAddress, ODataNavigation, ODataState)
        case done(ODataTarget)
    }

    /// What a navigation led to, kept with the navigation for a following `$ref`.
    indirect enum ODataState {
        case collection(ODataEntityCollection)
        case entity(ODataEntityAddress)
        case missing(String)
    }

    func resolve(_ segments: [ODataSegment]) async throws -> ODataTarget {
        var state = State.start
        for (index, segment) in segments.enumerated() {
            state = try await step(state, segment, isLast: index == segments.count - 1)
        }
        switch state {
        case .start: return .serviceDocument
        case .collection(let collection): return .collection(collection)
        case .entity(let address): return .entity(address)
        case .missing(let name): return .missingEntity(name)
        case .navigated(_, _, .collection(let collection)): return .collection(collection)
        case .navigated(_, _, .entity(let address)): return .entity(address)
        case .navigated(_, _, .missing(let name)): return .missingEntity(name)
        case .done(let target): return target
        }
    }

    private func step(_ state: State, _ segment: ODataSegment, isLast: Bool) async throws -> State {
        switch (state, segment) {
        case (.start, .entitySet(let name)):
            guard let set = model.entitySet(named: name) else {
                throw ODataError(.notFound, "no entity set '\(name)'; the service document lists them")
            }
            return .collection(
                ODataEntityCollection(path: set.collection, type: set.type, canonicalPrefix: name)
            )
        case (.start, .function(let call)) where call.isImport:
            return try await operationState(call.name.name, kind: .function, binding: nil, parameters: call.parameters)
        case (.start, .action(let name, _)):
            return try await operationState(name.name, kind: .action, binding: nil, parameters: nil)
        case (.collection(let collection), .key(let key)):
            return .entity(ODataEntityAddress(collection: collection, id: try keyValue(key)))
        case (.navigated(let source, let navigation, .collection(let collection)), .key(let key)):
            let id = try keyValue(key)
            if collection.constraint != nil { try await requireMember(id, of: collection) }
            return .navigated(source, navigation, .entity(ODataEntityAddress(collection: collection, id: id)))
        case (.entity(let address), .navigation(let name, _)),
            (.navigated(_, _, .entity(let address)), .navigation(let name, _)):
            guard let navigation = address.collection.type.navigation(named: name) else {
                throw ODataError(.notFound, "\(address.collection.type.name) has no navigation property '\(name)'")
            }
            return .navigated(address, navigation, try await follow(navigation, from: address))
        case (.entity(let address), .property(let name, _)),
            (.navigated(_, _, .entity(let address)), .property(let name, _)):
            guard let property = address.collection.type.property(named: name) else {
                throw ODataError(.notFound, "\(address.collection.type.name) has no property '\(name)'")
            }
            return .done(.property(address, property, raw: false))
        case (.done(.property(let address, let property, raw: false)), .value):
            return .done(.property(address, property, raw: true))
        case (.collection(let collection), .count), (.navigated(_, _, .collection(let collection)), .count):
            return .done(.count(collection))
        case (.navigated(let source, let navigation, .entity(let member)), .ref) where navigation.isCollection:
            return .done(.references(source, navigation, member: member.id))
        case (.navigated(let source, let navigation, _), .ref):
            return .done(.references(source, navigation, member: referencedID.flatMap(Self.id(inReference:))))
        case (.collection(let collection), .function(let call)),
            (.navigated(_, _, .collection(let collection)), .function(let call)):
            return try await operationState(
                call.name.name,
                kind: .function,
                binding: .collection(collection),
                parameters: call.parameters
            )
        case (.entity(let address), .function(let call)), (.navigated(_, _, .entity(let address)), .function(let call)):
            return try await operationState(
                call.name.name,
                kind: .function,
                binding: .entity(address),
                parameters: call.parameters
            )
        case (.collection(let collection), .action(let name, _)),
            (.navigated(_, _, .collection(let collection)), .action(let name, _)):
            return try await operationState(name.name, kind: .action, binding: .collection(collection), parameters: nil)
        case (.entity(let address), .action(let name, _)),
            (.navigated(_, _, .entity(let address)), .action(let name, _)):
            return try await operationState(name.name, kind: .action, binding: .entity(address), parameters: nil)
        case (_, .cast(let name)):
            guard name.namespace == nil || name.namespace == ODataModel.namespace, let typeName = currentType(state),
                typeName == name.name
            else {
                throw ODataError(.notFound, "no type cast to \(name) here: EntityHub types have no derived types")
            }
            return state
        case (.missing, _), (.navigated(_, _, .missing), _):
            throw ODataError(.notFound, "the navigation leads to no entity")
        default:
            throw ODataError(.notImplemented, "this kind of resource path is not implemented by EntityHub")
        }
    }

    private func currentType(_ state: State) -> String? {
        switch state {
        case .collection(let collection), .navigated(_, _, .collection(let collection)): return collection.type.name
        case .entity(let address), .navigated(_, _, .entity(let address)): return address.collection.type.name
        default: return nil
        }
    }

    /// Where a navigation leads from a readable source entity.
    private func follow(_ navigation: ODataNavigation, from source: ODataEntityAddress) async throws -> ODataState {
        let entity = try await read(source.id, in: source.collection.path)
        switch navigation.link {
        case .reference(let property):
            guard let set = model.entitySet(named: navigation.target),
                let field = source.collection.type.property(named: property),
                case .string(let id)? = entity.value(at: field.path)
            else { return .missing(navigation.name) }
            let collection = ODataEntityCollection(
                path: set.collection,
                type: set.type,
                canonicalPrefix: navigation.target
            )
            return .entity(ODataEntityAddress(collection: collection, id: id))
        case .inverse(let property):
            guard let set = model.entitySet(named: navigation.target), let field = set.type.property(named: property)
            else { throw ODataError(.internalServerError, "navigation \(navigation.name) has no target set") }
            var collection = ODataEntityCollection(
                path: set.collection,
                type: set.type,
                canonicalPrefix: navigation.target
            )
            collection.constraint = .compare(field.path, .eq, .json(.string(source.id)))
            collection.membership = (field.path.components.joined(separator: "."), source.id)
            return .collection(collection)
        case .containment(let child):
            guard let type = model.type(named: navigation.target) else {
                throw ODataError(.internalServerError, "navigation \(navigation.name) has no target type")
            }
            return .collection(
                ODataEntityCollection(
                    path: source.collection.path.nested(child, in: source.id),
                    type: type,
                    canonicalPrefix: "\(source.path)/\(navigation.name)"
                )
            )
        }
    }

    /// Entity `id` as the caller reads it, through the changeset when there is one.
    private func read(_ id: String, in collection: CollectionPath) async throws(EntityError) -> Entity {
        if let changeset { return try await changeset.get(id, in: collection) }
        return try await service.get(id, in: collection, as: caller)
    }

    /// Fails with 404 unless entity `id` is a member of the navigation's collection.
    private func requireMember(_ id: String, of collection: ODataEntityCollection) async throws {
        let entity = try await read(id, in: collection.path)
        if let constraint = collection.constraint, !Evaluator.matches(constraint, entity.document) {
            throw ODataError(.notFound, "'\(id)' is not related to this entity")
        }
    }

    private func operationState(
        _ name: String,
        kind: ODataOperation.Kind,
        binding: ODataOperationBinding?,
        parameters: [ODataParameter]?
    ) async throws -> State {
        let modelBinding: ODataOperation.Binding
        switch binding {
        case .entity(let address): modelBinding = .entity(address.collection.type.name)
        case .collection(let collection), .unbound(let collection): modelBinding = .collection(collection.type.name)
        case nil: modelBinding = .unbound
        }
        guard let operation = model.operations(named: name, binding: modelBinding).first(where: { $0.kind == kind })
        else {
            let other = model.operations(named: name, binding: modelBinding).first
            if other != nil {
                throw ODataError(.methodNotAllowed, "\(name) is a \(other!.kind.rawValue), not a \(kind.rawValue)")
            }
            throw ODataError(.notFound, "no \(kind.rawValue) '\(name)' here")
        }
        var values: [String: ODataExpression] = [:]
        for parameter in parameters ?? [] { values[parameter.name] = parameter.value }
        guard let resolvedBinding = binding ?? unboundCollection(of: operation) else {
            throw ODataError(.internalServerError, "operation \(name) names no entity set")
        }
        return .done(.operation(operation, resolvedBinding, parameters: values))
    }

    /// The entity set an unbound operation works on.
    private func unboundCollection(of operation: ODataOperation) -> ODataOperationBinding? {
        model.entitySet(named: operation.entityType).map {
            .unbound(ODataEntityCollection(path: $0.collection, type: $0.type, canonicalPrefix: operation.entityType))
        }
    }

    private func keyValue(_ key: ODataKey) throws -> String {
        guard key.values.count == 1, let value = key.values.first, value.name == nil || value.name == "id" else {
            throw ODataError(.badRequest, "a key of EntityHub entities is one string: ('id')")
        }
        switch value.value {
        case .literal(.string(let text)), .segment(let text): return text
        case .literal(.number(let text)): return text
        case .literal(.guid(let text)): return text
        case .literal: throw ODataError(.badRequest, "the key must be a string literal such as ('PRD-1')")
        case .alias(let name):
            guard let expression = aliases[name], case .literal(.string(let text)) = expression.kind else {
                throw ODataError(.badRequest, "key alias @\(name) has no string value")
            }
            return text
        }
    }

    /// The id in an entity reference `products('P1')` or `http://host/odata/products('P1')`.
    static func id(inReference reference: String) -> String? {
        guard let open = reference.lastIndex(of: "("), reference.hasSuffix(")") else { return nil }
        var inner = String(reference[reference.index(after: open)..<reference.index(before: reference.endIndex)])
        if inner.hasPrefix("id=") { inner.removeFirst(3) }
        if inner.hasPrefix("'"), inner.hasSuffix("'"), inner.count >= 2 {
            inner = String(inner.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return inner.removingPercentEncoding ?? inner
    }

    /// The entity set and id in an entity reference (`categories('C1')`), relative or absolute.
    static func setAndID(inReference reference: String) -> (set: String, id: String)? {
        guard let open = reference.lastIndex(of: "("), let id = id(inReference: reference) else { return nil }
        let before = reference[..<open]
        let set = before.split(separator: "/").last.map(String.init) ?? String(before)
        return (set, id)
    }
}
