import EntityStore

/// Makes a new, empty store for one check. A check may call it more than once; every store it
/// returns must be independent of the others (a fresh in-memory database, a new schema, …).
///
/// ```swift
/// let factory: StoreFactory = { try SQLiteEntityStore.inMemory() }
/// ```
public typealias StoreFactory = @Sendable () async throws -> any EntityStore

/// One named check of the ``EntityStoreConformance`` suite.
///
/// A check makes its own stores with the factory it is given, calls ``EntityStore/prepare(for:)``
/// itself, and throws a ``ConformanceFailure`` at its first failed expectation (an error thrown by
/// the store where none was expected is reported as a failure too).
///
/// ```swift
/// @Test(arguments: EntityStoreConformance.checks)
/// func conforms(_ check: ConformanceCheck) async throws {
///     try await check.run { try SQLiteEntityStore.inMemory() }
/// }
/// ```
public struct ConformanceCheck: Sendable, CustomStringConvertible {
    /// The check's name, e.g. `updateAndDeleteCompareVersions`; unique within the suite.
    public let name: String
    private let file: StaticString
    private let line: UInt
    private let body: @Sendable (StoreFactory) async throws -> Void

    init(
        _ name: String,
        file: StaticString = #filePath,
        line: UInt = #line,
        _ body: @escaping @Sendable (StoreFactory) async throws -> Void
    ) {
        self.name = name
        self.file = file
        self.line = line
        self.body = body
    }

    /// Runs the check against stores made by `makeStore`.
    ///
    /// - Throws: a ``ConformanceFailure`` naming this check, the failed expectation and its source
    ///   location; for an unexpected error of the store or the factory, the location of the check.
    public func run(_ makeStore: StoreFactory) async throws {
        try await ConformanceFailure.attributing(to: name, file: file, line: line) { try await body(makeStore) }
    }

    /// The check's name.
    public var description: String { name }
}
