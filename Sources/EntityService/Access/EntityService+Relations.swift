import EntityModel
import EntityQuery

extension EntityService {
    /// `filter` with every ``Filter/related(_:where:)`` narrowed to the target entities the caller may
    /// read, whatever the caller put in ``Relation/readableBy``: a relation to entities the caller
    /// cannot see must not reveal them through the filter. A target collection the caller may read
    /// nothing of relates to nothing; an undeclared one is an `invalidQuery`.
    func securingRelations(_ filter: Filter, as caller: Caller) throws(EntityError) -> Filter {
        switch filter {
        case .and(let children):
            var secured: [Filter] = []
            for child in children { secured.append(try securingRelations(child, as: caller)) }
            return .and(secured)
        case .or(let children):
            var secured: [Filter] = []
            for child in children { secured.append(try securingRelations(child, as: caller)) }
            return .or(secured)
        case .not(let child):
            return .not(try securingRelations(child, as: caller))
        case .anyElement(let path, let source, let child):
            return .anyElement(path, source, where: try securingRelations(child, as: caller))
        case .related(var relation, let child):
            guard let declaration = schema.collection(at: relation.target) else {
                throw EntityError(.invalidQuery, "no collection \(relation.target.schemaKey) to relate to")
            }
            switch policy(for: caller, in: declaration).listScope {
            case .everything: relation.readableBy = nil
            case .readableBy(let user): relation.readableBy = user
            case .nothing: return .or([])
            }
            return .related(relation, where: try securingRelations(child, as: caller))
        case .compare, .pattern, .membership, .isNull, .regex, .dateTime, .compareValues, .stringTest, .valueIn,
            .search:
            return filter
        }
    }
}
