import EntityModel
import NGSILD

/// The outcome of a batch operation (§6), per entity in array order: which ids succeeded, which
/// were created, and a `BatchEntityError` for each failure.
struct NGSILDBatchOutcome: Sendable {
    /// Ids that succeeded, each once, in the order first seen.
    private(set) var success: [String] = []
    private var succeeded: Set<String> = []
    /// Ids an upsert or create made new, each once.
    private(set) var created: [String] = []
    private var wasCreated: Set<String> = []
    /// `(entityId, problem)` per failed entity, in array order.
    private(set) var errors: [(entityID: String, problem: NGSILDProblem)] = []

    mutating func succeed(_ id: String, created isNew: Bool = false) {
        if succeeded.insert(id).inserted { success.append(id) }
        if isNew, wasCreated.insert(id).inserted { created.append(id) }
    }

    mutating func fail(_ id: String, _ problem: NGSILDProblem) {
        errors.append((id, problem))
    }

    /// The `BatchOperationResult` body of a 207.
    var resultJSON: JSON {
        .object([
            "success": .array(success.map(JSON.string)),
            "errors": .array(
                errors.map { error in
                    .object(["entityId": .string(error.entityID), "error": error.problem.json])
                }
            ),
        ])
    }
}
