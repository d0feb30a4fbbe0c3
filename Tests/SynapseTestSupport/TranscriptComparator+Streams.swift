import Foundation
import SynapseCore

/// Server-sent events and audio bodies.
///
/// SSE: each event's bytes must match the original's once the JSON inside `data:` lines is
/// replaced by its separator style (`data: <json ',' ':'>\n\n`): line endings, field names,
/// spacing, event names, terminators such as `data: [DONE]`. Runs of same-shaped events may
/// differ in length (a model writes as many tokens as it likes); the JSON of each live event is
/// compared by shape with its counterpart (first with first, last with last).
extension TranscriptComparator {
    /// One event: its lines with their line endings, and the ending of the blank line (nil: unterminated).
    struct SSEEvent {
        var lines: [(text: String, eol: String)]
        var end: String?
        var isComment: Bool { lines.allSatisfy { $0.text.hasPrefix(":") } }
    }

    static func sseEvents(_ text: String) -> [SSEEvent] {
        var events: [SSEEvent] = []
        var lines: [(String, String)] = []
        var scalars = Substring(text)
        while !scalars.isEmpty {
            let lineEnd = scalars.firstIndex { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            let line = String(scalars[..<(lineEnd ?? scalars.endIndex)])
            var eol = ""
            if let lineEnd {
                eol = String(scalars[lineEnd])  // "\r\n" is one Character in Swift
                scalars = scalars[scalars.index(after: lineEnd)...]
            } else {
                scalars = scalars[scalars.endIndex...]
            }
            if line.isEmpty && !eol.isEmpty {
                events.append(SSEEvent(lines: lines.map { (text: $0.0, eol: $0.1) }, end: eol))
                lines = []
            } else if !line.isEmpty {
                lines.append((line, eol))
            }
        }
        if !lines.isEmpty { events.append(SSEEvent(lines: lines.map { (text: $0.0, eol: $0.1) }, end: nil)) }
        return events
    }

    /// The JSON payload of a `data:` line, if it holds an object or array.
    static func dataJSON(_ line: String) -> JSONValue? {
        guard line.hasPrefix("data:") else { return nil }
        var payload = line.dropFirst(5)
        if payload.hasPrefix(" ") { payload = payload.dropFirst() }
        guard payload.hasPrefix("{") || payload.hasPrefix("[") else { return nil }
        return try? JSONValue.parse(String(payload))
    }

    /// The separators a JSON text uses outside strings, e.g. `',' ':'` or `', ' ': '`.
    static func jsonStyle(_ text: String) -> String {
        var seps = Set<String>()
        var inString = false
        var escaped = false
        let chars = Array(text)
        for (i, ch) in chars.enumerated() {
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            } else if ch == "," || ch == ":" {
                var j = i + 1
                while j < chars.count, " \t\r\n".contains(chars[j]) { j += 1 }
                seps.insert("'" + String(chars[i..<j]) + "'")
            }
        }
        return seps.isEmpty ? "no separators" : seps.sorted().joined(separator: " ")
    }

    /// What must match byte for byte: the event with JSON replaced by its style and ids masked.
    static func skeleton(_ event: SSEEvent) -> String {
        var out = ""
        for (line, eol) in event.lines {
            let value = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
            if !line.hasPrefix(":"), line.hasPrefix("data:"), dataJSON(line) != nil {
                out += "data:" + (value.hasPrefix(" ") ? " " : "") + "<json \(jsonStyle(String(value)))>"
            } else if line.hasPrefix("id:") {
                out += "id:" + (value.hasPrefix(" ") ? " " : "") + "<id>"
            } else {
                out += maskVolatile(line)
            }
            out += eol
        }
        return out + (event.end ?? "<unterminated>")
    }

    static func lineEndings(_ text: String) -> String {
        var kinds = Set<String>()
        for ch in text {
            if ch == "\r\n" { kinds.insert("CRLF") } else if ch == "\n" { kinds.insert("LF") } else if ch == "\r" { kinds.insert("CR") }
        }
        return kinds.sorted().joined(separator: "+")
    }

