import EntityModel
import EntityStore

extension EntityService {
    /// How many entities referring to a file are read to find one the caller may read: a file only
    /// readable through later ones counts as missing, and the caller uploads it again (which succeeds
    /// at once and lets them refer to it).
    static let referrersChecked = 50

    /// The files among `digests` that `caller` may refer to in the values they write: those they
    /// uploaded, and those an entity they can read refers to. Never tells whether others hold a file.
    public func filesAvailable(_ digests: Set<String>, to caller: Caller) async throws(EntityError) -> Set<String> {
        guard !digests.isEmpty else { return [] }
        var available: Set<String> = []
        if let user = caller.userID {
            do { available = try await store.filesUploaded(Array(digests), by: user) } catch { throw map(error) }
        }
        for digest in digests.subtracting(available).sorted() {
            if try await readsAnEntity(referringTo: digest, as: caller) { available.insert(digest) }
        }
        return available
    }

    private func readsAnEntity(referringTo digest: String, as caller: Caller) async throws(EntityError) -> Bool {
        let referrers: [FileReferrer]
        do {
            referrers = try await store.fileReferrers(of: digest, limit: Self.referrersChecked)
        } catch {
            throw map(error)
        }
        let byCollection = Dictionary(grouping: referrers, by: \.collection)
        for (collection, entries) in byCollection.sorted(by: { $0.key.storageKey < $1.key.storageKey }) {
            guard let declaration = schema.collection(at: collection),
                (try? await requireParent(of: collection, as: caller)) != nil
            else { continue }
            let entities: [String: Entity]
            do { entities = try await store.get(entries.map(\.id), in: collection) } catch { throw map(error) }
            let rights = try await rights(
                of: caller,
                on: entities.values,
                in: collection,
                policy: policy(for: caller, in: declaration)
            )
            if !rights.isEmpty { return true }
        }
        return false
    }
}
