import Hummingbird
import Logging
import NIOCore

/// The gateway's request context: the request id and what the log line at the end needs.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From the client's `X-Request-ID`, or generated.
    public var requestID: String = ""
    /// The client's address, for `X-Forwarded-For` and the admin API's loopback rule.
    public let remoteAddress: SocketAddress?
    /// Whether the peer is a trusted proxy (`gateway.trustedProxies`), so its `X-Forwarded-*` count.
    public var trustsForwardedHeaders = false
    /// Whether the client's `Authorization` / `X-API-Key` were the gateway's API key, and so are
    /// not passed on to the backend.
    public var consumedCredentials = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are streamed, never collected by Hummingbird; the gateway enforces its own limit.
    public var maxUploadSize: Int { .max }
}
