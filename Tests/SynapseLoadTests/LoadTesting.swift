import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import SynapseLoad
import SynapseLoadReport

/// Runs a plan to its end and returns its result with every sample, in the order they ended.
func runCollecting(_ plan: LoadPlan) async throws -> (result: LoadRun.Result, samples: [RequestSample]) {
    let samples = NIOLockedValueBox<[RequestSample]>([])
    var plan = plan
    plan.onSample = { sample in samples.withLockedValue { $0.append(sample) } }
    let run = try await LoadRun.start(plan)
    let result = await run.finished()
    return (result, samples.withLockedValue { $0 })
}

/// A plan of `count` copies of one request to `target`, ready for a pacing.
func plan(_ target: TestTarget, method: HTTPMethod = .GET, path: String = "/ok", count: Int = 1, pacing: Pacing, body: ReplayRequest.Body = .none)
    throws -> LoadPlan
{
    let url = try TargetURL.parse(target.url)
    let request = ReplayRequest(method: method, path: path, target: url, body: body)
    return LoadPlan(requests: Array(repeating: request, count: count), target: url, pacing: pacing)
}

/// A folder in the temporary directory, removed when `body` returns.
func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try await body(folder)
}

/// One entry of a HAR file written by `writeHAR`.
struct TestEntry {
    var offsetMs: Int = 0
    var method = "GET"
    var url = "http://recorded.example:8000/v1/models"
    var headers: [(String, String)] = []
    /// `text` inline, or `file` (relative to the HAR) with its size.
    var text: String?
    var file: (name: String, size: Int)?
    var backend: String?
    var upstreamPath: String?
}

/// Writes a minimal HAR 1.2 file (what the reader needs) and returns its path.
func writeHAR(_ entries: [TestEntry], in folder: URL, name: String = "recording.har") throws -> String {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let items: [[String: Any]] = entries.map { entry in
        var request: [String: Any] = [
            "method": entry.method, "url": entry.url, "httpVersion": "HTTP/1.1",
            "headers": entry.headers.map { ["name": $0.0, "value": $0.1] }, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": -1,
        ]
        if let text = entry.text { request["postData"] = ["mimeType": "application/json", "text": text] }
        if let file = entry.file { request["postData"] = ["mimeType": "application/octet-stream", "text": "", "_file": file.name, "_size": file.size] }
        var item: [String: Any] = [
            "startedDateTime": formatter.string(from: start.addingTimeInterval(Double(entry.offsetMs) / 1000)), "time": 1,
            "request": request,
            "response": [
                "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [], "content": ["size": 0, "mimeType": "text/plain"],
                "redirectURL": "", "headersSize": -1, "bodySize": -1,
            ],
            "cache": [:], "timings": ["send": 0, "wait": 1, "receive": 0],
        ]
        if entry.backend != nil || entry.upstreamPath != nil {
            item["_synapse"] = ["backend": entry.backend as Any, "upstreamPath": entry.upstreamPath as Any].compactMapValues { $0 }
        }
        return item
    }
    let document: [String: Any] = ["log": ["version": "1.2", "creator": ["name": "test", "version": "1"], "entries": items]]
    let path = folder.appendingPathComponent(name).path
    try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
    return path
}
