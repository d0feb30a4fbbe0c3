import SynapseCore

/// A value that changes over the run in linear stages: the request rate of the open model or
/// the concurrency of the closed model.
///
/// Grammar of `--ramp`: comma-separated stages `DURATION:VALUE` (durations as in the
/// configuration: `500ms`, `10s`, `2m`). Each stage moves the value linearly, from where the
/// previous stage ended, to its own value over its duration; the first starts from the initial
/// value (`--rate` or `--concurrency`). After the last stage the value holds. A `0s` stage is a
/// step.
///
/// ```
/// --rate 10 --ramp '10s:50,30s:200,20s:200'
///   value  10 ──(10 s)──▶ 50 ──(30 s)──▶ 200 ──(20 s, held)──▶ 200 …
///   t      0              10             40                    60
/// ```
public struct Ramp: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var duration: Duration
        public var value: Double

        public init(duration: Duration, value: Double) {
            self.duration = duration
            self.value = value
        }
    }

    public var initial: Double
    public var stages: [Stage]

    public init(initial: Double, stages: [Stage] = []) {
        self.initial = initial
        self.stages = stages
    }

    /// A value that never changes.
    public static func constant(_ value: Double) -> Ramp { Ramp(initial: value) }

    /// The sum of the stages' durations: when the value stops changing.
    public var totalDuration: Duration { stages.reduce(.zero) { $0 + $1.duration } }

    /// The value `t` after the start.
    public func value(at t: Duration) -> Double {
        var start = Duration.zero
        var from = initial
        for stage in stages {
            let end = start + stage.duration
            if t < end {
                let fraction = (t - start).seconds / stage.duration.seconds
                return from + (stage.value - from) * fraction
            }
            start = end
            from = stage.value
        }
        return from
    }

    /// Parses `--ramp` (grammar above); the initial value comes from `--rate` / `--concurrency`.
    public static func parse(_ text: String, initial: Double) throws(LoadError) -> Ramp {
        func fail(_ why: String) -> LoadError { LoadError(code: "bad_ramp", message: "--ramp \"\(text)\": \(why)") }
        var stages: [Stage] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2 else { throw fail("stage \"\(part)\" is not DURATION:VALUE (e.g. 10s:50)") }
            guard let duration = ConfigScalars.duration(String(fields[0])) else { throw fail("\"\(fields[0])\" is not a duration (500ms, 10s, 2m)") }
            var number = fields[1]
            if number.hasSuffix("/s") { number = number.dropLast(2) }
            guard let value = Double(number), value >= 0, value.isFinite else { throw fail("\"\(fields[1])\" is not a number ≥ 0") }
            stages.append(Stage(duration: duration, value: value))
        }
        return Ramp(initial: initial, stages: stages)
    }
}

extension Duration {
    /// A duration from seconds; `nil` for infinite, negative or absurdly large values.
    static func fromSeconds(_ value: Double) -> Duration? {
        guard value.isFinite, value >= 0, value < 1e12 else { return nil }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
