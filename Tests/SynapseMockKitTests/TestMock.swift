import Foundation
import Hummingbird
import NIOCore
import SynapseMockKit

/// A tiny backend for exercising the mock framework: health, echo, a fixed-size body, an SSE
/// stream of five events, and an upload route that reads multipart bodies.
struct TestMock: MockServer {
    var name = "test-mock"
    var backendType: String { "test" }
    var healthPath: String { "/health" }
    var serverHeader: String? = "test-server/1.0"

    func addRoutes(to router: Router<MockRequestContext>) {
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.post("/echo") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: body))
        }
        router.get("/big") { _, _ in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 1000)))
        }
        router.get("/events") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    for index in 1...5 { try await writer.write(ByteBuffer(string: "data: \(index)\n\n")) }
                    try await writer.finish(nil)
                })
        }
        router.post("/upload") { request, _ in
            // Reads the upload without looking at it, like a handler that streams to disk.
            var size = 0
            for try await chunk in request.body { size += chunk.readableBytes }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(size)")))
        }
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        let json = #"{"error":{"code":\#(status.code),"message":"\#(message)"}}"#
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
