// swift-tools-version: 6.2
import PackageDescription

/// Every target: existential `any` spelled out, and no warning left standing.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "EntityHub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "entityhub", targets: ["entityhub"]),
        .library(name: "EntityModel", targets: ["EntityModel"]),
        .library(name: "EntityQuery", targets: ["EntityQuery"]),
        .library(name: "EntityStore", targets: ["EntityStore"]),
        .library(name: "SQLiteEntityStore", targets: ["SQLiteEntityStore"]),
        .library(name: "PostgresEntityStore", targets: ["PostgresEntityStore"]),
        .library(name: "EntityService", targets: ["EntityService"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "EntityClient", targets: ["EntityClient"]),
        .library(name: "EntitySync", targets: ["EntitySync"]),
        .library(name: "EntityStoreTestKit", targets: ["EntityStoreTestKit"]),
        .library(name: "NGSILD", targets: ["NGSILD"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        .target(name: "EntityModel", swiftSettings: strictSettings),
        .target(name: "EntityQuery", dependencies: ["EntityModel"], swiftSettings: strictSettings),
        .target(
            name: "EntityStore",
            dependencies: [
                "EntityModel", "EntityQuery",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntityStoreTestKit",
            dependencies: ["EntityModel", "EntityQuery", "EntityStore"],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SQLiteEntityStore",
            dependencies: [
                "EntityModel", "EntityQuery", "EntityStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PostgresEntityStore",
            dependencies: [
                "EntityModel", "EntityQuery", "EntityStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntityService",
            dependencies: [
                "EntityModel", "EntityQuery", "EntityStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Server",
            dependencies: [
                "EntityModel", "EntityQuery", "EntityService", "EntityStore", "SQLiteEntityStore", "NGSILD",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntityClient",
            dependencies: [
                "EntityModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntitySync",
            dependencies: [
                "EntityClient", "EntityModel", "EntityQuery", "EntityStore", "SQLiteEntityStore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntityHubCLI",
            dependencies: [
                "Server", "EntityClient", "EntityModel", "EntityService", "SQLiteEntityStore", "PostgresEntityStore",
                "NGSILD",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // JSON-LD expansion/compaction, NGSI-LD representations and `q` → Filter; Foundation only.
        .target(name: "NGSILD", dependencies: ["EntityModel", "EntityQuery"], swiftSettings: strictSettings),
        .executableTarget(name: "entityhub", dependencies: ["EntityHubCLI"], swiftSettings: strictSettings),
        .testTarget(name: "EntityModelTests", dependencies: ["EntityModel"], swiftSettings: strictSettings),
        .testTarget(
            name: "NGSILDTests",
            dependencies: ["NGSILD", "EntityModel", "EntityQuery"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntityQueryTests",
            dependencies: [
                "EntityQuery", "EntityModel", "EntityStoreTestKit",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "BlobStoreTests",
            dependencies: [
                "EntityStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SQLiteEntityStoreTests",
            dependencies: [
                "SQLiteEntityStore", "EntityStore", "EntityStoreTestKit", "EntityQuery", "EntityModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // Fresh stores of every backend for the test suites (not a product).
        .target(
            name: "TestStores",
            dependencies: [
                "EntityStore", "EntityStoreTestKit", "SQLiteEntityStore", "PostgresEntityStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/TestStores",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PostgresEntityStoreTests",
            dependencies: [
                "PostgresEntityStore", "TestStores", "EntityStore", "EntityStoreTestKit", "EntityQuery", "EntityModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntityServiceTests",
            dependencies: [
                "EntityService", "TestStores", "EntityStore", "EntityQuery", "EntityModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "TestStores", "EntityService", "EntityStore", "EntityQuery", "SQLiteEntityStore",
                "EntityModel", "NGSILD",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntityClientTests",
            dependencies: [
                "EntityClient", "Server", "TestStores", "EntityService", "SQLiteEntityStore", "EntityModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntitySyncTests",
            dependencies: [
                "EntitySync", "EntityClient", "Server", "TestStores", "EntityModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntityHubCLITests",
            dependencies: [
                "EntityHubCLI", "EntityClient", "EntityModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
