import Foundation

/// The decoder's 32-band polyphase synthesis filterbank for one channel (11172-3 2.4.3.2.2, figure
/// A.2): per time slot, matrixing into the 1024-sample FIFO V, then 512 window taps D[i] = 32 · C[i]
/// over the samples the standard's U vector picks from V.
struct PolyphaseSynthesis {
    /// V as a ring: logical V[n] is `fifo[(head + n) & 1023]`, V[0...63] the newest slot.
    private var fifo = [Double](repeating: 0, count: 1024)
    private var head = 0

    /// N[i][k] = cos((16 + i)(2k + 1)π/64) for the rows that are computed: V[32 − i] = −V[i] and
    /// V[48 + j] = V[48 − j] leave rows 0...15 and 48...63 (V[16] is 0).
    private static let matrix: [Double] = {
        var table: [Double] = []
        let rows: [Int] = Array(0..<16) + Array(48..<64)
        for i in rows {
            for k in 0..<32 { table.append(cos(Double((16 + i) * (2 * k + 1)) * Double.pi / 64)) }
        }
        return table
    }()
    private static let window: [Double] = MPEGAudioTables.analysisWindow.map { 32 * $0 }

    /// 32 new subband samples in, 32 PCM samples (full scale ±1) out.
    mutating func synthesize(_ subbands: UnsafePointer<Double>, into pcm: UnsafeMutablePointer<Double>) {
        head = (head - 64) & 1023
        let head = head
        fifo.withUnsafeMutableBufferPointer { v in
            Self.matrix.withUnsafeBufferPointer { n in
                for row in 0..<32 {
                    var sum = 0.0
                    let coefficients = n.baseAddress! + row * 32
                    for k in 0..<32 { sum += coefficients[k] * subbands[k] }
                    if row < 16 {
                        v[(head + row) & 1023] = sum
                        v[(head + 32 - row) & 1023] = -sum
                    } else {
                        let i = row + 32
                        v[(head + i) & 1023] = sum
                        if i > 48 { v[(head + 96 - i) & 1023] = sum }
                    }
                }
                v[(head + 16) & 1023] = 0
            }
            Self.window.withUnsafeBufferPointer { d in
                for j in 0..<32 {
                    var sum = 0.0
                    for i in 0..<8 {
                        sum += v[(head + i * 128 + j) & 1023] * d[i * 64 + j]
                        sum += v[(head + i * 128 + 96 + j) & 1023] * d[i * 64 + 32 + j]
                    }
                    pcm[j] = sum
                }
            }
        }
    }
}
