import EntityClient
import Foundation
import TestStores

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `entityhub serve` for end-to-end tests, started as the Python suites start it
/// (Tests/client/conftest.py): the built binary (`ENTITYHUB_BIN`, else `.build/release/entityhub`) on
/// 127.0.0.1 with a free port (`--port 0`, read back from its "listening on" line), a fresh data
/// folder, a schema file, `ENTITYHUB_ADMIN_KEY` and `--bcrypt-cost 4`; on PostgreSQL, a fresh
/// database of its own. It is stopped (SIGTERM, then SIGKILL) and its folder removed afterwards.
///
/// ```swift
/// try await EntityHubProcess.withServer(on: .sqlite) { server in … server.endpoint … }
/// ```
struct EntityHubProcess: Sendable {
    /// `http://127.0.0.1:<port>`.
    let endpoint: String
    /// A folder of the test's own, removed afterwards (replicas and test files go here).
    let directory: URL

    static let startupTimeout: Duration = .seconds(30)

    static func withServer(on backend: StoreBackend, _ body: (EntityHubProcess) async throws -> Void) async throws {
        let binary = try binary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entityhub-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        switch backend {
        case .sqlite:
            try await run(binary, in: directory, database: nil, body)
        case .postgres:
            try await TestDatabase.withFreshDatabase { url in try await run(binary, in: directory, database: url, body)
            }
        }
    }

    /// The binary under test: `ENTITYHUB_BIN` (relative paths from the repository root), else
    /// `.build/release/entityhub`; never a silent skip when there is none.
    static func binary() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["ENTITYHUB_BIN"], !value.isEmpty {
            let url = value.hasPrefix("/") ? URL(fileURLWithPath: value) : repositoryRoot.appendingPathComponent(value)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw HarnessError("ENTITYHUB_BIN=\(value): no executable there")
            }
            return url
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/release/entityhub")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw HarnessError(
                "no entityhub binary for the end-to-end tests: build it with "
                    + "`swift build -c release --product entityhub` (or set ENTITYHUB_BIN to a built entityhub)"
            )
        }
        return fallback
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func run(
        _ binary: URL,
        in directory: URL,
        database: String?,
        _ body: (EntityHubProcess) async throws -> Void
    ) async throws {
        let schema = directory.appendingPathComponent("schema.json")
        try Data(#"{"collections": {"notes": {}}}"#.utf8).write(to: schema)
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("server.log")
        try Data().write(to: log)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = binary
        process.arguments =
            [
                "serve", "--host", "127.0.0.1", "--port", "0", "--data", data.path, "--schema", schema.path,
                "--bcrypt-cost", "4",
            ] + (database.map { ["--database", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["ENTITYHUB_DATABASE_URL"] = nil
        environment["ENTITYHUB_ADMIN_KEY"] = TestCredentials.adminKey
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        do {
            let endpoint = try await waitUntilListening(process, log: log)
            try await body(EntityHubProcess(endpoint: endpoint, directory: directory))
        } catch {
            await stop(process)
            throw HarnessError("\(error)\n--- server log tail ---\n\(tail(of: log))")
        }
        await stop(process)
    }

    /// The endpoint from the server's "EntityHub listening on http://…" line, once `/health` answers.
    private static func waitUntilListening(_ process: Process, log: URL) async throws -> String {
        let deadline = ContinuousClock.now + startupTimeout
        while ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("EntityHub listening on ") }),
                let address = line.split(separator: " ").dropFirst(3).first
            {
                let endpoint = String(address)
                let health = try EntityClient(endpoint: endpoint + "/health")
                if (try? await health.send(.GET, "")) != nil { return endpoint }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError(
            process.isRunning
                ? "entityhub serve did not answer /health within \(startupTimeout)"
                : "entityhub serve exited with \(process.terminationStatus) before it listened"
        )
    }

    /// SIGTERM, then SIGKILL when it has not exited within 15 seconds.
    private static func stop(_ process: Process) async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<150 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static func tail(of log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
    }
}

/// The harness could not start or drive the server.
struct HarnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
