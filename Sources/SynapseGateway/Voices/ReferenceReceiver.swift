import SynapseCore

/// Receives one reference file part: checks the WAV header as soon as its bytes arrive, enforces
/// the size cap, and writes to its staged file in 256 KiB batches (one thread-pool hop each).
struct ReferenceReceiver: Sendable {
    /// Bytes gathered before a write to disk.
    static let writeBatch = 256 * 1024

    let file: StagedFile
    /// The client's file name, for messages only (stored names are `ref_NNN.wav`).
    let filename: String
    let limits: VoiceUpload.Limits
    private var size = 0
    /// Reads the header as its bytes arrive, each byte once (re-parsing a growing prefix was quadratic).
    private var scanner = WAVHeaderScanner()
    private var header: WAVHeader?
    private var pending: [UInt8] = []

    init(file: StagedFile, filename: String, limits: VoiceUpload.Limits) {
        self.file = file
        self.filename = filename
        self.limits = limits
    }

    mutating func receive(_ bytes: [UInt8], library: VoiceLibrary) async throws {
        size += bytes.count
        guard size <= limits.maximumFileSize else { throw GatewayError.referenceTooLarge(filename, limit: limits.maximumFileSize) }
        if header == nil {
            // Decided by the RIFF/WAVE structure, not the file name: fails at byte 4 for an MP3.
            do {
                if case .header(let parsed) = try scanner.feed(bytes) { header = parsed }
            } catch {
                throw GatewayError.invalidVoiceInput("File '\(filename)' is not a WAV file: \(error)")
            }
        }
        pending += bytes
        if pending.count >= Self.writeBatch { try await flush(library: library) }
    }

    /// Writes what is left, syncs and closes the file, and checks the finished reference.
    func finish(library: VoiceLibrary) async throws -> VoiceUpload.Reference {
        var receiver = self
        defer { file.closeFile() }
        try await receiver.flush(library: library)
        let file = file
        do { try await library.run { try file.sync() } } catch { throw GatewayError.voiceStorageFailed() }
        guard let header else {
            // Why the header never completed (truncated, no data chunk…), as the complete-file parser says.
            throw GatewayError.invalidVoiceInput("File '\(filename)' is not a WAV file: \(scanner.incompleteReason)")
        }
        // The duration counts the sample bytes received; a header claiming an absurd rate
        // (sampleRate=1 makes 6 bytes "6 s long") cannot stretch a few bytes past the 5 s rule.
        guard Self.plausibleSampleRates.contains(header.format.sampleRate) else {
            throw GatewayError.invalidVoiceInput(
                "File '\(filename)' claims a sample rate of \(header.format.sampleRate) Hz; a reference must be recorded at 8000 to 384000 Hz")
        }
        let duration = header.duration(inFileOfSize: size)
        guard duration > limits.minimumDuration else {
            throw GatewayError.invalidVoiceInput(
                "File '\(filename)' is \(Self.seconds(duration)) s long; a reference must be longer than \(Self.seconds(limits.minimumDuration)) s "
                    + "because Chatterbox Turbo cannot clone a voice from a clip of \(Self.seconds(limits.minimumDuration)) s or less")
        }
        return VoiceUpload.Reference(path: file.path, filename: filename, size: size, duration: duration)
    }

    private mutating func flush(library: VoiceLibrary) async throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        let file = file
        do { try await library.run { try file.append(batch[...]) } } catch { throw GatewayError.voiceStorageFailed() }
    }

    /// Sample rates a voice reference may have (telephone 8 kHz up to 384 kHz studio recordings).
    static let plausibleSampleRates = 8_000...384_000

    /// Bytes the header scanner has examined: at most the header's size, however the upload was split.
    var headerBytesScanned: Int { scanner.bytesScanned }

    /// Seconds with at most two decimals (`3.25`, `5`).
    static func seconds(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
