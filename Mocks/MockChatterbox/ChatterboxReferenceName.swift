import SynapseCore

/// Chatterbox's upload file-name sanitising (`utils.sanitize_filename`), as the protocol sheet
/// and transcripts describe it: `short clip.wav` → `short_clip.wav`, `../evil name!.wav` → `evil_name_.wav`.
enum ChatterboxReferenceName {
    /// Longest name kept; longer names are cut with their extension kept.
    static let maximumLength = 100

    /// The sanitised name of an uploaded file.
    static func sanitize(_ original: String) -> String {
        // The real code uses a random uuid4 suffix; a hash of the input keeps the mock deterministic.
        let suffix = String(SHA256.hex(Array(original.utf8)).prefix(8))
        guard !original.isEmpty else { return "unnamed_file_\(suffix)" }
        let basename = original.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let trimmed = basename.trimmingWhitespace()
        guard !trimmed.isEmpty else { return "empty_basename_\(suffix)" }

        var out = ""
        var inRun = false
        for scalar in trimmed.unicodeScalars {
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
            if scalar == " " {
                out += "_"
                inRun = false
            } else if allowed {
                out.unicodeScalars.append(scalar)
                inRun = false
            } else if !inRun {
                out += "_"
                inRun = true
            }
        }
        while out.hasPrefix("_") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        guard !out.isEmpty else { return "sanitized_file_\(suffix)" }

        if out.count > maximumLength {
            if let dot = out.lastIndex(of: "."), dot != out.startIndex {
                let ext = String(out[dot...])
                out = String(out[..<dot].prefix(maximumLength - ext.count)) + ext
            } else {
                out = String(out.prefix(maximumLength))
            }
        }
        return out
    }

    /// Whether the sanitised name has an accepted extension (`.wav`, `.mp3`, any case).
    static func hasAcceptedExtension(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".wav") || lower.hasSuffix(".mp3")
    }
}
