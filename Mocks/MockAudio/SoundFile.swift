import CSndFile
import Synchronization

/// One open libsndfile handle over an in-memory file: the only place that opens and closes them.
///
/// It holds the `MemoryFile` its callbacks point at, so the bytes outlive the handle.
final class SoundFile {
    private let memory: MemoryFile
    private var handle: OpaquePointer?
    /// What libsndfile says about the file (read) or was asked to write.
    private(set) var info: SF_INFO

    /// Opens `bytes` for reading; libsndfile recognises the container from its contents.
    init(reading bytes: [UInt8]) throws(AudioFileError) {
        memory = MemoryFile(bytes: bytes)
        info = SF_INFO()
        handle = try Self.open(memory, mode: Int32(SFM_READ), info: &info)
    }

    /// Opens an empty file for writing `info.format` at `info.samplerate` with `info.channels`.
    init(writing info: SF_INFO) throws(AudioFileError) {
        memory = MemoryFile()
        self.info = info
        handle = try Self.open(memory, mode: Int32(SFM_WRITE), info: &self.info)
    }

    deinit {
        if let handle { sf_close(handle) }
    }

    /// One open at a time: libsndfile reports a failed open only through a process-wide error
    /// (`sf_strerror(NULL)`), which a concurrent open could overwrite while it is read, and its
    /// MP3 reader initialises libmpg123's global tables on every open. Open handles need no lock.
    private static let openLock = Mutex(())

    private static func open(_ memory: MemoryFile, mode: Int32, info: inout SF_INFO) throws(AudioFileError) -> OpaquePointer {
        var callbacks = MemoryFile.callbacks
        var handle: OpaquePointer?
        let failure: AudioFileError? = openLock.withLock { _ in
            // libsndfile copies the callback table, so a local one is enough.
            handle = sf_open_virtual(&callbacks, mode, &info, Unmanaged.passUnretained(memory).toOpaque())
            return handle == nil ? lastError(nil) : nil
        }
        guard let handle else { throw failure ?? .soundFile("sf_open_virtual failed") }
        return handle
    }

    /// The handle's last error, or with nil the last failed open's.
    private static func lastError(_ handle: OpaquePointer?) -> AudioFileError {
        .soundFile(String(cString: sf_strerror(handle)))
    }

    private func check(_ succeeded: Bool) throws(AudioFileError) {
        if !succeeded { throw Self.lastError(handle) }
    }

    // MARK: Reading

    /// The text tag of `type` (`SF_STR_TITLE`, …), if the file has one.
    func string(_ type: Int) -> String? {
        sf_get_string(handle, Int32(type)).map { String(cString: $0) }
    }

    /// All frames as interleaved 16-bit samples, at most `limit` samples.
    ///
    /// Read in blocks until libsndfile stops: `info.frames` is only an estimate for MP3.
    func readAll(limit: Int) throws(AudioFileError) -> [Int16] {
        let channels = Int(info.channels)
        let blockFrames = 8_192
        var samples: [Int16] = []
        var block = [Int16](repeating: 0, count: blockFrames * channels)
        while true {
            let read = Int(block.withUnsafeMutableBufferPointer { sf_readf_short(handle, $0.baseAddress, sf_count_t(blockFrames)) })
            if read <= 0 { break }
            guard samples.count + read * channels <= limit else { throw AudioFileError.tooLong(maximumSamples: limit) }
            samples.append(contentsOf: block[0..<read * channels])
        }
        // A damaged stream ends the loop early; libsndfile then has an error to report.
        if sf_error(handle) != 0 { throw Self.lastError(handle) }
        return samples
    }

    // MARK: Writing

    /// Sets a text tag; it must come before the first frame (Ogg and MP3 write tags in their header).
    func setString(_ type: Int, _ value: String) throws(AudioFileError) {
        try check(sf_set_string(handle, Int32(type), value) == 0)
    }

    /// Sets a double-valued command such as `SFC_SET_COMPRESSION_LEVEL`.
    func command(_ command: Int, _ value: Double) throws(AudioFileError) {
        var value = value
        try check(Int(sf_command(handle, Int32(command), &value, Int32(MemoryLayout<Double>.size))) == SF_TRUE)
    }

    /// Sets an integer-valued command such as `SFC_SET_BITRATE_MODE`.
    func command(_ command: Int, _ value: Int) throws(AudioFileError) {
        var value = Int32(value)
        try check(Int(sf_command(handle, Int32(command), &value, Int32(MemoryLayout<Int32>.size))) == SF_TRUE)
    }

    /// Writes interleaved samples in −1…1.
    func write(_ samples: [Float]) throws(AudioFileError) {
        let frames = samples.count / Int(info.channels)
        let written = samples.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(frames)) }
        try check(Int(written) == frames)
    }

    /// Finishes the file (encoders flush, headers get their final sizes) and returns its bytes.
    func finish() throws(AudioFileError) -> [UInt8] {
        guard let open = handle else { return memory.bytes }
        handle = nil
        let status = sf_close(open)
        if status != 0 { throw .soundFile(String(cString: sf_error_number(status))) }
        return memory.bytes
    }
}
