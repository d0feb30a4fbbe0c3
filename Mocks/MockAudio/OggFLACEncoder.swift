/// Encodes 16-bit PCM as FLAC in an Ogg container (the Ogg FLAC mapping, `.ogg` / `audio/ogg`).
///
/// We chose Ogg FLAC over Ogg Vorbis: it reuses the bit-exact `FLACEncoder`, and `ffprobe` reports
/// container `ogg`, codec `flac`. Packets:
/// ```
/// page 0 (BOS): 0x7F "FLAC" 1 0 <header packets to follow: 1> "fLaC" <STREAMINFO block>
/// page 1:       VORBIS_COMMENT block (last-metadata flag set)
/// pages 2…:     one FLAC frame per packet; granule = samples per channel up to the packet's end
/// ```
public struct OggFLACEncoder: Sendable {
    public let flac: FLACEncoder
    /// Ogg bitstream serial number. Fixed by default so the output is deterministic.
    public let serialNumber: UInt32

    public init(channels: Int, sampleRate: Int, blockSize: Int = 4096, serialNumber: UInt32 = 0x5359_4E41) {
        self.flac = FLACEncoder(channels: channels, sampleRate: sampleRate, blockSize: blockSize)
        self.serialNumber = serialNumber
    }

    /// A complete `.ogg` file for interleaved `samples`.
    public func encodeFile(samples: [Int16]) -> [UInt8] {
        var writer = OggStreamWriter(serialNumber: serialNumber)
        let blocks = flac.metadataBlocks(samples: samples)
        let streamInfo = blocks[0]
        var first: [UInt8] = [0x7F] + Array("FLAC".utf8) + [1, 0]
        let followingHeaders = blocks.count - 1
        first.append(contentsOf: [UInt8(followingHeaders >> 8), UInt8(followingHeaders & 0xFF)])
        first.append(contentsOf: Array("fLaC".utf8))
        first.append(contentsOf: flac.metadataHeader(type: streamInfo.type, length: streamInfo.body.count, isLast: false))
        first.append(contentsOf: streamInfo.body)
        writer.addPacket(first, granulePosition: 0, flush: true)
        for (index, block) in blocks.dropFirst().enumerated() {
            let isLast = index == blocks.count - 2
            let packet = flac.metadataHeader(type: block.type, length: block.body.count, isLast: isLast) + block.body
            // Audio must start on a fresh page, so the last header packet closes its page.
            writer.addPacket(packet, granulePosition: 0, flush: isLast)
        }
        let framesPerChannel = samples.count / flac.channels
        var position = 0
        for frame in flac.encodeFrames(samples: samples) {
            position = min(position + flac.blockSize, framesPerChannel)
            writer.addPacket(frame, granulePosition: Int64(position))
        }
        return writer.finish()
    }
}
