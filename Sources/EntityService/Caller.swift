/// Who is calling ``EntityService`` and through which protocol.
public struct Caller: Sendable, Hashable {
    /// The user's id, or `nil` for an anonymous caller.
    public var userID: String?
    /// The caller's roles, e.g. `admin`.
    public var roles: Set<String>
    /// The protocol adapter the call came through (`rest`, `odata`, ...), for logs and the change log.
    public var channel: String

    public init(userID: String? = nil, roles: Set<String> = [], channel: String) {
        self.userID = userID
        self.roles = roles
        self.channel = channel
    }

    /// An anonymous caller of the given channel.
    public static func anonymous(channel: String) -> Caller {
        Caller(channel: channel)
    }
}
