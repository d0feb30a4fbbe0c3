import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix

/// `synapse dev` only: the mocks' control API under the gateway's own origin (`/dev/mocks…` →
/// `CONTROL/mocks…`), so the dashboard's fault panel injects and clears faults without a
/// cross-origin call. `synapse serve` never registers it (404).
///
/// | route | control API |
/// |---|---|
/// | `GET /dev/mocks` | `GET /mocks` |
/// | `GET`, `POST`, `DELETE /dev/mocks/{name}/faults` | list, inject (JSON fault), clear all |
/// | `DELETE /dev/mocks/{name}/faults/{id}` | remove one fault |
/// | `GET`, `DELETE /dev/mocks/{name}/journal` | the mock's journal |
/// | `POST /dev/mocks/{name}/reset` | faults, journal and state reset |
struct MockControlProxy: Sendable {
    /// The control API's base URL (`http://127.0.0.1:8100`), no trailing slash.
    let controlURL: String
    /// A fault rule is a few hundred bytes; anything bigger is not one.
    static let bodyLimit = 64 * 1024
    /// One client for the process (like `HTTPClient.shared`, never shut down), but a refused
    /// connection fails at once: the shared client would retry it until the deadline.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    func register(in table: inout RouteTable) {
        let routes: [(HTTPRequest.Method, String)] = [
            (.get, "/dev/mocks"),
            (.get, "/dev/mocks/{name}/faults"), (.post, "/dev/mocks/{name}/faults"), (.delete, "/dev/mocks/{name}/faults"),
            (.delete, "/dev/mocks/{name}/faults/{id}"),
            (.get, "/dev/mocks/{name}/journal"), (.delete, "/dev/mocks/{name}/journal"),
            (.post, "/dev/mocks/{name}/reset"),
        ]
        for (method, path) in routes {
            table.add(method, path) { request, context in try await forward(request, context: context) }
        }
    }

    private func forward(_ request: Request, context: GatewayContext) async throws -> Response {
        // Parameters are names and fault ids: plain characters only, so the path cannot be bent.
        for name in ["name", "id"] {
            if let value = context.parameters.get(name), !Self.isPlain(value) { throw GatewayError.notFound(path: request.uri.path) }
        }
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: Self.bodyLimit) } catch { throw GatewayError.payloadTooLarge(limit: Self.bodyLimit) }
        var upstream = HTTPClientRequest(url: controlURL + request.uri.path.dropFirst("/dev".count))
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        if body.readableBytes > 0 {
            upstream.body = .bytes(body)
            upstream.headers.add(name: "Content-Type", value: request.headers[.contentType] ?? "application/json")
        }
        let answer: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            answer = try await Self.client.execute(upstream, timeout: .seconds(10))
            bytes = try await answer.body.collect(upTo: 4 * 1024 * 1024)
        } catch {
            throw GatewayError(
                status: .badGateway, code: "mock_control_unavailable", type: "server_error",
                message: "The mocks' control API at \(controlURL) did not answer: \(error)")
        }
        if answer.status.code == 204 { return Response(status: .noContent) }
        var headers: HTTPFields = [.contentLength: String(bytes.readableBytes)]
        if let type = answer.headers.first(name: "Content-Type") { headers[.contentType] = type }
        return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: bytes))
    }

    static func isPlain(_ value: String) -> Bool {
        !value.isEmpty && value.count <= 64 && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
