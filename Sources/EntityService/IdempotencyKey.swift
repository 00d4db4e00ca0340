import EntityModel
import EntityStore
import Foundation

/// An `Idempotency-Key` sent with a write, and the digest of the request it came with.
///
/// The first request with a key is carried out and its outcome recorded (atomically with its writes);
/// a repeat with the same key and the same request is answered from the record without writing again.
/// Keys are scoped to the caller and kept for 24 hours.
public struct IdempotencyKey: Sendable, Hashable {
    /// The key as the client sent it.
    public var key: String
    /// A digest of what makes the request this request (method, path, body); see ``fingerprint(of:)``.
    public var fingerprint: String

    /// Checks `key`: 1 to 255 visible ASCII characters.
    public init(_ key: String, fingerprint: String) throws(EntityError) {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw EntityError(.invalidRequest, "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        self.key = key
        self.fingerprint = fingerprint
    }

    /// A 64-bit FNV-1a digest of `parts`, as 16 hex digits: enough to tell a changed request from a
    /// repeated one (keys are per caller, so this is not a security boundary).
    public static func fingerprint(of parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The key as stored: scoped to `caller`, so two users never share a key.
    func scopedKey(for caller: Caller) -> String {
        (caller.userID ?? "") + "\u{1F}" + key
    }

    func record(for caller: Caller, in collection: CollectionPath, results: [Entity?]) -> IdempotencyRecord {
        IdempotencyRecord(
            key: scopedKey(for: caller),
            fingerprint: fingerprint,
            collection: collection,
            written: results.map { $0.map(WrittenEntity.init) },
            createdAt: Date()
        )
    }
}

extension EntityService {
    /// The answer to a repeat of a request made with `key`, or `nil` when there was none; throws when
    /// the key was used for a different request.
    ///
    /// A replay answers with the entities the first request wrote **as they are now**, each read under
    /// the same rule as a `GET`: one the caller can no longer read, one deleted since, or one deleted and
    /// created again under its id, answers `notFound` (for a batch, naming the item), as a first attempt
    /// would now. So a replay never shows more than the caller may read at the time of the replay.
    func replay(
        _ key: IdempotencyKey,
        in collection: CollectionPath,
        as caller: Caller,
        itemized: Bool
    ) async throws(EntityError) -> [Entity?]? {
        let record: IdempotencyRecord?
        do {
            record = try await store.idempotencyRecord(
                for: key.scopedKey(for: caller),
                notBefore: Date().addingTimeInterval(-idempotencyRetention)
            )
        } catch {
            throw map(error)
        }
        guard let record else { return nil }
        guard record.fingerprint == key.fingerprint, record.collection == collection else {
            throw EntityError(
                .idempotencyKeyReused,
                "Idempotency-Key '\(key.key)' was already used for a different request; use a new key"
            )
        }
        // One read of the entities and one of the caller's grants, however large the batch was.
        let ids = record.written.compactMap { $0?.id }
        let current: [String: Entity]
        do { current = try await store.get(ids, in: collection) } catch { throw map(error) }
        let policy = policy(for: caller, in: try collectionSchema(collection))
        let rights = try await rights(of: caller, on: current.values, in: collection, policy: policy)
        var entities: [Entity?] = []
        entities.reserveCapacity(record.written.count)
        for (index, written) in record.written.enumerated() {
            guard let written else {
                entities.append(nil)
                continue
            }
            guard let entity = current[written.id], written.isSameEntity(as: entity), rights[written.id] != nil else {
                let error = notFound(written.id, in: collection)
                throw itemized ? error.forItem(index) : error
            }
            entities.append(entity)
        }
        return entities
    }
}
