import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// Clients that stall or disappear never hang the gateway, and never leave a backend request running.
@Suite struct SlowAndVanishingClientTests {
    @Test func clientThatVanishesMidUploadCancelsTheBackendRequest() async throws {
        let received = StreamingRelayTests.Gate()  // piece 0: bytes arrived; piece 1: the upload broke off
        try await Harness.withUpstream({ router in
            router.post("/transcribe") { request, _ -> String in
                var bytes = 0
                do {
                    for try await chunk in request.body {
                        bytes += chunk.readableBytes
                        received.release(0)
                    }
                } catch {
                    received.release(1)
                    throw error
                }
                return "complete after \(bytes) bytes"
            }
        }) { port in
            try await Harness.withGateway(Harness.config(["whisper-stt": port])) { url in
                let gatewayPort = Int(url.split(separator: ":").last!)!
                let connection = try await RawConnection.open(port: gatewayPort)
                let head = "POST /stt/transcribe HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000\r\n\r\n"
                try await connection.send(
                    head + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n" + String(repeating: "x", count: 4000))
                try await withTimeout(.seconds(5)) { await received.wait(for: 0) }
                try await connection.close()
                // The backend's view of the upload ends in an error: its request was cancelled.
                try await withTimeout(.seconds(5)) { await received.wait(for: 1) }
            }
        }
    }

    @Test func clientThatStallsMidHeadersIsDisconnected() async throws {
        let config = Harness.config(["llama-embed": try await Harness.deadPort()]) { $0.gateway.clientIdleTimeout = .seconds(1) }
        try await Harness.withGateway(config) { url in
            let connection = try await RawConnection.open(port: Int(url.split(separator: ":").last!)!)
            // On a loaded machine the idle timeout may already have closed the connection; either way
            // what is checked is that the gateway closes it.
            try? await connection.send("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-")
            // Nothing more is sent; the gateway closes the connection after the idle timeout.
            try await withTimeout(.seconds(5)) { await connection.closed() }
        }
    }
}

/// A bare TCP connection, for clients that misbehave below HTTP.
final class RawConnection: Sendable {
    let channel: any Channel
    private let closedGate: StreamingRelayTests.Gate

    private init(channel: any Channel, closedGate: StreamingRelayTests.Gate) {
        self.channel = channel
        self.closedGate = closedGate
    }

    static func open(port: Int) async throws -> RawConnection {
        let gate = StreamingRelayTests.Gate()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(CloseWatcher(gate: gate)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, closedGate: gate)
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    func close() async throws {
        try await channel.close().get()
    }

    /// Returns once the peer (or we) closed the connection.
    func closed() async {
        await closedGate.wait(for: 0)
    }

    private final class CloseWatcher: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let gate: StreamingRelayTests.Gate
        init(gate: StreamingRelayTests.Gate) { self.gate = gate }
        func channelInactive(context: ChannelHandlerContext) {
            gate.release(0)
            context.fireChannelInactive()
        }
    }
}
