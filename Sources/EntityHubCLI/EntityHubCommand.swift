import ArgumentParser

/// `entityhub`: the EntityHub server and its tools.
public struct EntityHubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "entityhub",
        abstract: "JSON entities for many users and devices, over REST/RQL (Connect), with more protocols to come.",
        discussion: """
            The client commands reach a server at --endpoint, $ENTITYHUB_ENDPOINT or the "endpoint" of
            ~/.config/entityhub/config.json (default http://127.0.0.1:8080), with the API key from --api-key,
            $ENTITYHUB_API_KEY or "api_key" in the same file.
            """,
        subcommands: [
            ServeCommand.self, GetCommand.self, ListCommand.self, CreateCommand.self, UpdateCommand.self,
            DeleteCommand.self, ActionCommand.self, ImportCommand.self, ExportCommand.self, ShareCommand.self,
            UsersCommand.self, KeysCommand.self, AuditCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

extension EntityHubCommand {
    /// Parses the process's arguments and runs the chosen command, awaiting the asynchronous ones; on an
    /// error prints it (one line, or the usage for bad arguments) and exits with its code.
    ///
    /// ArgumentParser's own `main()` cannot be picked from another module's top-level code without
    /// ambiguity with the synchronous one, so the executable calls this.
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
