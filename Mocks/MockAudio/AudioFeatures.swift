import Foundation

/// Simple, deterministic measurements of mono audio that the STT, diarisation and denoise mocks
/// base their answers on: frame energy, voice activity, tonality and pitch.
public struct AudioFeatures: Sendable {
    /// Mono samples in −1...1.
    public let samples: [Float]
    public let sampleRate: Int

    /// Analysis frame length. 20 ms.
    public static let frameSeconds = 0.02
    /// Frame RMS (full scale = 1) at or above which a frame counts as active. Default 0.01 (−40 dBFS).
    public static let activityThreshold: Float = 0.01

    public init(samples: [Float], sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    public var duration: Double { Double(samples.count) / Double(sampleRate) }

    private var frameLength: Int { max(1, Int(Double(sampleRate) * Self.frameSeconds)) }

    /// RMS of each 20 ms frame.
    public var frameRMS: [Float] {
        stride(from: 0, to: samples.count, by: frameLength).map { start in
            let end = min(samples.count, start + frameLength)
            var sum: Float = 0
            for index in start..<end { sum += samples[index] * samples[index] }
            return (sum / Float(end - start)).squareRoot()
        }
    }

    /// True when no frame reaches the activity threshold.
    public var isSilent: Bool { !frameRMS.contains { $0 >= Self.activityThreshold } }

    /// Intervals (seconds) of activity: frames above the threshold, gaps shorter than `mergeGap`
    /// bridged, intervals shorter than `minimumLength` dropped.
    public func activeIntervals(threshold: Float = activityThreshold, mergeGap: Double = 0.3, minimumLength: Double = 0.1) -> [ClosedRange<Double>] {
        let frame = Double(frameLength) / Double(sampleRate)
        var intervals: [ClosedRange<Double>] = []
        var openStart: Double?
        for (index, rms) in frameRMS.enumerated() {
            let time = Double(index) * frame
            if rms >= threshold {
                if openStart == nil { openStart = time }
            } else if let start = openStart {
                intervals.append(start...time)
                openStart = nil
            }
        }
        if let start = openStart { intervals.append(start...duration) }
        var merged: [ClosedRange<Double>] = []
        for interval in intervals {
            if let last = merged.last, interval.lowerBound - last.upperBound < mergeGap {
                merged[merged.count - 1] = last.lowerBound...interval.upperBound
            } else {
                merged.append(interval)
            }
        }
        return merged.filter { $0.upperBound - $0.lowerBound >= minimumLength }
    }

    /// Whether the audio is one steady sinusoid: a sine obeys `x[n] = 2cos(ω)·x[n−1] − x[n−2]`, so the
    /// best such two-tap predictor leaves almost no residual (below 1 % of the energy).
    public var isPureTone: Bool {
        guard samples.count > 64, !isSilent else { return false }
        var cross = 0.0
        var energy = 0.0
        for index in 2..<samples.count {
            let previous = Double(samples[index - 1])
            cross += previous * Double(samples[index] + samples[index - 2])
            energy += previous * previous
        }
        guard energy > 0 else { return false }
        let coefficient = cross / energy
        var residual = 0.0
        var total = 0.0
        for index in 2..<samples.count {
            let error = Double(samples[index]) - coefficient * Double(samples[index - 1]) + Double(samples[index - 2])
            residual += error * error
            total += Double(samples[index]) * Double(samples[index])
        }
        return residual < 0.01 * total
    }

    /// Zero crossings per second over the active frames.
    public var zeroCrossingRate: Double {
        var crossings = 0
        for index in 1..<max(1, samples.count) where (samples[index - 1] < 0) != (samples[index] < 0) { crossings += 1 }
        return Double(crossings) / max(duration, 1e-9)
    }

    /// Median fundamental frequency in Hz (autocorrelation over 60–500 Hz in the active frames),
    /// or nil when nothing voiced is found.
    public var medianPitch: Double? {
        let window = Int(Double(sampleRate) * 0.04)
        let minLag = max(2, sampleRate / 500)
        let maxLag = sampleRate / 60
        guard window + maxLag < samples.count else { return nil }
        var pitches: [Double] = []
        let rms = frameRMS
        let hop = frameLength
        var start = 0
        // At most ~200 analysis windows keep long files cheap.
        let step = max(hop, (samples.count - window - maxLag) / 200)
        while start + window + maxLag < samples.count {
            if rms[min(rms.count - 1, start / hop)] >= Self.activityThreshold {
                var bestLag = 0
                var best = 0.0
                var zeroLag = 0.0
                for index in start..<start + window { zeroLag += Double(samples[index] * samples[index]) }
                for lag in minLag...maxLag {
                    var sum = 0.0
                    for index in start..<start + window { sum += Double(samples[index] * samples[index + lag]) }
                    if sum > best {
                        best = sum
                        bestLag = lag
                    }
                }
                if bestLag > 0, best > 0.5 * zeroLag { pitches.append(Double(sampleRate) / Double(bestLag)) }
            }
            start += step
        }
        guard !pitches.isEmpty else { return nil }
        return pitches.sorted()[pitches.count / 2]
    }
}
