import EntityClient
import EntityModel
import Foundation

/// A record read from the input, with the line it starts on.
struct PendingRecord: Sendable {
    let line: Int
    let value: JSON
}

/// A record the server refused, with its reasons.
struct RejectedRecord: Sendable, Equatable {
    let line: Int
    let messages: [String]
}

/// What became of one batch: how many records were created, and which were refused.
struct BatchOutcome: Sendable {
    var accepted = 0
    var rejected: [RejectedRecord] = []
}

/// Sends one batch of records as a bulk create, and when the server refuses it, keeps the good records:
/// the items the error names (`item 3: ...`) are set aside and the rest is sent again; a refusal that names no
/// item is narrowed down by halving the batch.
///
/// Bulk creates are all-or-nothing on the server, so nothing of a refused batch was stored and sending the
/// remaining records again creates each exactly once. Every request carries an idempotency key of its own
/// (a new one whenever the records change), so the client may retry it after a lost answer or a 503
/// without creating anything twice.
struct BatchSender: Sendable {
    let collection: CollectionReference

    func send(_ records: [PendingRecord]) async throws(EntityClientError) -> BatchOutcome {
        var outcome = BatchOutcome()
        var pending = records
        while !pending.isEmpty {
            do {
                let key = UUID().uuidString
                _ = try await collection.bulkCreate(jsonArray: Self.body(of: pending), idempotencyKey: key)
                outcome.accepted += pending.count
                return outcome
            } catch {
                guard Self.isRecordError(error) else { throw error }
                let named = Self.itemMessages(in: error.errors, count: pending.count)
                if !named.isEmpty {
                    for index in named.keys.sorted(by: >) {
                        outcome.rejected.append(RejectedRecord(line: pending[index].line, messages: named[index] ?? []))
                        pending.remove(at: index)
                    }
                    continue
                }
                if pending.count == 1 {
                    outcome.rejected.append(RejectedRecord(line: pending[0].line, messages: error.errors))
                    return outcome
                }
                let middle = pending.count / 2
                for half in [Array(pending[..<middle]), Array(pending[middle...])] {
                    let part = try await send(half)
                    outcome.accepted += part.accepted
                    outcome.rejected += part.rejected
                }
                return outcome
            }
        }
        return outcome
    }

    /// The JSON array of the records' values.
    static func body(of records: [PendingRecord]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(records.count * 128)
        for (position, record) in records.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            record.value.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    /// Whether the refusal concerns records of the batch (bad values, duplicate ids, a batch too large)
    /// rather than the whole import (authentication, a missing collection, a server failure).
    static func isRecordError(_ error: EntityClientError) -> Bool {
        guard let status = error.status else { return false }
        return [400, 409, 413, 422].contains(status)
    }

    /// The messages of `item N: message` errors, by item index; empty when any message names no valid item.
    static func itemMessages(in errors: [String], count: Int) -> [Int: [String]] {
        var messages: [Int: [String]] = [:]
        for error in errors {
            guard error.hasPrefix("item "), let colon = error.firstIndex(of: ":"),
                let index = Int(error[error.index(error.startIndex, offsetBy: 5)..<colon]), (0..<count).contains(index)
            else { return [:] }
            let message = error[error.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            messages[index, default: []].append(message)
        }
        return messages
    }
}
