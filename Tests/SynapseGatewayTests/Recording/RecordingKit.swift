import Foundation
import SynapseCore
import SynapseGateway
import SynapseHAR
import Testing

/// A scratch recording folder and readers for what the recorder wrote there.
struct RecordingFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-record-\(UUID().uuidString)", isDirectory: true)
    }

    var path: String { url.path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// The HAR files, oldest first.
    var harFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "har" }.sorted { $0.lastPathComponent.localizedStandardCompare($1.lastPathComponent) == .orderedAscending }
    }

    /// Every file under the folder, bodies included.
    var allFiles: [URL] {
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        return (enumerator?.allObjects as? [URL] ?? []).filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    var bodyFiles: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: url.appendingPathComponent("bodies"), includingPropertiesForKeys: nil)) ?? [])
    }

    /// Decodes one HAR file, checking that it is plain valid JSON too.
    static func document(_ file: URL) throws -> HARDocument {
        let data = try Data(contentsOf: file)
        _ = try JSONSerialization.jsonObject(with: data)
        return try JSONDecoder().decode(HARDocument.self, from: data)
    }

    /// Every entry of every HAR file, in order.
    func entries() throws -> [HAREntry] {
        try harFiles.flatMap { try Self.document($0).log.entries }
    }

    func body(_ reference: String?) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(try #require(reference)))
    }
}

extension Harness {
    /// The gateway recording into a fresh folder with `settings` (its directory replaced).
    static func withRecordingGateway<T: Sendable>(
        _ config: SynapseConfig, recording: RecordingSettings? = RecordingSettings(directory: ""),
        _ body: @Sendable (GatewayService, String, RecordingFolder) async throws -> T
    ) async throws -> T {
        let folder = RecordingFolder()
        defer { folder.remove() }
        var config = config
        if var recording {
            recording.directory = folder.path
            config.gateway.recording = recording
        }
        return try await withGatewayService(config) { gateway, url in try await body(gateway, url, folder) }
    }
}
