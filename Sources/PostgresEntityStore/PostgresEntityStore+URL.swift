import EntityStore
import Foundation
import PostgresNIO

extension PostgresEntityStore {
    /// The client configuration for a `postgres://user:password@host:port/database` URL (also
    /// `postgresql://`); the port defaults to 5432, the user to `postgres`.
    static func clientConfiguration(url text: String) throws(StoreError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else {
            throw StoreError(.invalidQuery, "not a database URL of the form postgres://user:password@host:port/name")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default:
            throw StoreError(.invalidQuery, "unsupported sslmode '\(sslMode)' (use disable or require)")
        }
        return PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user?.removingPercentEncoding ?? "postgres",
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database.removingPercentEncoding,
            tls: tls
        )
    }
}
