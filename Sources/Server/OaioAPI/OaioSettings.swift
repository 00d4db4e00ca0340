import EntityModel

/// The oaio adapter's settings: the storage hosts it names to clients besides itself.
public struct OaioSettings: Sendable {
    /// The constructor arguments `csh_args/<id>` answers for each storage host id other than
    /// `Local` (EntityHub itself), e.g. `{"Digi": {"root_folder": …, "email": …, "password": …}}`
    /// (`--oaio-csh FILE`).
    public var fileHosts: [String: JSON]

    public init(fileHosts: [String: JSON] = [:]) {
        self.fileHosts = fileHosts
    }

    /// The storage host id under which EntityHub keeps the files itself (`/csh/`).
    public static let localFileHost = "Local"
}
