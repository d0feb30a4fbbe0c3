import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SynapseCore

/// One form field for `postForm`: a file part when `filename` is set, else a text field.
struct FormField {
    var name: String
    var filename: String?
    var bytes: [UInt8]

    static func file(_ name: String, _ bytes: [UInt8], filename: String = "audio.wav") -> FormField { FormField(name: name, filename: filename, bytes: bytes) }
    static func text(_ name: String, _ value: String) -> FormField { FormField(name: name, filename: nil, bytes: Array(value.utf8)) }
}

/// A collected reply of the audio mocks (shared by the whisper, pyannote and deepfilter tests).
struct AudioMockReply {
    var status: Int
    var contentType: String?
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] { try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:] }
}

/// POSTs a multipart form to `url` and collects the answer.
func postForm(_ url: String, _ fields: [FormField]) async throws -> AudioMockReply {
    let form = MultipartWriter(boundary: "synapseTestBoundary42")
    let body = form.body(
        fields.map { field in
            .init(name: field.name, filename: field.filename, contentType: field.filename == nil ? nil : "audio/wav", body: field.bytes)
        })
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: form.contentType)
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return AudioMockReply(
        status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: Array(collected.readableBytesView))
}
