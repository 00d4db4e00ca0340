import EntityModel
import Foundation

/// The client settings kept in the user's home: `~/.config/entityhub/config.json` (or the file named by
/// `ENTITYHUB_CONFIG`), such as `{"endpoint": "https://hub.example.com", "api_key": "ApiKey ID:SECRET"}`.
struct ClientConfigFile: Equatable {
    var endpoint: String?
    var apiKey: String?

    /// The settings of the config file, `nil` when there is none; throws when it exists but is not valid.
    static func load(environment: [String: String]) throws -> ClientConfigFile? {
        guard let path = path(environment: environment), FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the config file \(path)")
        }
        let document: JSON
        do {
            document = try JSON(parsing: Array(data))
        } catch {
            throw CLIError("config file \(path): \(error)")
        }
        guard case .object(let members) = document else {
            throw CLIError("config file \(path): expected a JSON object")
        }
        for key in members.keys where !["endpoint", "api_key"].contains(key) {
            throw CLIError("config file \(path): unknown setting '\(key)' (known: endpoint, api_key)")
        }
        return ClientConfigFile(endpoint: members["endpoint"]?.stringValue, apiKey: members["api_key"]?.stringValue)
    }

    /// `ENTITYHUB_CONFIG`, else `$XDG_CONFIG_HOME/entityhub/config.json`, else
    /// `$HOME/.config/entityhub/config.json`.
    static func path(environment: [String: String]) -> String? {
        if let explicit = environment["ENTITYHUB_CONFIG"], !explicit.isEmpty { return explicit }
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/entityhub/config.json" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/entityhub/config.json"
    }
}
