import ArgumentParser
import EntityClient
import EntityModel
import Foundation
import Testing

@testable import EntityHubCLI

@Suite struct CommandParsingTests {
    @Test func clientCommandsAreSubcommandsOfTheOneBinary() throws {
        let names = EntityHubCommand.configuration.subcommands.map { $0.configuration.commandName }
        #expect(
            names == [
                "serve", "get", "list", "create", "update", "delete", "action", "import", "export", "share", "users",
                "keys", "audit",
            ]
        )
        #expect(try EntityHubCommand.parseAsRoot([]) is ServeCommand)
    }

    @Test func listParsesItsQueryOptions() throws {
        let command = try #require(
            try EntityHubCommand.parseAsRoot([
                "list", "products", "--filter", "gt(price,10)", "--order", "-price,name", "--select", "id,-description",
                "--search", "lamp", "--limit", "20", "--format", "csv", "--endpoint", "http://h:1",
            ]) as? ListCommand
        )
        #expect(command.collection == "products")
        #expect(command.query.filter == "gt(price,10)")
        #expect(command.query.selectedColumns == ["id"])
        #expect(command.query.excludedColumns == ["description"])
        #expect(command.limit == 20)
        #expect(command.format == .csv)
        #expect(command.connection.endpoint == "http://h:1")
    }

    @Test(arguments: [
        ["list", "items", "--limit", "-1"],
        ["list", "items", "--all", "--limit", "5"],
        ["list", "items", "--page-size", "0"],
        ["import", "items", "f.csv", "--batch-size", "20000"],
        ["import", "items", "f.csv", "--concurrency", "0"],
        ["import", "items", "f.csv", "--delimiter", ";;"],
        ["export", "items", "--format", "table"],
        ["create", "items", "--data", "{}", "--file", "f.json"],
        ["delete", "items/a", "items/b", "--if-version", "2"],
        ["action", "items/a/go", "--method", "PATCH"],
        ["get", "items/a", "--timeout", "0"],
    ])
    func invalidArgumentsAreRefusedBeforeAnythingIsSent(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try EntityHubCommand.parseAsRoot(arguments) }
    }

    @Test func importDefaultsSuitBulkLoading() throws {
        let command = try #require(try EntityHubCommand.parseAsRoot(["import", "items", "-"]) as? ImportCommand)
        #expect(command.batchSize == 1000)
        #expect(command.concurrency == 2)
        #expect(command.format == nil)
        #expect(command.progress == .auto)
    }
}

@Suite struct ConnectionSettingsTests {
    private func client(_ arguments: [String], environment: [String: String]) throws -> EntityClient {
        let options = try ConnectionOptions.parse(arguments)
        return try options.makeClient(environment: environment)
    }

    @Test func flagsWinOverEnvironmentWhichWinsOverTheConfigFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.json")
        try Data(#"{"endpoint": "http://file:3", "api_key": "ApiKey F:1"}"#.utf8).write(to: file)

        let fromFile = try client([], environment: ["ENTITYHUB_CONFIG": file.path])
        #expect(fromFile.endpoint == "http://file:3/api/v1")
        let fromEnvironment = try client(
            [],
            environment: ["ENTITYHUB_CONFIG": file.path, "ENTITYHUB_ENDPOINT": "http://env:2/api/v1"]
        )
        #expect(fromEnvironment.endpoint == "http://env:2/api/v1")
        let fromFlag = try client(
            ["--endpoint", "http://flag:1"],
            environment: ["ENTITYHUB_CONFIG": file.path, "ENTITYHUB_ENDPOINT": "http://env:2"]
        )
        #expect(fromFlag.endpoint == "http://flag:1/api/v1")
        #expect(try client([], environment: [:]).endpoint == "http://127.0.0.1:8080/api/v1")
    }

    @Test func theConfigFileLivesInTheUsersHome() {
        #expect(ClientConfigFile.path(environment: ["HOME": "/home/ada"]) == "/home/ada/.config/entityhub/config.json")
        #expect(
            ClientConfigFile.path(environment: ["HOME": "/h", "XDG_CONFIG_HOME": "/x"]) == "/x/entityhub/config.json"
        )
        #expect(ClientConfigFile.path(environment: ["ENTITYHUB_CONFIG": "/c.json", "HOME": "/h"]) == "/c.json")
    }

    @Test func aBrokenConfigFileIsNamedInTheError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).json")
        try Data(#"{"endpoint": "http://x", "colour": 1}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: CLIError.self) {
            try ClientConfigFile.load(environment: ["ENTITYHUB_CONFIG": file.path])
        }
        #expect(error?.description.contains("colour") == true)
        #expect(error?.description.contains(file.path) == true)
    }
}

