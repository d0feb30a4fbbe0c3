/// Writing PCM16 WAV files.
extension WAVFile {
    /// This file as PCM16 WAV bytes: `RIFF`, `fmt `, the INFO tags (before `data`, so a reader
    /// of a prefix sees them), then `data`.
    public func encoded() -> [UInt8] {
        var bytes = Self.headerBytes(
            channels: channels, sampleRate: sampleRate, dataSize: samples.count * 2, infoTags: infoTags)
        bytes.reserveCapacity(bytes.count + samples.count * 2)
        Self.appendPCM16(samples, to: &bytes)
        return bytes
    }

    /// Encodes samples as a PCM16 WAV file.
    public static func encode(
        samples: [Int16], channels: Int = 1, sampleRate: Int, infoTags: [WAVInfoTag] = []
    ) -> [UInt8] {
        WAVFile(samples: samples, channels: channels, sampleRate: sampleRate, infoTags: infoTags).encoded()
    }

    /// The header of a PCM16 file whose `data` chunk holds `dataSize` bytes: everything up to the
    /// first sample. Streaming writers send this first and the samples after it.
    public static func headerBytes(
        channels: Int = 1, sampleRate: Int, dataSize: Int, infoTags: [WAVInfoTag] = []
    ) -> [UInt8] {
        let format = WAVFormat.pcm16(channels: channels, sampleRate: sampleRate)
        let list = WAVInfoTag.listChunk(infoTags)
        let fmtBody = format.chunkBody
        var bytes: [UInt8] = []
        bytes.appendFourCC("RIFF")
        // RIFF size counts everything after these 8 bytes, including the data pad byte.
        let riffSize = 4 + (8 + fmtBody.count) + list.count + 8 + dataSize + (dataSize & 1)
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: riffSize))
        bytes.appendFourCC("WAVE")
        bytes.appendFourCC("fmt ")
        bytes.appendLittleEndian(UInt32(fmtBody.count))
        bytes += fmtBody
        bytes += list
        bytes.appendFourCC("data")
        bytes.appendLittleEndian(UInt32(truncatingIfNeeded: dataSize))
        return bytes
    }

    /// Appends samples as little-endian 16-bit values.
    public static func appendPCM16(_ samples: some Collection<Int16>, to bytes: inout [UInt8]) {
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
    }
}
