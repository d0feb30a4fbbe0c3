import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOCore
import SynapseCore

/// The server-side limits of `gateway:`: how the HTTP/1 server and its listener are built.
extension GatewayService {
    static let listenBacklog = 4096
    /// Connections accepted per wake-up of the listener, not NIO's 4.
    static let acceptsPerWakeUp = 256

    /// HTTP/1 with the head limits in the decoder (`maxHeaderBytes`, `maxHeaderCount`) and a
    /// `ConnectionGuard` per connection (slow clients, 431, close after `Connection: close`).
    /// - Parameter fastPaths: where each connection finds the current fast path; nil: none ever.
    static func server(_ settings: GatewaySettings, fastPaths: Swappable<FastPath?>? = nil) -> HTTPServerBuilder {
        var configuration = http1(settings)
        var wireLimits: WireFastPathHandler.Limits?
        if fastPaths != nil {
            wireLimits = .init(maxHeaderBytes: settings.maxHeaderBytes, maxHeaderCount: settings.maxHeaderCount, idleTimeout: settings.clientIdleTimeout)
            // `WireFastPathHandler` keeps it while it reads the connection, and gives it back.
            configuration.idleTimeout = nil
        }
        return HTTPServerBuilder { [configuration, wireLimits] responder in
            EventLoopBoundChannel(
                inner: HTTP1Channel(responder: responder, configuration: configuration), fastPaths: fastPaths, wireLimits: wireLimits)
        }
    }

    /// HTTPS: TLS with HTTP/2 offered by ALPN and HTTP/1.1 for clients that do not ask for it;
    /// each HTTP/2 stream and each HTTP/1.1 connection gets the same head limits and
    /// `ConnectionGuard`, and HTTP/2 streams lose the fields HTTP/2 forbids
    /// (`HTTP2ConnectionFields`). No fast path (it relays HTTP/1.1 bytes on plain connections).
    static func secureServer(_ settings: GatewaySettings, tls: ListenerTLS) -> HTTPServerBuilder {
        var streams = http1(settings)
        // Before ConnectionGuard, so its own answers (408, 431) pass it too.
        streams.additionalChannelHandlers = { [HTTP2ConnectionFields(), ConnectionGuard(limits: settings)] }
        let configuration = HTTP2UpgradeChannel.Configuration(
            idleTimeout: .nanoseconds(settings.clientIdleTimeout.nanoseconds), streamConfiguration: streams)
        return HTTPServerBuilder { responder in
            try HTTP2UpgradeChannel(tlsConfiguration: tls.configuration, configuration: configuration, responder: responder)
        }
    }

    private static func http1(_ settings: GatewaySettings) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(limits: settings)],
            idleTimeout: .nanoseconds(settings.clientIdleTimeout.nanoseconds),
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: settings.maxHeaderBytes, maxHeaderListSize: settings.maxHeaderBytes,
                maxHeaderFieldCount: settings.maxHeaderCount))
    }

    /// The listener: past `maxConnections` open connections it stops accepting until one closes
    /// (new ones wait in the kernel's backlog, then are refused by it); nothing crashes.
    ///
    /// The backlog is `listenBacklog` (the kernel caps it at `net.core.somaxconn`), not
    /// Hummingbird's 256: a thousand clients connecting at once (a load test, an ingress
    /// reconnecting after a restart) overflowed 256 and saw connections dropped.
    static func listener(_ settings: GatewaySettings, logger: Logger) -> ApplicationConfiguration {
        // (The listener's other half is `acceptingManyAtOnce`, once it is bound.)
        .init(
            address: .hostname(settings.host, port: settings.port), serverName: nil, backlog: listenBacklog,
            availableConnectionsDelegate: MaximumAvailableConnections(settings.maxConnections, logger: logger))
    }

    /// Lets the bound listener accept up to `acceptsPerWakeUp` connections each time it wakes.
    ///
    /// NIO accepts 4 and then waits for the event loop's next turn, which under load comes after
    /// every ready connection's reads and writes: a thousand clients connecting at once (wrk
    /// -c1024, an ingress reconnecting) waited up to 3 s in the accept queue, their first
    /// requests with them (the listen socket's queue held 379 connections 0.25 s into such a run
    /// and took 2.7 s to empty). uvicorn and nginx accept what is queued.
    public static func acceptingManyAtOnce(_ listener: any Channel) async {
        try? await listener.setOption(ChannelOptions.maxMessagesPerRead, value: UInt(acceptsPerWakeUp))
    }
}
