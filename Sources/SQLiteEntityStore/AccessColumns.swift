import EntityStore
import Foundation
import GRDB

/// Helpers shared by the access tables (`users`, `credentials`, `grants`, `audit_log`).
enum AccessColumns {
    /// Parses a stored timestamp; a malformed one is a corrupt database.
    static func date(_ text: String) throws -> Date {
        guard let date = StoredTimestamp.date(text) else {
            throw StoreError(.internal, "a stored access timestamp is invalid")
        }
        return date
    }

    /// Parses an optional stored timestamp.
    static func date(_ text: String?) throws -> Date? {
        try text.map { (text: String) throws -> Date in try date(text) }
    }

    /// Runs `body`, turning a violated primary key or unique constraint into
    /// ``StoreError/Code/duplicateKey`` with `message`.
    static func rejectingDuplicates<T>(_ message: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
            || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
        {
            throw StoreError(.duplicateKey, message)
        }
    }
}
