import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore

/// An upstream that answers every request on `paths` with a JSON description of what it
/// received, so a test sees both directions of a forwarded exchange.
enum EchoUpstream {
    static func register(_ router: Router<BasicRequestContext>, paths: [(HTTPRequest.Method, String)]) {
        for (method, path) in paths {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                let body = try await request.body.collect(upTo: 64 << 20)
                var headers: [String: String] = [:]
                for field in request.headers {
                    let name = field.name.canonicalName
                    headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
                }
                let echo: [String: Any] = [
                    "method": request.method.rawValue,
                    "path": request.uri.path,
                    "query": request.uri.query ?? "",
                    "authority": request.head.authority ?? "",
                    "headers": headers,
                    "body": String(decoding: body.readableBytesView, as: UTF8.self),
                ]
                let data = try JSONSerialization.data(withJSONObject: echo, options: [.sortedKeys])
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/json", HTTPField.Name("X-Upstream")!: "echo", .connection: "X-Private", HTTPField.Name("X-Private")!: "hop",
                    ],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }
}

/// A small multipart/form-data body.
struct MultipartBody {
    static let boundary = "synapseTestBoundary42"
    var parts: [(name: String, filename: String?, contentType: String?, data: Data)] = []

    private static let writer = MultipartWriter(boundary: boundary)

    var contentType: String { Self.writer.contentType }

    var data: Data {
        Data(Self.writer.body(parts.map { .init(name: $0.name, filename: $0.filename, contentType: $0.contentType, body: Array($0.data)) }))
    }
}
