// swift-tools-version: 6.2
// Measures how fast EntityClient iterates a ResourceSet; run by Benchmarks/client.sh.
import PackageDescription

let package = Package(
    name: "ClientIteration",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "EntityHub", path: "../..")],
    targets: [
        .executableTarget(
            name: "ClientIteration",
            dependencies: [.product(name: "EntityClient", package: "EntityHub")]
        )
    ]
)
