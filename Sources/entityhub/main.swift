import EntityHubCLI

/// The asynchronous entry point of ArgumentParser, which runs `run() async` of each command.
let runCommand: () async -> Void = EntityHubCommand.main
await runCommand()
