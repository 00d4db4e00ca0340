import EntityStore

/// Fails the running check with `message` unless `condition` holds.
func expect(
    _ condition: Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #filePath,
    line: UInt = #line
) throws {
    guard !condition else { return }
    throw ConformanceFailure(message: message(), file: file, line: line)
}

/// Fails the running check unless the store's answer equals the expected value.
func expectEqual<T: Equatable>(
    _ actual: T,
    _ expected: T,
    _ context: @autoclosure () -> String = "",
    file: StaticString = #filePath,
    line: UInt = #line
) throws {
    guard actual != expected else { return }
    let prefix = context()
    throw ConformanceFailure(
        message: (prefix.isEmpty ? "" : prefix + ": ") + "expected \(expected), the store returned \(actual)",
        file: file,
        line: line
    )
}

/// Fails the running check unless `body` throws a ``StoreError`` with `code` (and `index`, when
/// given); returns the error.
@discardableResult
func expectStoreError<T>(
    _ code: StoreError.Code,
    index: Int? = nil,
    _ context: @autoclosure () -> String,
    file: StaticString = #filePath,
    line: UInt = #line,
    _ body: () async throws -> T
) async throws -> StoreError {
    let outcome: String
    do {
        let value = try await body()
        outcome = "succeeded with \(value)"
    } catch let error as StoreError {
        if error.code == code, index == nil || error.index == index { return error }
        outcome = "threw \(ConformanceFailure.describe(error))"
    } catch {
        outcome = "threw \(ConformanceFailure.describe(error))"
    }
    let expected = "StoreError(\(code)" + (index.map { ", index: \($0)" } ?? "") + ")"
    throw ConformanceFailure(
        message: "\(context()): expected \(expected), the store \(outcome)",
        file: file,
        line: line
    )
}
