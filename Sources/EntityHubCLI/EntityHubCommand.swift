import ArgumentParser

/// `entityhub`: the EntityHub server and its tools.
public struct EntityHubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "entityhub",
        abstract: "JSON entities for many users and devices, over REST/RQL (Connect), with more protocols to come.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
