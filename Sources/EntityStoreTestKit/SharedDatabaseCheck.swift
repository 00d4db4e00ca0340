import EntityStore

/// Makes two stores on one new, empty database for one check of
/// ``EntityStoreConformance/sharedDatabaseChecks``: what two EntityHub processes serving the same
/// database hold. A check may call it more than once; every pair it returns must be independent of
/// the other pairs, while the two stores of a pair see the same entities, grants and change log.
///
/// ```swift
/// let factory: SharedStoreFactory = {
///     let schema = "test_\(UInt64.random(in: 0...UInt64.max))"
///     return (try MyEntityStore(url: url, schema: schema), try MyEntityStore(url: url, schema: schema))
/// }
/// ```
///
/// A backend whose database belongs to one process (an embedded database file) returns the same
/// store twice: then the checks still interleave their steps, with nothing shared to get wrong.
public typealias SharedStoreFactory = @Sendable () async throws -> (any EntityStore, any EntityStore)

/// One named check of stores sharing one database (``EntityStoreConformance/sharedDatabaseChecks``):
/// whatever one store writes, the other must read at once, totals and ``EntityQuery/Query/readableBy``
/// restrictions included, however it caches.
///
/// Like a ``ConformanceCheck``, it makes its own stores with the factory it is given, calls
/// ``EntityStore/prepare(for:)`` on both itself, and throws a ``ConformanceFailure`` at its first
/// failed expectation (an error thrown by a store where none was expected is reported as a failure
/// too).
///
/// ```swift
/// @Test(arguments: EntityStoreConformance.sharedDatabaseChecks)
/// func conformsSharingOneDatabase(_ check: SharedDatabaseCheck) async throws {
///     try await check.run { try await MyEntityStore.makePairOnOneEmptyDatabase() }
/// }
/// ```
public struct SharedDatabaseCheck: Sendable, CustomStringConvertible {
    /// The check's name, e.g. `totalsStayExactAcrossTwoStoresOnOneDatabase`; unique among the
    /// shared-database checks.
    public let name: String
    private let file: StaticString
    private let line: UInt
    private let body: @Sendable (SharedStoreFactory) async throws -> Void

    init(
        _ name: String,
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: @escaping @Sendable (SharedStoreFactory) async throws -> Void
    ) {
        self.name = name
        self.file = file
        self.line = line
        self.body = body
    }

    /// Runs the check against pairs of stores made by `makeStores`.
    ///
    /// - Throws: a ``ConformanceFailure`` naming this check, the failed expectation and its source
    ///   location; for an unexpected error of a store or the factory, the location of the check.
    public func run(_ makeStores: SharedStoreFactory) async throws {
        try await ConformanceFailure.attributing(to: name, file: file, line: line) { try await body(makeStores) }
    }

    /// The check's name.
    public var description: String { name }
}

extension EntityStoreConformance {
    /// Every check of stores sharing one database: run them with a ``SharedStoreFactory`` besides
    /// ``checks``.
    public static let sharedDatabaseChecks: [SharedDatabaseCheck] = [
        totalsStayExactAcrossTwoStoresOnOneDatabase
    ]

    /// Runs every shared-database check against pairs of stores made by `makeStores`, one after the
    /// other.
    ///
    /// ```swift
    /// try await EntityStoreConformance.runSharedDatabaseChecks {
    ///     let store = try SQLiteEntityStore.inMemory()
    ///     return (store, store)
    /// }
    /// ```
    ///
    /// - Throws: ``ConformanceFailures`` listing every failed check, after all have run.
    public static func runSharedDatabaseChecks(_ makeStores: SharedStoreFactory) async throws {
        var failures: [ConformanceFailure] = []
        for check in sharedDatabaseChecks {
            do {
                try await check.run(makeStores)
            } catch let failure as ConformanceFailure {
                failures.append(failure)
            }
        }
        if !failures.isEmpty { throw ConformanceFailures(failures: failures) }
    }
}
