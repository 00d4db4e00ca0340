import EntityModel
import EntityService
import EntityStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SQLiteEntityStore
import ServiceLifecycle

/// Everything `entityhub serve` can be told.
public struct ServerConfiguration: Sendable {
    /// Interface to listen on. Default `127.0.0.1`.
    public var host: String
    /// The certificate chain and private key (PEM files) to serve HTTPS with (`--tls-cert`,
    /// `--tls-key`); `nil`: plain HTTP (behind a reverse proxy that terminates TLS, or on loopback).
    public var tls: (certificateChain: String, privateKey: String)?
    /// Port to listen on; 0 picks a free one. Default 8080.
    public var port: Int
    /// Folder of the embedded store (`entityhub.sqlite` inside). Default `./data`.
    public var dataDirectory: String
    /// Settings of the embedded store.
    public var store: SQLiteEntityStore.Configuration
    /// The schema; ``Schema/open`` when no schema file is given.
    public var schema: Schema
    public var service: EntityService.Configuration
    public var limits: RESTLimits
    /// The NGSI-LD API: its collection, context loading and body limits.
    public var ngsild: NGSILDSettings
    /// The oaio API: the storage hosts it names besides itself.
    public var oaio: OaioSettings
    /// Level of the per-request log line. Default `.info`.
    public var requestLogLevel: Logger.Level
    /// How long sync deletions and push receipts are kept (`--sync-retention`); an older cursor is
    /// answered `410 CURSOR_EXPIRED`. Default 30 days.
    public var syncRetention: Duration
    /// Folder of uploaded files (`--files`); `nil`: `files` in ``dataDirectory``. With PostgreSQL,
    /// every process mounts the same folder.
    public var filesDirectory: String?
    /// Largest file accepted (`--max-file-size`). Default 1 GiB.
    public var maximumFileSize: Int64
    /// How long a file no entity refers to is kept before it is deleted (`--file-grace`). Default 1 day.
    public var fileGracePeriod: Duration
    /// How often an open `/_sync/events` stream gets a heartbeat comment. Default 15 s.
    public var syncHeartbeat: Duration
    /// Most `/_sync/events` streams open at once (`--max-sync-streams`); more are answered 503.
    public var maximumSyncStreams: Int
    /// The admin API key `<id>:<secret>` to make sure of at start (`ENTITYHUB_ADMIN_KEY`); without
    /// it, a store without users gets an `admin` user with a new key, given to ``announceAdminKey``.
    public var adminKey: String?
    /// Shows the one-time key made for a new store's admin. Default: one line on standard output
    /// (never the log).
    public var announceAdminKey: @Sendable (String) -> Void

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "data",
        store: SQLiteEntityStore.Configuration = .init(),
        schema: Schema = .open,
        service: EntityService.Configuration = .init(),
        limits: RESTLimits = .init(),
        ngsild: NGSILDSettings = .init(),
        oaio: OaioSettings = .init(),
        requestLogLevel: Logger.Level = .info,
        syncRetention: Duration = .seconds(30 * 24 * 3600),
        filesDirectory: String? = nil,
        maximumFileSize: Int64 = 1 << 30,
        fileGracePeriod: Duration = .seconds(24 * 3600),
        syncHeartbeat: Duration = .seconds(15),
        maximumSyncStreams: Int = 1000,
        adminKey: String? = nil,
        announceAdminKey: @escaping @Sendable (String) -> Void = { key in
            print("Admin API key (shown once): ApiKey \(key)")
        }
    ) {
        self.host = host
        self.tls = nil
        self.port = port
        self.dataDirectory = dataDirectory
        self.store = store
        self.schema = schema
        self.service = service
        self.limits = limits
        self.ngsild = ngsild
        self.oaio = oaio
        self.requestLogLevel = requestLogLevel
        self.syncRetention = syncRetention
        self.filesDirectory = filesDirectory
        self.maximumFileSize = maximumFileSize
        self.fileGracePeriod = fileGracePeriod
        self.syncHeartbeat = syncHeartbeat
        self.maximumSyncStreams = maximumSyncStreams
        self.adminKey = adminKey
        self.announceAdminKey = announceAdminKey
    }
}

/// Builds and runs the EntityHub HTTP server.
public enum EntityHubServer {
    /// Opens the embedded SQLite store in the configured data folder and builds the application.
    public static func makeApplication(
        configuration: ServerConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("entityhub.sqlite").path
        let store = try SQLiteEntityStore(path: path, configuration: configuration.store)
        return try await makeApplication(
            store: store,
            configuration: configuration,
            logger: logger,
            onServerRunning: onServerRunning
        )
    }

