import AsyncHTTPClient
import Foundation
import MockChatterbox
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import SynapseTestSupport

/// Mock time for Chatterbox tests: sleeps return at once, so streaming delays cost nothing.
let instantTime = MockTime(sleep: { _ in try Task.checkCancellation() }, now: { Date(timeIntervalSince1970: 1_790_000_000) })

/// One HTTP exchange's outcome, with the body pieces as they arrived.
struct ChatterboxReply: Sendable {
    var status: Int
    var headers: [(String, String)]
    var pieces: [[UInt8]]
    var body: [UInt8] { pieces.flatMap { $0 } }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
}

/// Sends a request to a running mock and collects the reply.
func send(_ method: String, _ url: String, json: String? = nil, multipart: [(filename: String, bytes: [UInt8])]? = nil) async throws
    -> ChatterboxReply
{
    var request = HTTPClientRequest(url: url)
    request.method = .init(rawValue: method)
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    }
    if let multipart {
        let form = MultipartWriter(boundary: "chatterboxTestBoundary")
        let body = form.body(multipart.map { .init(name: "files", filename: $0.filename, contentType: "audio/wav", body: $0.bytes) })
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.body = .bytes(ByteBuffer(bytes: body))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    var pieces: [[UInt8]] = []
    for try await chunk in response.body { pieces.append(Array(chunk.readableBytesView)) }
    return ChatterboxReply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, pieces: pieces)
}
