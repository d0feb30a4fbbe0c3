import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

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
    let boundary = "synapseTestBoundary42"
    var body: [UInt8] = []
    for field in fields {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field.name)\""
        if let filename = field.filename { head += "; filename=\"\(filename)\"\r\nContent-Type: audio/wav" }
        head += "\r\n\r\n"
        body += Array(head.utf8) + field.bytes + Array("\r\n".utf8)
    }
    body += Array("--\(boundary)--\r\n".utf8)
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
    request.body = .bytes(ByteBuffer(bytes: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return AudioMockReply(status: Int(response.status.code), contentType: response.headers.first(name: "content-type"), body: Array(collected.readableBytesView))
}