    func sseDifferences(recorded: [UInt8], live: [UInt8]) -> [String] {
        let oText = String(decoding: recorded, as: UTF8.self)
        let lText = String(decoding: live, as: UTF8.self)
        let oEols = Self.lineEndings(oText)
        let lEols = Self.lineEndings(lText)
        if !lText.isEmpty, !oEols.isEmpty, oEols != lEols {
            return ["stream line endings: expected \(oEols), got \(lEols)"]
        }
        var oEvents = Self.sseEvents(oText)
        var lEvents = Self.sseEvents(lText)
        // Keep-alive comments matter only where the original has them.
        if !oEvents.contains(where: \.isComment) {
            oEvents.removeAll(where: \.isComment)
            lEvents.removeAll(where: \.isComment)
        }
        let oRuns = Self.runs(oEvents)
        let lRuns = Self.runs(lEvents)
        var out: [String] = []
        var position = 0
        for k in 0..<max(oRuns.count, lRuns.count) {
            guard k < oRuns.count else { return out + ["event #\(position + 1): unexpected extra event \(Self.short(lRuns[k].skeleton))"] }
            guard k < lRuns.count else { return out + ["event #\(position + 1): missing, expected \(Self.short(oRuns[k].skeleton))"] }
            let (o, l) = (oRuns[k], lRuns[k])
            guard o.skeleton == l.skeleton else {
                return out + ["event #\(position + 1): expected \(Self.short(o.skeleton, limit: 120)), got \(Self.short(l.skeleton, limit: 120))"]
            }
            for (i, event) in l.events.enumerated() {
                let counterpart = o.events[Self.counterpart(i, live: l.events.count, original: o.events.count)]
                for (oLine, lLine) in zip(counterpart.lines, event.lines) {
                    guard let oj = Self.dataJSON(oLine.text), let lj = Self.dataJSON(lLine.text) else { continue }
                    var inner: [String] = []
                    compareJSON(oj, lj, path: "$", free: false, into: &inner)
                    out += inner.map { "event #\(position + i + 1) data \($0)" }
                }
            }
            position += l.events.count
        }
        return out
    }

    /// Consecutive events sharing a skeleton.
    static func runs(_ events: [SSEEvent]) -> [(skeleton: String, events: [SSEEvent])] {
        var grouped: [(skeleton: String, events: [SSEEvent])] = []
        for event in events {
            let s = skeleton(event)
            if let last = grouped.last, last.skeleton == s {
                grouped[grouped.count - 1].events.append(event)
            } else {
                grouped.append((s, [event]))
            }
        }
        return grouped
    }

    /// The original event a live event of a run is compared with: first with first, last with last.
    static func counterpart(_ i: Int, live: Int, original: Int) -> Int {
        if live == original || i == 0 { return min(i, original - 1) }
        if i == live - 1 { return original - 1 }
        return original > 2 ? max(1, min(i, original - 2)) : min(i, original - 1)
    }

    // MARK: Audio

    /// Container and format of a WAV or Ogg body; nil when it is neither.
    static func audioInfo(_ data: [UInt8]) -> [String: String]? {
        func le(_ at: Int, _ n: Int) -> Int {
            guard at + n <= data.count else { return -1 }
            return (0..<n).reduce(0) { $0 | Int(data[at + $1]) << (8 * $1) }
        }
        if data.count >= 12, Array(data[0..<4]) == Array("RIFF".utf8), Array(data[8..<12]) == Array("WAVE".utf8) {
            return ["container": "WAV", "channels": "\(le(22, 2))", "sample_rate": "\(le(24, 4))", "bits": "\(le(34, 2))"]
        }
        if data.count >= 4, Array(data[0..<4]) == Array("OggS".utf8) {
            var info = ["container": "OGG"]
            if let head = (0..<max(0, data.count - 8)).first(where: { Array(data[$0..<$0 + 8]) == Array("OpusHead".utf8) }) {
                info["codec"] = "opus"
                info["channels"] = "\(le(head + 9, 1))"
                info["sample_rate"] = "\(le(head + 12, 4))"
            }
            return info
        }
        return nil
    }

    func audioDifferences(recorded: [UInt8], live: [UInt8]) -> [String] {
        guard let o = Self.audioInfo(recorded) else {
            return recorded == live ? [] : ["body: expected \(recorded.count) bytes, got \(live.count) different bytes"]
        }
        guard let l = Self.audioInfo(live) else { return ["audio: expected \(o["container"]!), got unrecognised bytes"] }
        var out: [String] = []
        for key in o.keys.sorted() where o[key] != l[key] {
            out.append("audio \(key): expected \(o[key]!), got \(l[key] ?? "none")")
        }
        if live.count <= 44 { out.append("audio: no samples") }
        return out
    }
}
