import EntityStore

/// A failed expectation of a ``ConformanceCheck``: what was expected, what the store returned, and
/// where in the kit the expectation is written.
///
/// For randomized checks the message also holds the seed and the query, so the failure can be
/// replayed (see the kit's README).
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The name of the check that failed.
    public internal(set) var check: String
    /// What was expected and what the store did instead.
    public let message: String
    /// The source file of the failed expectation.
    public let file: String
    /// The line of the failed expectation.
    public let line: UInt

    init(check: String = "", message: String, file: StaticString, line: UInt) {
        self.check = check
        self.message = message
        self.file = "\(file)"
        self.line = line
    }

    /// `check: message (file:line)`.
    public var description: String {
        "\(check): \(message) (\(file.split(separator: "/").last.map(String.init) ?? file):\(line))"
    }

    /// Runs the body of the check `check`: a failure it throws is named after the check, any other
    /// error becomes a failure at `file` and `line` (the check's definition).
    static func attributing(
        to check: String,
        file: StaticString,
        line: UInt,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch var failure as ConformanceFailure {
            failure.check = check
            throw failure
        } catch {
            throw ConformanceFailure(
                check: check,
                message: "unexpected error: \(describe(error))",
                file: file,
                line: line
            )
        }
    }

    /// A readable description of an error, with the code and index of a ``StoreError``.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? StoreError else { return "\(type(of: error)): \(error)" }
        return "StoreError(\(error.code), index: \(error.index.map(String.init) ?? "nil")): \(error.message)"
    }
}

/// Every failure of a run of the whole suite (``EntityStoreConformance/run(_:)``).
public struct ConformanceFailures: Error, Sendable, CustomStringConvertible {
    /// The failures, in the order of ``EntityStoreConformance/checks``.
    public let failures: [ConformanceFailure]

    /// One line per failure.
    public var description: String {
        "\(failures.count) conformance check(s) failed:\n"
            + failures.map { "- \($0.description)" }.joined(separator: "\n")
    }
}
