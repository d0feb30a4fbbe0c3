import Foundation
import SynapseHAR

/// Writes a small HAR recording (and its body files) into a fresh temporary folder, the way
/// Synapse's recorder lays one out: `recording.har` beside `bodies/`.
struct RecordingBuilder {
    /// Where a response body is stored.
    enum Body {
        case text(String)
        /// Inline, base64-encoded (as browsers export binary bodies).
        case base64([UInt8])
        /// In `bodies/<name>`, referenced by `_file`.
        case file([UInt8])
        case none
    }

    let folder: URL
    private(set) var entries: [HAREntry] = []

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("playback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bodies"), withIntermediateDirectories: true)
    }

    /// Appends one exchange; entries start 1 s apart, in the order added.
    mutating func add(
        _ method: String, _ url: String, requestBody: String? = nil, requestFile: [UInt8]? = nil, status: Int = 200, headers: [(String, String)] = [],
        mimeType: String = "application/json", body: Body, wait: Double = 0, receive: Double = 0, events: [HARStreamEvent]? = nil,
        synapse: HARSynapseInfo? = nil
    ) throws {
        var content = HARContent(size: 0, mimeType: mimeType, events: events)
        switch body {
        case .text(let text):
            content.text = text
            content.size = text.utf8.count
        case .base64(let bytes):
            content.text = Data(bytes).base64EncodedString()
            content.encoding = "base64"
            content.size = bytes.count
        case .file(let bytes):
            let name = "bodies/body-\(entries.count)"
            try Data(bytes).write(to: folder.appendingPathComponent(name))
            content.file = name
            content.size = bytes.count
        case .none:
            break
        }
        var postData = requestBody.map { HARPostData(mimeType: "application/json", text: $0) }
        if let requestFile {
            let name = "bodies/request-\(entries.count)"
            try Data(requestFile).write(to: folder.appendingPathComponent(name))
            postData = HARPostData(mimeType: "application/octet-stream", file: name, size: requestFile.count)
        }
        let request = HARRequest(
            method: method, url: url, headers: requestBody == nil ? [] : [HARNameValue(name: "Content-Type", value: "application/json")],
            postData: postData, bodySize: requestBody?.utf8.count ?? requestFile?.count ?? 0)
        let response = HARResponse(
            status: status, statusText: "", headers: headers.map { HARNameValue(name: $0.0, value: $0.1) }, content: content, bodySize: content.size)
        let started = Date(timeIntervalSince1970: 1_790_000_000 + Double(entries.count))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        entries.append(
            HAREntry(
                startedDateTime: formatter.string(from: started), time: wait, request: request, response: response,
                timings: HARTimings(send: 0, wait: wait, receive: receive), synapse: synapse))
    }

    /// Writes `recording.har` and returns its path.
    func write() throws -> String {
        let document = HARDocument(log: HARLog(creator: HARCreator(name: "playback-tests", version: "1"), entries: entries))
        let url = folder.appendingPathComponent("recording.har")
        try JSONEncoder().encode(document).write(to: url)
        return url.path
    }

    /// The recording as an archive.
    func archive() throws -> HARArchive {
        try HARArchive.load(try write())
    }
}
