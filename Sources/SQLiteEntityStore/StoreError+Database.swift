import EntityStore
import GRDB

extension StoreError {
    /// Maps any error met at the database boundary to a ``StoreError``; SQL text never leaves.
    init(database error: any Error, index: Int? = nil) {
        if let error = error as? StoreError {
            self = error
            return
        }
        guard let error = error as? DatabaseError else {
            self.init(.internal, "SQLite store: \(type(of: error)): \(error)", index: index)
            return
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.unavailable, "the database is busy; retry later", index: index)
        case .SQLITE_CONSTRAINT
        where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY:
            self.init(.duplicateID, "an entity with this id already exists", index: index)
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY:
            self.init(.unavailable, "the database cannot be written (\(error.extendedResultCode))", index: index)
        default:
            self.init(
                .internal,
                "SQLite error \(error.extendedResultCode): \(error.message ?? "no message")",
                index: index
            )
        }
    }
}
