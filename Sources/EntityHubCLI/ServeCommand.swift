import ArgumentParser
import EntityModel
import EntityService
import Foundation
import Hummingbird
import Logging
import SQLiteEntityStore
import Server

/// `entityhub serve`: runs the HTTP server on the embedded SQLite store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the EntityHub server (embedded SQLite store in --data)."
    )

    @Option(help: "Interface to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8080

    @Option(help: "Folder of the embedded store.")
    var data = "data"

    @Option(help: "Schema file (JSON). Without one, any top-level collection is created on first write.")
    var schema: String?

    @Option(help: "Default page size of lists.")
    var defaultPageSize = 100

    @Option(help: "Largest page size a list may ask for (larger requests are refused).")
    var maxPageSize = 1000

    @Option(help: "Largest request body, in bytes.")
    var maxBodySize = 16 * 1024 * 1024

    @Option(help: "Most items in one bulk request.")
    var maxBatchSize = 10_000

    @Option(help: "Entities kept in memory for reads by id (0 turns the cache off).")
    var entityCacheSize = 10_000

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard defaultPageSize > 0, maxPageSize >= defaultPageSize else {
            throw ValidationError("--default-page-size must be positive and at most --max-page-size")
        }
        guard maxBodySize > 0, maxBatchSize > 0 else { throw ValidationError("sizes must be positive") }
        guard entityCacheSize >= 0 else { throw ValidationError("--entity-cache-size must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "entityhub")
        let loadedSchema: Schema
        if let schema {
            do {
                loadedSchema = try SchemaFile.load(path: schema)
            } catch {
                throw StartupError(message: "schema \(schema): \(error.description)")
            }
        } else {
            loadedSchema = .open
        }
        let configuration = ServerConfiguration(
            host: host,
            port: port,
            dataDirectory: data,
            store: SQLiteEntityStore.Configuration(entityCacheSize: entityCacheSize),
            schema: loadedSchema,
            service: EntityService.Configuration(
                defaultPageSize: defaultPageSize,
                maximumPageSize: maxPageSize,
                maximumBatchSize: maxBatchSize
            ),
            limits: RESTLimits(maximumBodySize: maxBodySize)
        )
        let app = try await EntityHubServer.makeApplication(configuration: configuration, logger: logger) { channel in
            let address = channel.localAddress
            let shownHost = address?.ipAddress ?? configuration.host
            let shownPort = address?.port ?? configuration.port
            let line =
                "EntityHub listening on http://\(shownHost):\(shownPort) (data in \(configuration.dataDirectory))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        logger.info("EntityHub stopped")
    }
}

/// A reason the server cannot start, printed as one line (without the usage text of a bad argument).
struct StartupError: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}
