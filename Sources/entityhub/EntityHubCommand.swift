import ArgumentParser

/// `entityhub`: the EntityHub server and its tools.
@main
struct EntityHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entityhub",
        abstract: "JSON entities for many users and devices, over REST/RQL (Connect), with more protocols to come.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
