import EntityModel
import EntityQuery

extension Projection {
    /// `values` reduced to the included paths (all when none), minus the excluded ones, with the
    /// evaluator's rules. `id` and `_meta` live outside `values` and are always kept by the store.
    /// Shared by the backends of this package (`package` access).
    package func apply(to values: [String: JSON]) -> [String: JSON] {
        let fieldsOnly = Projection(
            include: include.filter { !Projection.isReserved($0) },
            exclude: exclude.filter { !Projection.isReserved($0) }
        )
        if !include.isEmpty && fieldsOnly.include.isEmpty { return [:] }
        return Evaluator.project(.object(values), fieldsOnly).objectValue ?? [:]
    }

    private static func isReserved(_ path: FieldPath) -> Bool {
        path.components.first == "id" || path.components.first == Entity.metaKey
    }
}
