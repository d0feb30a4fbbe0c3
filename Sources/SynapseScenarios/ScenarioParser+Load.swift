import SynapseCore
import SynapseLoadReport

/// `load:` steps.
extension ScenarioParser {
    static let loadKeys: Set<String> = [
        "recording", "routes", "rate", "concurrency", "speed", "duration", "loop", "headers", "timeout", "thresholds", "during",
    ]

    mutating func load(_ node: SourceNode, at path: String, mocks: Set<String>?) -> LoadStepSpec? {
        let entries = reader.mapping(node, at: path, known: Self.loadKeys)
        guard case .mapping = node else { return nil }
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        guard let recording = reader.string(value("recording"), at: "\(path).recording") else {
            reader.error("\(path).recording", "missing: the HAR file or folder to replay", node)
            return nil
        }
        let pacings = ["rate", "concurrency", "speed"].filter { value($0) != nil }
        guard pacings.count <= 1 else {
            reader.error(path, "give one pacing: \(pacings.joined(separator: " or "))", node)
            return nil
        }
        var pacing = LoadStepSpec.Pacing.recorded(speed: 1)
        if let rate = reader.double(value("rate"), at: "\(path).rate") {
            if rate <= 0 || rate > 100_000 { reader.error("\(path).rate", "must be between 0 and 100000 requests a second", value("rate")) }
            pacing = .rate(rate)
        } else if let concurrency = reader.int(value("concurrency"), at: "\(path).concurrency", range: 1...10_000) {
            pacing = .concurrency(concurrency)
        } else if let speed = reader.double(value("speed"), at: "\(path).speed") {
            if speed <= 0 { reader.error("\(path).speed", "must be above 0 (2: twice as fast as recorded)", value("speed")) }
            pacing = .recorded(speed: speed)
        }
        var spec = LoadStepSpec(recording: recording, pacing: pacing)
        spec.routes = reader.strings(value("routes"), at: "\(path).routes")
        for route in spec.routes where !route.hasPrefix("/") { reader.error("\(path).routes", "'\(route)' must start with / (a path prefix)", value("routes")) }
        spec.duration = reader.duration(value("duration"), at: "\(path).duration")
        spec.loop = reader.bool(value("loop"), at: "\(path).loop") ?? false
        if spec.loop && spec.duration == nil { reader.error("\(path).loop", "a looped recording needs a `duration` to end", value("loop")) }
        for header in reader.mapping(value("headers"), at: "\(path).headers") {
            if !HTTPFieldName.isValid(header.key) { reader.error("\(path).headers.\(header.key)", "not a header name", header.value) }
            if let text = reader.string(header.value, at: "\(path).headers.\(header.key)") { spec.headers.append((header.key, text)) }
        }
        if let timeout = reader.duration(value("timeout"), at: "\(path).timeout") { spec.timeout = timeout }
        for (index, item) in reader.list(value("thresholds"), at: "\(path).thresholds").enumerated() {
            let itemPath = "\(path).thresholds[\(index)]"
            guard let text = reader.string(item, at: itemPath) else { continue }
            do {
                spec.thresholds.append(try Threshold.parse(text))
                spec.thresholdLines.append(item.line)
            } catch {
                reader.error(itemPath, error.description, item)
            }
        }
        spec.during = during(value("during"), at: "\(path).during", mocks: mocks)
        return spec
    }
}
