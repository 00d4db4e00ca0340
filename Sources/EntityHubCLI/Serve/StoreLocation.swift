import EntityStore
import PostgresEntityStore
import PostgresNIO

/// Where `entityhub serve` keeps its entities: the embedded SQLite store in a folder (the default),
/// or a PostgreSQL database that several servers can share.
enum StoreLocation: Equatable, Sendable {
    /// `entityhub.sqlite` in `directory`.
    case embedded(directory: String)
    /// The database of a `postgres://` URL.
    case postgres(url: String)

    /// The environment variable that names a database when `--database` is not given.
    static let environmentVariable = "ENTITYHUB_DATABASE_URL"

    /// The location `--database` (or else `$ENTITYHUB_DATABASE_URL`) names, or the embedded store in
    /// `dataDirectory` when neither is set; throws a message for a URL that is not a database URL.
    init(database: String?, environment: [String: String], dataDirectory: String) throws(StoreError) {
        let url = database ?? environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let url else {
            self = .embedded(directory: dataDirectory)
            return
        }
        _ = try PostgresEntityStore.clientConfiguration(url: url)
        self = .postgres(url: url)
    }

    /// What the start-up line shows: the folder, or the database without user name or password.
    var displayName: String {
        switch self {
        case .embedded(let directory):
            return "data in \(directory)"
        case .postgres(let url):
            guard let configuration = try? PostgresEntityStore.clientConfiguration(url: url) else {
                return "PostgreSQL"
            }
            let database = configuration.database.map { "/\($0)" } ?? ""
            return "PostgreSQL at \(configuration.host ?? "?"):\(configuration.port ?? 5432)\(database)"
        }
    }
}
