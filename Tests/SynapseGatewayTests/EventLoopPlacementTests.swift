import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SynapseCore
import Testing

@testable import SynapseGateway

/// Where handlers run: a connection on its event loop, the pass-through routes there too, every
/// other handler on the cooperative pool.
@Suite struct EventLoopPlacementTests {
    /// Serves `table` with the gateway's own server set-up, on a free port.
    static func withServer(_ table: RouteTable, _ body: @Sendable (Int) async throws -> Void) async throws {
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: table.makeResponder(middlewares: []),
            server: GatewayService.server(GatewaySettings()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
        }
    }

    /// "loop" when the handler runs on an event loop's thread, "pool" otherwise.
    static func whereItRuns() -> Response {
        let place = MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "loop"
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: place)))
    }

    @Test func passThroughRoutesStayOnTheLoopAndOthersLeaveIt() async throws {
        var table = RouteTable()
        table.add(.get, "/pass", staysOnEventLoop: true) { _, _ in Self.whereItRuns() }
        table.add(.get, "/own") { _, _ in Self.whereItRuns() }
        try await Self.withServer(table) { port in
            try await Harness.withClient { client in
                for _ in 0..<4 {
                    let pass = try await client.send(.GET, "http://127.0.0.1:\(port)/pass")
                    #expect(pass.text == "loop")
                    let own = try await client.send(.GET, "http://127.0.0.1:\(port)/own")
                    #expect(own.text == "pool")
                }
            }
        }
    }
}
