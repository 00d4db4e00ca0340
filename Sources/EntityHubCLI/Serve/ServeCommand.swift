import ArgumentParser
import EntityModel
import EntityService
import Foundation
import Hummingbird
import Logging
import NGSILD
import NIOCore
import PostgresEntityStore
import SQLiteEntityStore
import Server

/// `entityhub serve`: runs the HTTP server on the embedded SQLite store, or on PostgreSQL.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the EntityHub server (embedded SQLite store in --data, or PostgreSQL with --database).",
        discussion: """
            Several servers started with the same --database share it: put them behind any HTTP load \
            balancer. Without --database (and without $ENTITYHUB_DATABASE_URL) the server keeps \
            everything in the embedded SQLite store in --data, which one server owns.

            On first start with no users, the server creates the user 'admin' and prints its API key \
            once. With $ENTITYHUB_ADMIN_KEY=<id>:<secret> it uses that key instead, on every start.
            """
    )

    @Option(help: "Interface to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8080

    @Option(help: "Folder of the embedded store.")
    var data = "data"

    @Option(
        help: ArgumentHelp(
            "PostgreSQL database instead of the embedded store (default: $ENTITYHUB_DATABASE_URL).",
            valueName: "postgres://USER:PASSWORD@HOST:PORT/DB"
        )
    )
    var database: String?

    @Option(help: "Most connections to PostgreSQL this server opens.")
    var databaseConnections = 20

    @Option(help: "Seconds a request waits for a PostgreSQL connection before it is answered 503.")
    var databaseTimeout = 5.0

    @Option(help: "Schema file (JSON). Without one, any top-level collection is created on first write.")
    var schema: String?

    @Option(help: "Default page size of lists.")
    var defaultPageSize = 100

    @Option(help: "Largest page size a list may ask for (larger requests are refused).")
    var maxPageSize = 1000

    @Option(help: "Largest request body, in bytes (a batch of 10,000 NGSI-LD entities needs about 5 MB).")
    var maxBodySize = 16 * 1024 * 1024

    @Option(help: "Most items in one bulk request.")
    var maxBatchSize = 10_000

    @Option(help: "Entities kept in memory for reads by id (0 turns the cache off).")
    var entityCacheSize = 10_000

    @Option(help: "The collection NGSI-LD entities live in (served at /ngsi-ld/v1).")
    var ngsildCollection = "ngsild"

    @Option(
        help: ArgumentHelp(
            "A JSON-LD @context served from a file instead of the network (repeatable).",
            valueName: "URL=FILE"
        )
    )
    var ngsildContext: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Seconds a session token from a login stays valid.")
    var sessionLifetime: Double = 24 * 60 * 60

    @Option(help: "bcrypt cost of password hashes (4-31; each step doubles the work).")
    var bcryptCost = 12

    @Option(help: "Failed logins allowed per user name and per client address in a minute.")
    var loginFailureLimit = 5

    @Option(
        help: """
            How long sync deletions and push receipts are kept: 30d, 12h, 90m, 45s. A device whose \
            cursor is older pulls everything again (410 CURSOR_EXPIRED).
            """
    )
    var syncRetention = "30d"

    @Option(
        help: "Folder of uploaded files (default: files in --data). With PostgreSQL, one folder all processes mount."
    )
    var files: String?

    @Option(help: "Largest file accepted, in bytes.")
    var maxFileSize: Int64 = 1 << 30

    @Option(help: "How long a file no entity refers to is kept before it is deleted: 1d, 6h, 30m, 10s.")
    var fileGrace = "1d"

    @Option(help: "Seconds between heartbeats on an open /api/v1/_sync/events stream.")
    var syncHeartbeat = 15.0

    @Option(help: "Most /api/v1/_sync/events streams open at once (more are answered 503).")
    var maxSyncStreams = 1000

    @Option(help: "Certificate chain (PEM) to serve HTTPS with; needs --tls-key.")
    var tlsCert: String?

    @Option(help: "Private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(
        help: """
            JSON file of the oaio storage hosts besides EntityHub itself: {"Digi": {"root_folder": …, "email": …, \
            "password": …}}, what csh_args/<id> answers.
            """
    )
    var oaioCsh: String?

    /// The storage hosts of `--oaio-csh`.
    func oaioSettings() throws -> OaioSettings {
        guard let oaioCsh else { return OaioSettings() }
        let hosts: JSON
        do {
            hosts = try JSON(parsing: try Data(contentsOf: URL(fileURLWithPath: oaioCsh)))
        } catch {
            throw StartupError(message: "--oaio-csh \(oaioCsh): \(error)")
        }
        guard case .object(let members) = hosts, members.values.allSatisfy({ $0.objectValue != nil }) else {
            throw StartupError(message: "--oaio-csh \(oaioCsh): expected {\"<csh id>\": {<arguments>}, …}")
        }
        return OaioSettings(fileHosts: members)
    }

    /// `--sync-retention` as a duration.
    func syncRetentionDuration() throws(ValidationError) -> Duration {
        try Self.duration(syncRetention, option: "--sync-retention")
    }

    /// `--file-grace` as a duration.
    func fileGraceDuration() throws(ValidationError) -> Duration {
        try Self.duration(fileGrace, option: "--file-grace")
    }

    /// A duration written as a positive number and a unit: `30d`, `12h`, `90m`, `45s`.
    static func duration(_ text: String, option: String) throws(ValidationError) -> Duration {
        let units: [Character: Int64] = ["d": 86400, "h": 3600, "m": 60, "s": 1]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count > 0 else {
            throw ValidationError(
                "\(option): expected a positive number and a unit (d, h, m or s), found '\(text)'"
            )
        }
        return .seconds(count * unit)
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard defaultPageSize > 0, maxPageSize >= defaultPageSize else {
            throw ValidationError("--default-page-size must be positive and at most --max-page-size")
        }
        guard maxBodySize > 0, maxBatchSize > 0 else { throw ValidationError("sizes must be positive") }
        guard entityCacheSize >= 0 else { throw ValidationError("--entity-cache-size must not be negative") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard databaseConnections > 0 else { throw ValidationError("--database-connections must be positive") }
        guard databaseTimeout > 0 else { throw ValidationError("--database-timeout must be positive") }
        guard sessionLifetime > 0 else { throw ValidationError("--session-lifetime must be positive") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 31") }
        guard loginFailureLimit > 0 else { throw ValidationError("--login-failure-limit must be positive") }
        _ = try storeLocation()
        _ = try preloadedContextFiles()
        _ = try syncRetentionDuration()
        _ = try fileGraceDuration()
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
        guard syncHeartbeat > 0, maxSyncStreams > 0 else {
            throw ValidationError("--sync-heartbeat and --max-sync-streams must be positive")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
    }

    /// `--ngsild-context URL=FILE` as a map from URL to file.
    func preloadedContextFiles() throws(ValidationError) -> [String: String] {
        var files: [String: String] = [:]
        for entry in ngsildContext {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--ngsild-context: expected URL=FILE, found '\(entry)'")
            }
            files[parts[0]] = parts[1]
        }
        return files
    }

    /// The NGSI-LD settings: preloaded contexts first, then the network, cached.
    func ngsildSettings() throws -> NGSILDSettings {
        let loader: PreloadedContextLoader
        do {
            loader = try PreloadedContextLoader(files: try preloadedContextFiles(), fallback: HTTPContextLoader())
        } catch let error as NGSILDError {
            throw StartupError(message: "--ngsild-context: \(error.description)")
        }
        return NGSILDSettings(
            collection: ngsildCollection,
            contextLoader: CachingContextLoader(wrapping: loader),
            maximumBodySize: maxBodySize
        )
    }

    /// The store that `--database`, `$ENTITYHUB_DATABASE_URL` and `--data` name.
    func storeLocation() throws(ValidationError) -> StoreLocation {
        do {
            return try StoreLocation(
                database: database,
                environment: ProcessInfo.processInfo.environment,
                dataDirectory: data
            )
        } catch {
            throw ValidationError("--database: \(error.message)")
        }
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
        var configuration = ServerConfiguration(
            host: host,
            port: port,
            dataDirectory: data,
            store: SQLiteEntityStore.Configuration(entityCacheSize: entityCacheSize),
            schema: loadedSchema,
            service: EntityService.Configuration(
                defaultPageSize: defaultPageSize,
                maximumPageSize: maxPageSize,
                maximumBatchSize: maxBatchSize,
                accounts: Accounts.Configuration(
                    bcryptCost: UInt8(bcryptCost),
                    sessionLifetime: sessionLifetime,
                    loginFailureLimit: loginFailureLimit
                )
            ),
            limits: RESTLimits(maximumBodySize: maxBodySize),
            ngsild: try ngsildSettings(),
            oaio: try oaioSettings(),
            syncRetention: try syncRetentionDuration(),
            filesDirectory: files,
            maximumFileSize: maxFileSize,
            fileGracePeriod: try fileGraceDuration(),
            syncHeartbeat: .milliseconds(Int64(syncHeartbeat * 1000)),
            maximumSyncStreams: maxSyncStreams,
            adminKey: ProcessInfo.processInfo.environment["ENTITYHUB_ADMIN_KEY"],
            announceAdminKey: { key in
                let line = "Admin API key (shown once; keep it, it is stored hashed): ApiKey \(key)\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
        )
        if let tlsCert, let tlsKey { configuration.tls = (tlsCert, tlsKey) }
        let scheme = configuration.tls == nil ? "http" : "https"
        let (defaultHost, defaultPort) = (configuration.host, configuration.port)
        let location = try storeLocation()
        let onServerRunning: @Sendable (any Channel) async -> Void = { channel in
            let address = channel.localAddress
            let shownHost = address?.ipAddress ?? defaultHost
            let shownPort = address?.port ?? defaultPort
            let line = "EntityHub listening on \(scheme)://\(shownHost):\(shownPort) (\(location.displayName))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        switch location {
        case .embedded:
            let app = try await EntityHubServer.makeApplication(
                configuration: configuration,
                logger: logger,
                onServerRunning: onServerRunning
            )
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        case .postgres(let url):
            let store = try postgresStore(url: url, logger: logger)
            let app = try await EntityHubServer.makeApplication(
                store: store,
                services: [store],
                configuration: configuration,
                logger: logger,
                onServerRunning: onServerRunning
            )
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch let error as EntityError where error.code == .unavailable {
                // Only preparing the schema, before the server listens, meets the database this way.
                throw StartupError(
                    message: "cannot reach \(location.displayName): \(error.messages.joined(separator: "; "))"
                )
            }
        }
        logger.info("EntityHub stopped")
    }
}

extension ServeCommand {
    /// The Postgres store of `url`, with this command's pool size and wait timeout.
    func postgresStore(url: String, logger: Logger) throws -> PostgresEntityStore {
        var client = try PostgresEntityStore.clientConfiguration(url: url)
        client.options.maximumConnections = databaseConnections
        client.options.connectTimeout = .milliseconds(Int64(databaseTimeout * 1000))
        return PostgresEntityStore(
            client: client,
            configuration: .init(connectionWaitTimeout: .milliseconds(Int64(databaseTimeout * 1000))),
            logger: logger
        )
    }
}

/// A reason the server cannot start, printed as one line (without the usage text of a bad argument).
struct StartupError: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}