@Suite struct BatchSenderTests {
    @Test func itemErrorsNameTheRecordsToSetAside() {
        let messages = BatchSender.itemMessages(
            in: ["item 3: name: required field is missing", "item 0: price: expected a number", "item 3: x"],
            count: 5
        )
        #expect(messages == [3: ["name: required field is missing", "x"], 0: ["price: expected a number"]])
    }

    @Test func errorsWithoutValidItemsNameNothing() {
        #expect(BatchSender.itemMessages(in: ["the body is too large"], count: 5).isEmpty)
        #expect(BatchSender.itemMessages(in: ["item 9: out of range"], count: 5).isEmpty)
        #expect(BatchSender.itemMessages(in: ["item 1: ok", "not an item"], count: 5).isEmpty)
    }

    @Test func theBodyIsOneJSONArrayOfTheRecords() throws {
        let records = [PendingRecord(line: 1, value: ["a": 1]), PendingRecord(line: 2, value: ["b": "x"])]
        let body = try JSON(parsing: BatchSender.body(of: records))
        #expect(body == [["a": 1], ["b": "x"]])
    }
}

@Suite struct EntityPathTests {
    @Test func theLastSegmentIsTheIDOrTheAction() throws {
        let client = try EntityClient(endpoint: "http://h:1")
        let resource = try EntityPath("devops/services/SRVC-1").resource(in: client)
        #expect(resource.path == ["devops", "services", "SRVC-1"])
        #expect(try EntityPath("products/PRD-1/endsale").action(in: client).path == ["products", "PRD-1", "endsale"])
        #expect(throws: CLIError.self) { try EntityPath("products").resource(in: client) }
        #expect(throws: CLIError.self) { try EntityPath("//") }
    }

    @Test func prettyJSONPutsIDFirstAndMetaLast() {
        let text = JSONPrettyPrinter.text(["b": 1, "id": "X", "_meta": ["version": 1], "a": [true]])
        #expect(
            text
                == "{\n  \"id\": \"X\",\n  \"a\": [\n    true\n  ],\n  \"b\": 1,\n  \"_meta\": {\n    \"version\": 1\n  }\n}"
        )
    }
}

@Suite struct StoreLocationTests {
    @Test func theEmbeddedStoreIsTheDefault() throws {
        let location = try StoreLocation(database: nil, environment: [:], dataDirectory: "data")
        #expect(location == .embedded(directory: "data"))
        #expect(location.displayName == "data in data")
        let empty = try StoreLocation(database: nil, environment: ["ENTITYHUB_DATABASE_URL": ""], dataDirectory: "d")
        #expect(empty == .embedded(directory: "d"))
    }

    @Test func theDatabaseOptionWinsOverTheEnvironment() throws {
        let environment = ["ENTITYHUB_DATABASE_URL": "postgres://env@db.local/env"]
        let fromEnvironment = try StoreLocation(database: nil, environment: environment, dataDirectory: "data")
        #expect(fromEnvironment == .postgres(url: "postgres://env@db.local/env"))
        let fromOption = try StoreLocation(
            database: "postgresql://hub:s3cret@10.1.2.3:6543/entities",
            environment: environment,
            dataDirectory: "data"
        )
        #expect(fromOption == .postgres(url: "postgresql://hub:s3cret@10.1.2.3:6543/entities"))
        // What the start-up line shows never holds the user name or password.
        #expect(fromOption.displayName == "PostgreSQL at 10.1.2.3:6543/entities")
    }

    @Test(arguments: [
        "mysql://u@h/db", "data/entityhub.sqlite", "postgres:///nohost", "postgres://u@h/db?sslmode=prefer",
    ])
    func aURLThatIsNoPostgresURLIsRefusedBeforeStarting(_ url: String) {
        #expect(refusal(["serve", "--database", url])?.hasPrefix("--database: ") == true)
    }

    @Test func serveTakesThePoolOptions() throws {
        let command = try #require(
            try EntityHubCommand.parseAsRoot([
                "serve", "--database", "postgres://u@h/db", "--database-connections", "40", "--database-timeout", "2.5",
            ]) as? ServeCommand
        )
        #expect(command.databaseConnections == 40)
        #expect(command.databaseTimeout == 2.5)
        #expect(refusal(["serve", "--database-connections", "0"]) == "--database-connections must be positive")
    }
}

/// The message `entityhub` prints for `arguments`, or nil when they are accepted.
func refusal(_ arguments: [String]) -> String? {
    do {
        _ = try EntityHubCommand.parseAsRoot(arguments)
        return nil
    } catch {
        return EntityHubCommand.message(for: error)
    }
}
