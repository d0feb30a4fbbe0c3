import SynapseCore

/// The audio the gateway sends Chatterbox to clone a voice: one of the voice's references, cut
/// to Chatterbox's maximum length.
struct ReferenceClip: Sendable {
    /// The stored file's name (`ref_002.wav`).
    var name: String
    /// WAV bytes to upload (the whole file, or its first `maximumSeconds`).
    var bytes: [UInt8]
    /// Seconds of audio in the stored file.
    var storedDuration: Double

    /// Chatterbox's `max_reference_duration_sec`: longer uploads are refused. Default 30.
    static let maximumSeconds = 30.0
    /// Bytes read from each reference to find its header; grown to the WAV header cap when needed.
    private static let headerProbe = 64 * 1024

    /// Picks the voice's longest reference (more speech conditions the clone better; the first
    /// of equals) and loads it, as a `maximumSeconds` excerpt when it is longer. Nil when no
    /// reference has a readable WAV header. Blocking; run on the thread pool.
    static func choose(from paths: [String]) throws -> ReferenceClip? {
        var best: (path: String, header: WAVHeader, size: Int, duration: Double)?
        for path in paths {
            guard let size = try? DurableStorage.size(of: path), let header = try? header(of: path) else { continue }
            let duration = header.duration(inFileOfSize: size)
            if best == nil || duration > best!.duration { best = (path, header, size, duration) }
        }
        guard let best else { return nil }
        let name = String(best.path.split(separator: "/").last ?? "")
        if best.duration <= maximumSeconds {
            return ReferenceClip(name: name, bytes: try DurableStorage.readPrefix(of: best.path, count: best.size), storedDuration: best.duration)
        }
        // Read only the header and the first 30 s of samples, then let Core cut and re-size it.
        let format = best.header.format
        let frames = Int((maximumSeconds * Double(format.sampleRate)).rounded(.down))
        let prefix = try DurableStorage.readPrefix(of: best.path, count: best.header.dataOffset + frames * format.blockAlign)
        let excerpt = try WAVFile.excerpt(of: prefix, firstSeconds: maximumSeconds)
        return ReferenceClip(name: name, bytes: excerpt, storedDuration: best.duration)
    }

    private static func header(of path: String) throws -> WAVHeader {
        var count = headerProbe
        while true {
            let bytes = try DurableStorage.readPrefix(of: path, count: count)
            if case .header(let header) = try WAVHeader.parse(prefix: bytes) { return header }
            guard bytes.count == count, count < WAVHeader.defaultMaximumHeaderSize else { throw WAVError.truncated }
            count = WAVHeader.defaultMaximumHeaderSize
        }
    }
}
