import EntityModel
import Foundation
import Synchronization

/// Makes ids for new entities: from the collection's pattern (`PRD-###-###-###` with random digits),
/// `urn:uuid:` and a lowercase UUID for collections of IRI ids, or sortable unique ids (26 characters
/// of Crockford base32: 48 bits of milliseconds since 1970, then 80 random bits, increasing within a
/// process).
final class IDGenerator: Sendable {
    private let last = Mutex<(milliseconds: UInt64, random: (UInt64, UInt16))>((0, (0, 0)))

    /// A fresh id for an entity of `collection`.
    func makeID(for collection: CollectionSchema) -> String {
        if collection.ids == .uri { return "urn:uuid:" + UUID().uuidString.lowercased() }
        if let pattern = collection.idPattern {
            let body = String(pattern.map { $0 == "#" ? Character(String(Int.random(in: 0...9))) : $0 })
            return collection.idPrefix.map { "\($0)-\(body)" } ?? body
        }
        let sortable = makeSortableID()
        return collection.idPrefix.map { "\($0)-\(sortable)" } ?? sortable
    }

    /// A ULID-style id that sorts in creation order.
    /// The id of a new grant: `GRT-` and a sortable unique id.
    func makeGrantID() -> String { "GRT-" + makeSortableID() }

    func makeSortableID(now: Date = Date()) -> String {
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (time, random) = last.withLock { state -> (UInt64, (UInt64, UInt16)) in
            if milliseconds <= state.milliseconds {
                // Same millisecond (or clock went back): keep the time and count up, so ids stay increasing.
                var (high, low) = state.random
                low &+= 1
                if low == 0 { high &+= 1 }
                state.random = (high, low)
            } else {
                state.milliseconds = milliseconds
                state.random = (UInt64.random(in: 0...UInt64.max) >> 1, UInt16.random(in: 0...UInt16.max))
            }
            return (state.milliseconds, state.random)
        }
        // 48 bits of time → 10 chars; 80 random bits (64 + 16) → 16 chars.
        var text = Self.base32(time, digits: 10)
        text += Self.base32(random.0 >> 4, digits: 12)
        text += Self.base32((random.0 & 0xF) << 16 | UInt64(random.1), digits: 4)
        return text
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    private static func base32(_ value: UInt64, digits: Int) -> String {
        var bytes = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
        var remaining = value
        for position in stride(from: digits - 1, through: 0, by: -1) {
            bytes[position] = alphabet[Int(remaining & 31)]
            remaining >>= 5
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
