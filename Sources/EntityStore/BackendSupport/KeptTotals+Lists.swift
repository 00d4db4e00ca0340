/// Where a list's total comes from when its page does not prove it (see ``KeptTotals``).
package enum TotalSource: Sendable {
    /// Counted in the page's snapshot.
    case count
    /// Read from the kept total with this row id; `nil` (or a row found gone) makes the run answer
    /// ``TotalOutcome/needsKeptTotal``.
    case kept(Int64?)
    /// Read from the kept total with this row id, or counted when there is none.
    case keptOrCount(Int64?)
}

/// What a run of a list's page gives with a ``TotalSource``.
package enum TotalOutcome: Sendable {
    case page(QueryPage)
    /// No total is kept for the condition (``TotalSource/kept(_:)`` only).
    case needsKeptTotal
    /// The run could not read page and kept total in one snapshot (``TotalSource/kept(_:)`` only): run
    /// again with ``TotalSource/keptOrCount(_:)``, in one snapshot.
    case needsSnapshot

    /// The page of a run that reads or counts its total (``TotalSource/count``,
    /// ``TotalSource/keptOrCount(_:)``), which always has one.
    package func page() throws(StoreError) -> QueryPage {
        guard case .page(let page) = self else {
            throw StoreError(.internal, "a list that counts its total answered without a page")
        }
        return page
    }
}

extension KeptTotals {
    /// The page of a list whose total may be kept under `condition`: read with the kept total when
    /// there is one; else the total is kept first (counted once under the store's write lock by `keep`,
    /// however many callers ask at the same time) and the page read again with it.
    ///
    /// - Parameters:
    ///   - run: runs the page query with a source for its total; with ``TotalSource/count`` or
    ///     ``TotalSource/keptOrCount(_:)`` it must answer ``TotalOutcome/page(_:)``.
    ///   - keep: counts the condition's matches and keeps the total (``keep(_:)`` inside the store's
    ///     write transaction).
    package func page(
        of condition: Condition,
        in collection: String,
        run: (TotalSource) async throws(StoreError) -> TotalOutcome,
        keep: () async throws(StoreError) -> Void
    ) async throws(StoreError) -> QueryPage {
        let kept = id(of: condition, in: collection)
        switch try await run(.kept(kept)) {
        case .page(let page): return page
        case .needsSnapshot: return try await run(.keptOrCount(kept)).page()
        case .needsKeptTotal: break
        }
        if let kept { forget(id: kept) }
        try await registering(condition, in: collection, keep)
        return try await run(.keptOrCount(id(of: condition, in: collection))).page()
    }

}
