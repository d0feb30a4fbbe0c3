/// Cutting the beginning out of a WAV file without decoding it.
extension WAVFile {
    /// The first `seconds` of a WAV file, as a valid WAV file in the same format.
    ///
    /// Every chunk before `data` (format, INFO tags, others) is kept byte for byte; the data
    /// chunk is cut to whole frames and the RIFF and data sizes are rewritten. Chunks after
    /// `data` are dropped. A file shorter than `seconds` comes back whole (sizes repaired).
    /// The gateway uses this to send 30 s excerpts to the analysis backends.
    public static func excerpt(of bytes: [UInt8], firstSeconds seconds: Double) throws(WAVError) -> [UInt8] {
        let header = try WAVHeader.parse(bytes)
        let format = header.format
        let available = header.dataSize(inFileOfSize: bytes.count)
        let wantedFrames = max(0, Int((seconds * Double(format.sampleRate)).rounded(.down)))
        let size = min(available, wantedFrames * format.blockAlign)
        var out = Array(bytes[0..<header.dataOffset + size])
        if size & 1 == 1 { out.append(0) }
        out.setLittleEndianUInt32(UInt32(out.count - 8), at: 4)
        out.setLittleEndianUInt32(UInt32(size), at: header.dataOffset - 4)
        return out
    }
}
