/// One channel's scale factors for one granule (11172-3 2.4.1.7 and 2.4.2.7, 13818-3 2.4.3.2),
/// read from the start of its main data (part 2).
struct LayerIIIScaleFactors: Sendable {
    /// Long bands 0...21 (band 21 never has one: it stays 0).
    var long = [Int](repeating: 0, count: 22)
    /// Short bands 0...12, three windows each, at `band * 3 + window` (band 12 stays 0).
    var short = [Int](repeating: 0, count: 39)
    /// The intensity position that means "not intensity coded" in each band: 7 in MPEG-1, the
    /// largest value the band's scale factor field can hold in LSF.
    var longIllegal = [Int](repeating: 7, count: 22)
    var shortIllegal = [Int](repeating: 7, count: 39)
    /// LSF intensity stereo: scalefac_compress's lowest bit in the right channel picks the step.
    var intensityScale = 0

    /// MPEG-1 slen1/slen2 by scalefac_compress (11172-3 2.4.2.7).
    private static let slen1 = [0, 0, 0, 0, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]
    private static let slen2 = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 3]
    /// The long bands of MPEG-1's four scfsi groups.
    private static let scfsiGroups = [0..<6, 6..<11, 11..<16, 16..<21]

    /// MPEG-1: `previous` is this channel's granule 0, whose long scale factors granule 1 reuses for
    /// the groups scfsi marks.
    static func readMPEG1(
        _ info: LayerIIIGranuleInfo, granule: Int, scfsi: [Bool], previous: LayerIIIScaleFactors, reader: inout LayerIIIBitReader
    ) -> LayerIIIScaleFactors {
        var factors = LayerIIIScaleFactors()
        let slen1 = slen1[info.scalefacCompress]
        let slen2 = slen2[info.scalefacCompress]
        if info.hasShortBlocks {
            if info.mixedBlock {
                for band in 0..<8 { factors.long[band] = reader.read(slen1) }
            }
            for band in (info.mixedBlock ? 3 : 0)..<12 {
                for window in 0..<3 { factors.short[band * 3 + window] = reader.read(band < 6 ? slen1 : slen2) }
            }
        } else {
            for (group, bands) in scfsiGroups.enumerated() {
                for band in bands {
                    factors.long[band] = granule == 1 && scfsi[group] ? previous.long[band] : reader.read(group < 2 ? slen1 : slen2)
                }
            }
        }
        return factors
    }

    /// nr_of_sfb (13818-3 table B.1): scale factors per partition, by [table row][block kind]
    /// with block kinds long, short, mixed. Rows 3...5 are the right channel under intensity stereo.
    private static let partitionSizes: [[[Int]]] = [
        [[6, 5, 5, 5], [9, 9, 9, 9], [6, 9, 9, 9]],
        [[6, 5, 7, 3], [9, 9, 12, 6], [6, 9, 12, 6]],
        [[11, 10, 0, 0], [18, 18, 0, 0], [15, 18, 0, 0]],
        [[7, 7, 7, 0], [12, 12, 12, 0], [6, 15, 12, 0]],
        [[6, 6, 6, 3], [12, 9, 9, 6], [6, 12, 9, 6]],
        [[8, 8, 5, 0], [15, 12, 9, 0], [6, 18, 9, 0]],
    ]

    /// LSF (MPEG-2 and 2.5): scalefac_compress (9 bits) packs four field widths and picks the
    /// partition sizes; it also sets preflag, which LSF side info does not carry.
    static func readLSF(_ info: inout LayerIIIGranuleInfo, intensityRight: Bool, reader: inout LayerIIIBitReader) -> LayerIIIScaleFactors {
        var factors = LayerIIIScaleFactors()
        var slen = [0, 0, 0, 0]
        var row = 0
        info.preflag = false
        if intensityRight {
            let compress = info.scalefacCompress >> 1
            factors.intensityScale = info.scalefacCompress & 1
            if compress < 180 {
                slen = [compress / 36, compress % 36 / 6, compress % 6, 0]
                row = 3
            } else if compress < 244 {
                let value = compress - 180
                slen = [value >> 4 & 3, value >> 2 & 3, value & 3, 0]
                row = 4
            } else {
                let value = compress - 244
                slen = [value / 3, value % 3, 0, 0]
                row = 5
            }
        } else {
            let compress = info.scalefacCompress
            if compress < 400 {
                slen = [(compress >> 4) / 5, (compress >> 4) % 5, compress >> 2 & 3, compress & 3]
            } else if compress < 500 {
                let value = compress - 400
                slen = [(value >> 2) / 5, (value >> 2) % 5, value & 3, 0]
                row = 1
            } else {
                let value = compress - 500
                slen = [value / 3, value % 3, 0, 0]
                row = 2
                info.preflag = true
            }
        }
        let kind = info.hasShortBlocks ? (info.mixedBlock ? 2 : 1) : 0
        // The scale factors in bitstream order, as (is long, index into long or short).
        var slots: [(isLong: Bool, index: Int)] = []
        switch kind {
        case 0: slots = (0..<21).map { (true, $0) }
        case 1: slots = (0..<12).flatMap { band in (0..<3).map { (false, band * 3 + $0) } }
        default: slots = (0..<6).map { (true, $0) } + (3..<12).flatMap { band in (0..<3).map { (false, band * 3 + $0) } }
        }
        var slot = 0
        for (partition, count) in partitionSizes[row][kind].enumerated() {
            for _ in 0..<count where slot < slots.count {
                let value = reader.read(slen[partition])
                let illegal = (1 << slen[partition]) - 1
                if slots[slot].isLong {
                    factors.long[slots[slot].index] = value
                    factors.longIllegal[slots[slot].index] = illegal
                } else {
                    factors.short[slots[slot].index] = value
                    factors.shortIllegal[slots[slot].index] = illegal
                }
                slot += 1
            }
        }
        return factors
    }
}
