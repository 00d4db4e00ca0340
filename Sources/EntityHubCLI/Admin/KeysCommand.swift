import ArgumentParser
import EntityClient
import EntityModel

/// `entityhub keys create|list|revoke`: users' API keys (needs an admin's key).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke users' API keys (as an admin).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `entityhub keys create --user bob [--label ci]`: prints `ApiKey <id>:<secret>`, once.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print it once, as the line 'ApiKey <id>:<secret>'.",
            discussion: """
                Standard output holds that line alone, so a script can keep it:
                  KEY=$(entityhub keys create --user ci-bot --label ci)
                The server never shows the secret again.
                """
        )

        @OptionGroup var connection: ConnectionOptions

        @Option(help: "The user the key signs in as.")
        var user: String

        @Option(help: "A name for the key, such as ci.")
        var label: String?

        func run() async throws {
            let created = try await connection.makeClient().admin.createKey(for: user, label: label)
            let output = BufferedOutput()
            try output.write(created.authorization + "\n")
            try output.flush()
            printToStandardError("created key \(created.id) for \(created.apiKey.user); it is shown only this once")
        }
    }

    /// `entityhub keys list --user bob`: a table of id, label and creation time (never secrets).
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's API keys (never their secrets).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: RecordOutputOptions

        @Option(help: "The user whose keys to list.")
        var user: String

        func run() async throws {
            let keys = try await connection.makeClient().admin.keys(of: user)
            try output.write(keys)
        }
    }

    /// `entityhub keys revoke KEY-…`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key: it is refused from now on.")

        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The key's id, such as KEY-….")
        var id: String

        func run() async throws {
            try await connection.makeClient().admin.revokeKey(id)
            printToStandardError("revoked key \(id)")
        }
    }
}

extension APIKey: TableRecord {
    static let columns = ["id", "label", "created"]

    /// The key as a row of `keys list`.
    var row: JSON {
        ["id": .string(id), "user": .string(user), "label": JSON(cell: label), "created": JSON(cell: createdAt)]
    }
}
