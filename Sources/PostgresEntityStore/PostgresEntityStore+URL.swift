import EntityStore
import Foundation
import PostgresNIO

extension PostgresEntityStore {
    /// The client configuration for a `postgres://user:password@host:port/database` URL (also
    /// `postgresql://`); the port defaults to 5432, the user to `postgres`. `?sslmode=require` turns
    /// on TLS with the system's trust roots.
    ///
    /// Adjust its `options` (pool size, connect timeout) and give it to
    /// ``init(client:configuration:logger:)``:
    ///
    /// ```swift
    /// var client = try PostgresEntityStore.clientConfiguration(url: "postgres://entityhub@db/entityhub")
    /// client.options.maximumConnections = 40
    /// let store = PostgresEntityStore(client: client)
    /// ```
    public static func clientConfiguration(url text: String) throws(StoreError) -> PostgresClient.Configuration {
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
