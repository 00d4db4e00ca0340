import EntityModel

/// A version an oaio client sends to `register/` or `upload/`: the new values with their stamp, and
/// the base it was made from (`server_stamp`, `server_values`).
public struct OaioUpload: Sendable, Hashable {
    public var id: String
    /// The new version's stamp (`client_stamp`), as sent.
    public var stamp: String
    /// The base version's stamp (`server_stamp`); empty when the client never synced the object.
    public var baseStamp: String
    public var values: [String: JSON]
    public var baseValues: [String: JSON]
    /// Where the client keeps the files (`csh_id`).
    public var fileHost: String?
    /// The device and app the upload comes from (the `X-OAIO-dvc` and `X-OAIO-app` headers).
    public var device: String
    public var app: String

    public init(
        id: String,
        stamp: String,
        baseStamp: String = "",
        values: [String: JSON],
        baseValues: [String: JSON] = [:],
        fileHost: String? = nil,
        device: String,
        app: String
    ) {
        self.id = id
        self.stamp = stamp
        self.baseStamp = baseStamp
        self.values = values
        self.baseValues = baseValues
        self.fileHost = fileHost
        self.device = device
        self.app = app
    }
}
