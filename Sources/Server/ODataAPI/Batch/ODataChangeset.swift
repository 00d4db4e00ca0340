import EntityModel
import EntityService

/// The ``Changeset`` of one `$batch` changeset (atomicity group), shared by the requests in it: each
/// write is planned on the store plus the earlier steps, and ``commit()`` applies them all in one
/// transaction. The requests of a changeset run one after another.
actor ODataChangeset {
    /// `nil` while a step runs: the step holds the only copy, so the changeset's growing writes are
    /// extended in place rather than copied once per step.
    private var changeset: Changeset?

    init(_ changeset: Changeset) {
        self.changeset = changeset
    }

    func perform(_ operation: BatchOperation, in collection: CollectionPath) async throws(EntityError) -> Entity? {
        var step = try take()
        defer { changeset = step }
        return try await step.perform(operation, in: collection)
    }

    func runAction(_ name: String, on id: String, parameters: [String: JSON], in collection: CollectionPath)
        async throws(EntityError) -> Entity
    {
        var step = try take()
        defer { changeset = step }
        return try await step.runAction(name, on: id, parameters: parameters, in: collection)
    }

    func get(_ id: String, in collection: CollectionPath) async throws(EntityError) -> Entity {
        let step = try take()
        defer { changeset = step }
        return try await step.get(id, in: collection)
    }

    func commit() async throws(EntityError) {
        var step = try take()
        defer { changeset = step }
        try await step.commit()
    }

    private func take() throws(EntityError) -> Changeset {
        guard let step = changeset.take() else {
            throw EntityError(.internal, "the requests of a changeset ran at the same time")
        }
        return step
    }
}
