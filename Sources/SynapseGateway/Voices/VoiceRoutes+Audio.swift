import Foundation
import HTTPTypes
import Hummingbird

/// `GET /voices/{voice_id}/audio`: the voice's first reference WAV, streamed from disk, so the
/// dashboard (or anyone choosing a voice) can listen to it. The original has no such route; it
/// is the gateway's own, like `/events`.
extension VoiceRoutes {
    func registerAudio(in table: inout RouteTable) {
        let library = library
        table.add(.get, "/voices/{voice_id}/audio") { _, context in
            let id = try Self.voiceID(context)
            // The first reference by name (`ref_001.wav`), the one the voice was created with.
            guard let path = try await library.run({ library.referencePaths(id).first }),
                let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            else { throw GatewayError.voiceNotFound(id.rawValue) }
            let body = try await FileIO().loadFile(path: path, context: context)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "audio/wav", .contentLength: String(size), .cacheControl: "no-store",
                    .contentDisposition: "inline; filename=\"\(id.rawValue).wav\"",
                ],
                body: body)
        }
    }
}
