import Foundation
import SynapseCore

/// Rebuilds the request bodies of transcripts, including the test files the captures generated
/// and described in words instead of storing (see the whisper-stt and chatterbox-tts READMEs).
///
/// | description                                                                 | rebuilt as |
/// |-----------------------------------------------------------------------------|------------|
/// | `WAV (RIFF PCM), 16000 Hz, mono, 16-bit, 1.0 s of a 440 Hz sine at 0.3 full scale` | 44-byte header + `Int(0.3 * 32767 * sin(2π·440·i/16000))` samples |
/// | `plain ASCII text 'This is plain text, not audio.\n'`                       | the literal's UTF-8 bytes |
public enum TranscriptInputs {
    /// The request body a transcript describes; problems are appended when it cannot be rebuilt.
    static func requestBody(_ description: Any?, problems: inout [String]) -> [UInt8]? {
        switch description {
        case nil, is NSNull:
            return nil
        case let text as String:
            return Array(text.utf8)
        case let object as [String: Any]:
            if let parts = object["parts"] as? [[String: Any]], let boundary = object["boundary"] as? String {
                return multipart(parts: parts, boundary: boundary, problems: &problems)
            }
            if let b64 = object["base64"] as? String, let data = Data(base64Encoded: b64) { return Array(data) }
            if let text = object["text"] as? String { return Array(text.utf8) }
            let encoding = object["encoding"] as? String
            if encoding != nil, encoding != "none" { problems.append("unknown request body encoding \(encoding!)") }
            return nil
        default:
            problems.append("unreadable request body description")
            return nil
        }
    }

    /// A multipart/form-data body with CRLF framing, as the captures sent it.
    static func multipart(parts: [[String: Any]], boundary: String, problems: inout [String]) -> [UInt8] {
        guard MultipartWriter.isValid(boundary: boundary) else {
            problems.append("unusable multipart boundary '\(boundary)'")
            return []
        }
        let form = MultipartWriter(boundary: boundary)
        var out: [UInt8] = []
        for part in parts {
            let name = (part["name"] as? String) ?? ""
            let filename = part["filename"] as? String
            let data: [UInt8]
            if let value = part["value"] as? String {
                data = Array(value.utf8)
            } else if let content = part["content"] as? String, let generated = regenerate(content) {
                data = generated
            } else {
                problems.append("part '\(name)': cannot regenerate content \(part["content"] ?? "nil")")
                data = []
            }
            if let size = part["size"] as? Int, size != data.count {
                problems.append("regenerated part '\(name)' is \(data.count) bytes, expected \(size)")
            }
            let type = (part["content_type"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            out += form.part(.init(name: name, filename: filename, contentType: type, body: data))
        }
        return out + form.end
    }

    /// The bytes of a generated test file, from its description; nil when the description is unknown.
    public static func regenerate(_ description: String) -> [UInt8]? {
        if let tone = match(#"WAV \(RIFF PCM\), (\d+) Hz, mono, 16-bit, ([\d.]+) s of a ([\d.]+) Hz sine at ([\d.]+) full scale"#, description),
            let rate = Int(tone[0]), let seconds = Double(tone[1]), let freq = Double(tone[2]), let amp = Double(tone[3])
        {
            return sineWAV(rate: rate, seconds: seconds, frequency: freq, amplitude: amp)
        }
        if let text = match(#"plain (?:ASCII|UTF-8) text ('.*'|".*")\s*$"#, description) {
            return Array(unquotePythonLiteral(text[0]).utf8)
        }
        return nil
    }

    /// A mono 16-bit PCM WAV of a sine; samples truncate toward zero like Python's `int()`.
    public static func sineWAV(rate: Int, seconds: Double, frequency: Double, amplitude: Double) -> [UInt8] {
        let frames = Int(seconds * Double(rate))
        var pcm: [UInt8] = []
        pcm.reserveCapacity(frames * 2)
        for i in 0..<frames {
            let sample = Int16(truncatingIfNeeded: Int(amplitude * 32767 * sin(2 * Double.pi * frequency * Double(i) / Double(rate))))
            pcm.append(UInt8(truncatingIfNeeded: sample))
            pcm.append(UInt8(truncatingIfNeeded: sample >> 8))
        }
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        var header: [UInt8] = Array("RIFF".utf8) + le32(36 + pcm.count) + Array("WAVEfmt ".utf8)
        header += le32(16) + le16(1) + le16(1) + le32(rate) + le32(rate * 2) + le16(2) + le16(16)
        header += Array("data".utf8) + le32(pcm.count)
        return header + pcm
    }

    private static func match(_ pattern: String, _ text: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        return (1..<m.numberOfRanges).compactMap { Range(m.range(at: $0), in: text).map { String(text[$0]) } }
    }

    /// Undoes a simple Python string literal: quotes and the common backslash escapes.
    private static func unquotePythonLiteral(_ literal: String) -> String {
        var out = ""
        var chars = literal.dropFirst().dropLast().makeIterator()
        while let c = chars.next() {
            guard c == "\\", let e = chars.next() else {
                out.append(c)
                continue
            }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            default: out.append(e)
            }
        }
        return out
    }
}
