import Foundation
import Hummingbird
import MockFastAPI
import SynapseCore
import SynapseMockKit

/// `POST /upload_reference`: multipart field `files`, per-file checks, never overwriting.
extension ChatterboxMock {
    func uploadReference(_ request: Request, context: MockRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let parts: [MultipartForm.Part]
        if let type = request.headers[.contentType], let boundary = MultipartForm.boundary(fromContentType: type) {
            parts = (try? MultipartForm.parse(body: Array(body.readableBytesView), boundary: boundary)) ?? []
        } else {
            parts = []
        }
        let files = parts.filter { $0.name == "files" }
        guard !files.isEmpty else {
            return Self.unprocessable([FastAPIValidationIssue(type: "missing", loc: [.string("body"), .string("files")], msg: "Field required", input: .null)])
        }

        var uploaded: [String] = []
        var errors: [JSONValue] = []
        func failed(_ name: String, _ message: String) {
            errors.append(.object([("filename", .string(name)), ("error", .string(message))]))
        }
        for file in files {
            guard let original = file.filename, !original.isEmpty else {
                failed("Unknown", "File received with no filename.")
                continue
            }
            let name = ChatterboxReferenceName.sanitize(original)
            guard ChatterboxReferenceName.hasAcceptedExtension(name) else {
                failed(name, "Invalid file type. Only .wav and .mp3 are allowed.")
                continue
            }
            if references.clip(named: name) != nil {
                // The real server skips an existing name but still reports it as uploaded.
                uploaded.append(name)
                continue
            }
            let clip = ChatterboxReferenceStore.clip(file.body)
            if let problem = referenceProblem(name: name, clip: clip) {
                failed(name, problem)
                continue
            }
            _ = references.insertIfAbsent(name, clip: clip)
            uploaded.append(name)
        }
        let status: HTTPResponse.Status = errors.isEmpty || !uploaded.isEmpty ? .ok : .badRequest
        return Self.json(
            .object([
                ("message", .string("Processed \(files.count) file(s).")),
                ("uploaded_files", .array(uploaded.map(JSONValue.string))),
                ("all_reference_files", .array(references.names.map(JSONValue.string))),
                ("errors", .array(errors)),
            ]), status: status)
    }

    /// The duration check of `utils.validate_reference_audio`; nil when the clip is acceptable.
    /// A clip whose duration cannot be read passes, as with soundfile.
    func referenceProblem(name: String, clip: ChatterboxReferenceStore.Clip) -> String? {
        guard let duration = clip.duration else { return nil }
        if duration <= 0 { return "Reference audio file '\(name)' has zero or negative duration." }
        if duration > Double(configuration.maximumReferenceDuration) {
            let shown = String(format: "%.2f", duration)
            return "Reference audio duration (\(shown)s) exceeds maximum allowed (\(configuration.maximumReferenceDuration)s)."
        }
        return nil
    }
}
