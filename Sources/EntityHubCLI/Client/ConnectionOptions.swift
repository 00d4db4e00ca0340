import ArgumentParser
import EntityClient
import Foundation

/// `--endpoint`, `--api-key` and `--timeout`, shared by every client command.
///
/// Each setting comes from the flag, else the environment (`ENTITYHUB_ENDPOINT`, `ENTITYHUB_API_KEY`),
/// else the config file (``ClientConfigFile``), else the default of a local server.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The server's API URL (default: $ENTITYHUB_ENDPOINT, the config file, or http://127.0.0.1:8080).")
    var endpoint: String?

    @Option(help: "Sent as the Authorization header, e.g. 'ApiKey ID:SECRET' (default: $ENTITYHUB_API_KEY or config).")
    var apiKey: String?

    @Option(help: "Seconds one request may take.")
    var timeout: Double = 60

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    /// The client these options describe, for `environment` (the process's by default).
    func makeClient(
        pageSize: Int = 100,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> EntityClient {
        let file = try ClientConfigFile.load(environment: environment)
        let resolvedEndpoint =
            endpoint ?? environment["ENTITYHUB_ENDPOINT"] ?? file?.endpoint ?? "http://127.0.0.1:8080"
        let resolvedKey = apiKey ?? environment["ENTITYHUB_API_KEY"] ?? file?.apiKey
        var configuration = EntityClient.Configuration()
        configuration.timeout = .milliseconds(Int64(timeout * 1000))
        configuration.pageSize = pageSize
        configuration.userAgent = "entityhub-cli/1"
        return try EntityClient(endpoint: resolvedEndpoint, apiKey: resolvedKey, configuration: configuration)
    }
}
