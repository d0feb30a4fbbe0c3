import NIOCore
import NIOPosix
import Testing

@testable import SynapseGateway

/// The listener's settings that decide how fast a crowd of new connections is taken in.
@Suite struct ListenerTests {
    /// NIO's listener accepts 4 connections each time it wakes; the gateway's takes up to 256, or
    /// a thousand clients arriving together wait seconds in the accept queue under load.
    @Test func theListenerAcceptsManyConnectionsAWakeUp() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: Int32(GatewayService.listenBacklog))
            .bind(host: "127.0.0.1", port: 0).get()
        #expect(try await listener.getOption(.maxMessagesPerRead) == 4, "NIO's default, which the gateway replaces")
        await GatewayService.acceptingManyAtOnce(listener)
        #expect(try await listener.getOption(.maxMessagesPerRead) == UInt(GatewayService.acceptsPerWakeUp))
        #expect(GatewayService.acceptsPerWakeUp >= 256)
        try await listener.close()
    }
}
