/// Where the scale factor bands of Layer III lie for one sampling frequency: the long-block bands
/// (11172-3 table B.8, 13818-3 table B.2, and the MPEG-2.5 extension of the latter) and the
/// short-block bands, each as first lines plus the end.
///
/// The decoder keeps its own table rather than reading `MPEGAudioTables.longBandStarts`, because it
/// also needs the short bands and the 11.025, 12 and 8 kHz rates. The 24 kHz long row has bands 17
/// and 18 as 52 and 64 lines, as LAME encodes and ffmpeg decodes them (some printings of 13818-3
/// give 54 and 62; with those, LAME's 24 kHz files decode at about 25 dB against ffmpeg).
struct LayerIIIScaleFactorBands: Sendable {
    /// 23 values: the first line of long bands 0...21, then 576.
    let long: [Int]
    /// 14 values: the first line (within one window) of short bands 0...12, then 192.
    let short: [Int]

    init?(sampleRate: Int) {
        guard let widths = Self.widths[sampleRate] else { return nil }
        long = widths.long.reduce(into: [0]) { $0.append($0.last! + $1) }
        short = widths.short.reduce(into: [0]) { $0.append($0.last! + $1) }
    }

    private static let widths: [Int: (long: [Int], short: [Int])] = {
        let lsf = (
            long: [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
            short: [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 30, 40, 18]
        )
        return [
            44100: (
                long: [4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158],
                short: [4, 4, 4, 4, 6, 8, 10, 12, 14, 18, 22, 30, 56]
            ),
            48000: (
                long: [4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192],
                short: [4, 4, 4, 4, 6, 6, 10, 12, 14, 16, 20, 26, 66]
            ),
            32000: (
                long: [4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26],
                short: [4, 4, 4, 4, 6, 8, 12, 16, 20, 26, 34, 42, 12]
            ),
            22050: (
                long: lsf.long,
                short: [4, 4, 4, 6, 6, 8, 10, 14, 18, 26, 32, 42, 18]
            ),
            24000: (
                long: [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 52, 64, 70, 76, 36],
                short: [4, 4, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 12]
            ),
            16000: lsf,
            11025: lsf,
            12000: lsf,
            8000: (
                long: [12, 12, 12, 12, 12, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 76, 90, 2, 2, 2, 2, 2],
                short: [8, 8, 8, 12, 16, 20, 24, 28, 36, 2, 2, 2, 26]
            ),
        ]
    }()
}
