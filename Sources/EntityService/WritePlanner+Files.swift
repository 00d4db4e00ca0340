import EntityModel
import EntityStore

extension WritePlanner {
    /// The planned items, each whose values hold a malformed file reference, or a new reference to a
    /// file the caller neither uploaded nor can read through another entity, turned into
    /// `validationFailed` (`report.$file: …`). References the entity already had are kept as they are.
    func checkingFiles(of items: [Result<PlannedWrite, EntityError>]) async throws(EntityError)
        -> [Result<PlannedWrite, EntityError>]
    {
        var checked = items
        var newFiles: [Int: Set<String>] = [:]
        for (index, item) in items.enumerated() {
            guard case .success(let planned) = item, let entity = planned.result else { continue }
            let (files, problems) = FileReference.scan(entity.values)
            if !problems.isEmpty {
                checked[index] = .failure(EntityError(.validationFailed, problems))
                continue
            }
            guard !files.isEmpty else { continue }
            let added = files.subtracting(planned.previous.map { FileReference.digests(in: $0.values) } ?? [])
            if !added.isEmpty { newFiles[index] = added }
        }
        guard !newFiles.isEmpty else { return checked }
        let available = try await service.filesAvailable(
            newFiles.values.reduce(into: Set()) { $0.formUnion($1) },
            to: caller
        )
        for (index, files) in newFiles {
            let unknown = files.subtracting(available).sorted()
            guard !unknown.isEmpty else { continue }
            checked[index] = .failure(
                EntityError(
                    .validationFailed,
                    unknown.map { "$file \($0): no such file among those you uploaded or can read; upload it first" }
                )
            )
        }
        return checked
    }
}
