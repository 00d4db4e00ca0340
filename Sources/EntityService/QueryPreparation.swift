import EntityModel
import EntityQuery
import Foundation

/// Turns a client's query into one the store can run: aliases resolved, literals typed by the schema,
/// page limits checked.
struct QueryPreparation {
    let collection: CollectionSchema
    let configuration: EntityService.Configuration

    func prepare(_ query: Query) throws(EntityError) -> Query {
        guard query.limit >= 0, query.offset >= 0 else {
            throw EntityError(.invalidRequest, "limit and offset must not be negative")
        }
        guard query.limit <= configuration.maximumPageSize else {
            throw EntityError(
                .invalidRequest,
                "limit \(query.limit) is above the maximum page size \(configuration.maximumPageSize)"
            )
        }
        var prepared = query
        if let filter = query.filter {
            do {
                prepared.filter = try filter.mappingPaths(resolve).typed(by: fieldType)
            } catch {
                throw EntityError(.invalidQuery, error.description)
            }
        }
        prepared.sort = query.sort.map { SortKey(resolve($0.path), descending: $0.descending) }
        if let search = query.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            prepared.search = search
        } else {
            prepared.search = nil
        }
        return prepared
    }

    /// `created`, `updated` and `version` mean the metadata unless the collection declares such
    /// fields or takes every name as its own (``CollectionSchema/aliasesMetadata``).
    func resolve(_ path: FieldPath) -> FieldPath {
        guard collection.aliasesMetadata, path.components.count == 1, collection.fields[path.components[0]] == nil
        else { return path }
        switch path.components[0] {
        case "created", "updated", "version": return FieldPath([Entity.metaKey, path.components[0]])
        default: return path
        }
    }

    func fieldType(_ path: FieldPath) -> FieldType? {
        switch path.components {
        case ["id"], [Entity.metaKey, "createdBy"]: return .string
        case [Entity.metaKey, "version"]: return .integer
        case [Entity.metaKey, "created"], [Entity.metaKey, "updated"]: return .datetime
        default: return collection.fieldType(at: path.components)
        }
    }
}

extension Filter {
    /// The same predicate with every field path passed through `transform`; the paths inside
    /// ``Filter/anyElement(_:_:where:)`` start at an element and those inside
    /// ``Filter/related(_:where:)`` at a target entity, and are kept.
    func mappingPaths(_ transform: (FieldPath) -> FieldPath) -> Filter {
        switch self {
        case .and(let children): return .and(children.map { $0.mappingPaths(transform) })
        case .or(let children): return .or(children.map { $0.mappingPaths(transform) })
        case .not(let child): return .not(child.mappingPaths(transform))
        case .compare(let path, let op, let value): return .compare(transform(path), op, value)
        case .pattern(let path, let pattern, let caseInsensitive):
            return .pattern(transform(path), pattern, caseInsensitive: caseInsensitive)
        case .membership(let path, let values, let negated):
            return .membership(transform(path), values, negated: negated)
        case .isNull(let path, let negated): return .isNull(transform(path), negated: negated)
        case .regex(let path, let pattern): return .regex(transform(path), pattern)
        case .anyElement(let path, let source, let child): return .anyElement(transform(path), source, where: child)
        case .dateTime(let path, let op, let instant): return .dateTime(transform(path), op, instant)
        case .compareValues(let lhs, let op, let rhs):
            return .compareValues(lhs.mappingPaths(transform), op, rhs.mappingPaths(transform))
        case .stringTest(let test, let lhs, let rhs):
            return .stringTest(test, lhs.mappingPaths(transform), rhs.mappingPaths(transform))
        case .valueIn(let value, let values): return .valueIn(value.mappingPaths(transform), values)
        case .search: return self
        case .related(var relation, let child):
            // The child reads the target collection's documents: its paths are the target's, kept.
            if case .reference(let path) = relation.link { relation.link = .reference(transform(path)) }
            return .related(relation, where: child)
        }
    }
}
