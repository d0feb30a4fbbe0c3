/// `gateway.recording`: HAR recording from the start (the `--record` flags override it).
///
/// ```yaml
/// gateway:
///   recording: { directory: /data/recordings, sampleRate: 0.1, routes: [/v1/, /tts/], redactHeaders: [X-Vendor-Key] }
/// ```
extension ConfigLoader {
    static let recordingKeys: Set<String> = [
        "directory", "sampleRate", "routes", "redactHeaders", "maxEntriesPerFile", "maxFileSize", "bufferSize", "maxPendingExchanges",
        "maxInlineSize",
    ]

    func decodeRecording(_ node: ConfigNode?, into gateway: inout GatewaySettings, reader: inout ConfigReader) {
        let path = "gateway.recording"
        let entries = reader.mapping(node, at: path, known: Self.recordingKeys)
        guard !entries.isEmpty else { return }
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        guard let directory = reader.string(value("directory"), at: "\(path).directory"), !directory.isEmpty else {
            reader.error("\(path).directory", "missing: the folder to record into", node)
            return
        }
        var settings = RecordingSettings(directory: directory)
        if let text = reader.string(value("sampleRate"), at: "\(path).sampleRate") {
            if let rate = Double(text), (0...1).contains(rate) {
                settings.sampleRate = rate
            } else {
                reader.error("\(path).sampleRate", "must be a number between 0 and 1, got '\(text)'", value("sampleRate"))
            }
        }
        if let items = reader.list(value("routes"), at: "\(path).routes") {
            settings.routes = []
            for item in items {
                guard let route = reader.string(item, at: "\(path).routes") else { continue }
                if route.hasPrefix("/") {
                    settings.routes.append(route)
                } else {
                    reader.error("\(path).routes", "'\(route)' must start with / (a path prefix or a route)", item)
                }
            }
        }
        if let items = reader.list(value("redactHeaders"), at: "\(path).redactHeaders") {
            for item in items {
                if let header = reader.string(item, at: "\(path).redactHeaders") { settings.redactHeaders.append(header) }
            }
        }
        if let count = reader.int(value("maxEntriesPerFile"), at: "\(path).maxEntriesPerFile", range: 1...1_000_000) {
            settings.maxEntriesPerFile = count
        }
        if let size = reader.size(value("maxFileSize"), at: "\(path).maxFileSize") { settings.maxFileSize = size }
        if let size = reader.size(value("bufferSize"), at: "\(path).bufferSize") { settings.bufferSize = size }
        if let count = reader.int(value("maxPendingExchanges"), at: "\(path).maxPendingExchanges", range: 1...1_000_000) {
            settings.maxPendingExchanges = count
        }
        if let size = reader.size(value("maxInlineSize"), at: "\(path).maxInlineSize") { settings.maxInlineSize = size }
        let reported = Set(reader.issues.map(\.keyPath))
        for problem in settings.problems where !reported.contains(where: { $0.hasPrefix(path) }) {
            reader.error(path, problem, node)
        }
        gateway.recording = settings
    }
}