    /// Builds the application over any store.
    ///
    /// The store's schema preparation runs once `services` are up and before the server accepts
    /// connections, so a store that needs a running service (the Postgres store's connection pool)
    /// passes that service here: it starts first and stops last.
    ///
    /// ```swift
    /// let store = try PostgresEntityStore(url: "postgres://entityhub@db.local/entityhub")
    /// let app = try await EntityHubServer.makeApplication(
    ///     store: store, services: [store], configuration: configuration, logger: logger)
    /// try await app.runService()
    /// ```
    public static func makeApplication(
        store: any EntityStore,
        services: [any Service] = [],
        configuration: ServerConfiguration,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let service = try EntityService(
            store: store,
            schema: try configuration.schema.includingNGSILDCollection(named: configuration.ngsild.collection)
                .includingOaioCollection(),
            configuration: configuration.service,
            logger: logger
        )
        let router = try makeRouter(service: service, configuration: configuration)
        var server = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [ExpectContinueHandler()]))
        if let tls = configuration.tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChain).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: tls.privateKey, format: .pem)
            server = try .tls(
                server,
                tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            )
        }
        var application = Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "EntityHub"
            ),
            services: services + [
                SyncSweeper(
                    service: service,
                    files: service.files(in: try blobStore(configuration), maximumSize: configuration.maximumFileSize),
                    retention: configuration.syncRetention,
                    fileGracePeriod: configuration.fileGracePeriod,
                    logger: logger
                )
            ],
            onServerRunning: onServerRunning,
            logger: logger
        )
        application.beforeServerStarts {
            try await service.prepareStore()
            if let key = try await service.accounts.bootstrap(adminKey: configuration.adminKey) {
                configuration.announceAdminKey(key)
            }
        }
        return application
    }

    /// The files of `configuration`: `--files`, else `files` in the data folder.
    static func blobStore(_ configuration: ServerConfiguration) throws -> FileSystemBlobStore {
        let directory =
            configuration.filesDirectory
            ?? (configuration.dataDirectory as NSString).appendingPathComponent("files")
        return try FileSystemBlobStore(directory: URL(fileURLWithPath: directory))
    }

    /// The router with every route of the server: `/health` (the process answers), `/ready` (and so
    /// does its store), the REST API with its files and sync routes, the oaio API (`/api/…/`, `/csh/`),
    /// the OData API and the NGSI-LD API. The service's schema must hold the NGSI-LD and oaio
    /// collections (``Schema/includingNGSILDCollection(named:)``, ``Schema/includingOaioCollection()``).
    ///
    /// Fails with a ``SchemaError`` when two collections or fields map to the same OData name.
    public static func makeRouter(service: EntityService, configuration: ServerConfiguration) throws -> Router<
        EntityHubRequestContext
    > {
        let router = Router(context: EntityHubRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestLogMiddleware(level: configuration.requestLogLevel))
        router.add(middleware: ErrorBodyMiddleware())
        router.get("/health") { _, _ in
            JSONResponse.make(status: .ok, json: ["status": "ok"])
        }
        // Readiness, for load balancers: 200 while the store serves requests, else 503 (the process
        // itself stays healthy, and recovers by itself when the database is back).
        router.get("/ready") { _, _ in
            do throws(EntityError) {
                try await service.checkAvailability()
                return JSONResponse.make(status: .ok, json: ["status": "ready"])
            } catch {
                return RESTError(error).response()
            }
        }
        for path in ["/health", "/ready"] {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
                router.on(RouterPath(path), method: method) { request, _ in
                    RESTError.methodNotAllowed(request.method, allowed: [.get]).response()
                }
            }
        }
        let fileService = service.files(in: try blobStore(configuration), maximumSize: configuration.maximumFileSize)
        let files = FilesController<EntityHubRequestContext>(
            files: fileService,
            service: service,
            limits: configuration.limits
        )
        files.addRoutes(to: router)
        OaioController<EntityHubRequestContext>(
            service: service,
            limits: configuration.limits,
            settings: configuration.oaio,
            tls: configuration.tls != nil
        ).addRoutes(to: router)
        CshController<EntityHubRequestContext>(files: fileService, service: service).addRoutes(to: router)
        RESTController<EntityHubRequestContext>(service: service, limits: configuration.limits, files: files)
            .addRoutes(to: router)
        SyncController<EntityHubRequestContext>(
            service: service,
            limits: configuration.limits,
            events: SyncEventStreams(
                service: service,
                heartbeat: configuration.syncHeartbeat,
                maximumStreams: configuration.maximumSyncStreams
            )
        ).addRoutes(to: router)
        try ODataController<EntityHubRequestContext>(service: service, limits: configuration.limits).addRoutes(
            to: router
        )
        NGSILDController<EntityHubRequestContext>(service: service, settings: configuration.ngsild).addRoutes(
            to: router
        )
        return router
    }
}
