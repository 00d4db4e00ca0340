import EntityHubCLI

await EntityHubCommand.runFromCommandLine()
