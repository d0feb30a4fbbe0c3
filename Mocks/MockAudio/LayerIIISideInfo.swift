/// What the side information says about one granule of one channel (11172-3 2.4.1.7, 13818-3
/// 2.4.1.7), with the region boundaries already turned into spectral lines.
struct LayerIIIGranuleInfo: Sendable {
    var part23Length = 0
    var bigValues = 0
    var globalGain = 0
    var scalefacCompress = 0
    var windowSwitching = false
    /// 0 normal, 1 start, 2 short, 3 stop.
    var blockType = 0
    var mixedBlock = false
    var tableSelect = [0, 0, 0]
    var subblockGain = [0, 0, 0]
    /// First line of Huffman regions 1 and 2.
    var region1Start = 0
    var region2Start = 0
    /// MPEG-1 sends it; LSF derives it from scalefac_compress while reading the scale factors.
    var preflag = false
    var scalefacScale = false
    var count1TableB = false

    /// Short windows in all (or, mixed, in the upper) subbands.
    var hasShortBlocks: Bool { windowSwitching && blockType == 2 }
}

/// The side information of one frame: where its main data begins in the reservoir, which scale
/// factor groups granule 1 shares with granule 0 (MPEG-1), and each granule's coding parameters.
struct LayerIIISideInfo: Sendable {
    /// Bytes before this frame's main data where its granules start (the bit reservoir).
    var mainDataBegin = 0
    /// MPEG-1 only: per channel, the four scale factor groups granule 1 takes from granule 0.
    var scfsi: [[Bool]] = []
    /// [granule][channel].
    var granules: [[LayerIIIGranuleInfo]] = []

    init(_ bytes: [UInt8], header: MPEGFrameHeader, bands: LayerIIIScaleFactorBands) throws(MP3Decoder.Failure) {
        var reader = LayerIIIBitReader(bytes)
        let channels = header.channels
        if header.isMPEG1 {
            mainDataBegin = reader.read(9)
            _ = reader.read(channels == 1 ? 5 : 3)  // private bits
            scfsi = (0..<channels).map { _ in (0..<4).map { _ in reader.flag() } }
        } else {
            mainDataBegin = reader.read(8)
            _ = reader.read(channels)
            scfsi = Array(repeating: [false, false, false, false], count: channels)
        }
        for _ in 0..<header.granules {
            var perChannel: [LayerIIIGranuleInfo] = []
            for _ in 0..<channels {
                var info = LayerIIIGranuleInfo()
                info.part23Length = reader.read(12)
                info.bigValues = reader.read(9)
                guard info.bigValues <= 288 else { throw MP3Decoder.Failure(reason: "damaged side info: big_values \(info.bigValues) exceeds 288") }
                info.globalGain = reader.read(8)
                info.scalefacCompress = reader.read(header.isMPEG1 ? 4 : 9)
                info.windowSwitching = reader.flag()
                if info.windowSwitching {
                    info.blockType = reader.read(2)
                    guard info.blockType != 0 else { throw MP3Decoder.Failure(reason: "damaged side info: window switching with block type 0") }
                    info.mixedBlock = reader.flag()
                    info.tableSelect = [reader.read(5), reader.read(5), 0]
                    info.subblockGain = [reader.read(3), reader.read(3), reader.read(3)]
                    // Implicit regions: region 0 covers 36 lines' worth of bands (8 long bands,
                    // or 3 short bands of 3 windows), region 1 the rest, region 2 is empty.
                    info.region1Start = info.blockType == 2 && !info.mixedBlock ? bands.short[3] * 3 : bands.long[8]
                    info.region2Start = 576
                } else {
                    info.tableSelect = [reader.read(5), reader.read(5), reader.read(5)]
                    let region0Count = reader.read(4)
                    let region1Count = reader.read(3)
                    info.region1Start = bands.long[min(region0Count + 1, 22)]
                    info.region2Start = bands.long[min(region0Count + region1Count + 2, 22)]
                }
                if header.isMPEG1 { info.preflag = reader.flag() }
                info.scalefacScale = reader.flag()
                info.count1TableB = reader.flag()
                perChannel.append(info)
            }
            granules.append(perChannel)
        }
    }
}
