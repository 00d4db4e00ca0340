import Hummingbird
import NIOCore

/// The request context of EntityHub's router: Hummingbird's basic context plus the client's address,
/// which login throttling counts failures by.
public struct EntityHubRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (`nil` for in-process test requests).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
