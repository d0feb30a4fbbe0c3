import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// The recording switch at run time, with the admin API's authorization:
///
/// | call | effect |
/// |---|---|
/// | `GET /admin/recording` | status: `recording`, `dir`, `sample`, `routes`, `entries`, `bytes`, `dropped`, `file` |
/// | `POST /admin/recording` `{"dir": "…", "sample": 0.1, "routes": ["/v1/"], "redactHeaders": ["X-Foo"]}` | starts, or changes the settings of the recording under way; `dir` is required when starting |
/// | `DELETE /admin/recording` | stops; answers once the HAR file is closed |
///
/// Bad input answers 422 (400 for a body that is not a JSON object) as `{"detail": "…"}`.
extension AdminAPI {
    func registerRecording(_ recorder: Recorder, in table: inout RouteTable) {
        table.add(.get, "/admin/recording") { request, context in
            try authorize(request, context)
            return GatewayService.json(recorder.status.json)
        }
        table.add(.post, "/admin/recording") { request, context in
            try authorize(request, context)
            let body = try await request.body.collect(upTo: 64 << 10)
            let settings = try Self.recordingSettings(from: Array(body.readableBytesView), current: recorder.status.settings)
            let status: Recorder.Status
            do {
                status = try recorder.start(settings)
            } catch {
                throw Self.detail(.unprocessableContent, "\(error)")
            }
            return GatewayService.json(status.json)
        }
        table.add(.delete, "/admin/recording") { request, context in
            try authorize(request, context)
            return GatewayService.json(await recorder.stop().json)
        }
    }

    /// The settings a `POST` asks for: the current ones (if recording) with the given members replaced.
    static func recordingSettings(from body: [UInt8], current: RecordingSettings?) throws -> RecordingSettings {
        guard let json = try? JSONValue.parse(body), let members = json.objectValue else {
            throw detail(.badRequest, "The body must be a JSON object such as {\"dir\": \"recordings\", \"sample\": 1}")
        }
        let known: Set<String> = ["dir", "sample", "routes", "redactHeaders"]
        if let unknown = members.first(where: { !known.contains($0.0) }) {
            throw detail(.unprocessableContent, "Unknown member '\(unknown.0)' (known: dir, sample, routes, redactHeaders)")
        }
        var settings = current ?? RecordingSettings(directory: "")
        if let dir = json["dir"] {
            guard let path = dir.stringValue, !path.isEmpty else { throw detail(.unprocessableContent, "dir must be a non-empty string") }
            settings.directory = path
        } else if current == nil {
            throw detail(.unprocessableContent, "dir is required to start recording")
        }
        if let sample = json["sample"] {
            guard let rate = sample.doubleValue else { throw detail(.unprocessableContent, "sample must be a number between 0 and 1") }
            settings.sampleRate = rate
        }
        if let routes = json["routes"] {
            guard let list = routes.arrayValue?.compactMap(\.stringValue), list.count == routes.arrayValue?.count else {
                throw detail(.unprocessableContent, "routes must be an array of path prefixes or routes")
            }
            settings.routes = list
        }
        if let headers = json["redactHeaders"] {
            guard let list = headers.arrayValue?.compactMap(\.stringValue), list.count == headers.arrayValue?.count else {
                throw detail(.unprocessableContent, "redactHeaders must be an array of header names")
            }
            settings.redactHeaders = list
        }
        return settings
    }

    static func detail(_ status: HTTPResponse.Status, _ message: String) -> GatewayError {
        var error = GatewayError(status: status, code: "invalid_recording", type: "invalid_request_error", message: message)
        error.bodyStyle = .detail
        return error
    }
}

extension Recorder.Status {
    /// `{"recording":true,"dir":"…","sample":1,"routes":[],"entries":3,"bytes":4096,"dropped":0,"file":"…"}`
    var json: JSONValue {
        var members: [(String, JSONValue)] = [("recording", .bool(isRecording))]
        if let settings {
            members += [
                ("dir", .string(settings.directory)), ("sample", .number(settings.sampleRate)),
                ("routes", .array(settings.routes.map(JSONValue.string))),
                ("redactHeaders", .array(settings.redactHeaders.map(JSONValue.string))),
            ]
        }
        members += [("entries", .int(entriesWritten)), ("bytes", .int(bytesWritten)), ("dropped", .int(dropped))]
        members.append(("file", currentFile.map(JSONValue.string) ?? .null))
        return .object(members)
    }
}
