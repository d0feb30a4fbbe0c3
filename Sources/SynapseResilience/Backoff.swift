/// The waiting schedule between retries: one nominal delay per retry, optionally jittered.
///
/// The default is the original gateway's exact table (no jitter):
///
/// | Retry | Attempt it starts | Nominal delay |
/// | ----- | ----------------- | ------------- |
/// | 1     | 2                 | 0.5 s         |
/// | 2     | 3                 | 1 s           |
/// | 3     | 4                 | 2 s           |
///
/// `exponential(first:factor:retries:cap:)` builds such tables: delay(n) = min(cap, first × factorⁿ⁻¹),
/// so `first: 0.5 s, factor: 2, retries: 3` gives 0.5, 1, 2 s, and `cap: 1 s` would give 0.5, 1, 1 s.
///
/// Jitter spreads retries of many clients apart. Draws come from an injected
/// `RandomNumberGenerator`, so a seeded generator reproduces the same delays:
///
/// | Jitter              | Delay drawn uniformly from | Example for a 2 s nominal delay |
/// | ------------------- | -------------------------- | ------------------------------- |
/// | `.none`             | exactly d                  | 2 s                             |
/// | `.full`             | [0, d]                     | 0 … 2 s                         |
/// | `.proportional(f)`  | [d × (1 − f), d × (1 + f)] | f = 0.25: 1.5 … 2.5 s           |
public struct Backoff: Sendable, Hashable {
    /// Nominal delay before each retry; the count is the maximum number of retries.
    public var delays: [Duration]
    /// How delays are randomised. Default `.none`, so the schedule is exact.
    public var jitter: Jitter

    /// The original gateway's schedule: 0.5 s, 1 s, 2 s.
    public static let defaultDelays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2)]

    public init(delays: [Duration] = Backoff.defaultDelays, jitter: Jitter = .none) {
        precondition(delays.allSatisfy { $0 >= .zero }, "backoff delays must not be negative")
        self.delays = delays
        self.jitter = jitter
    }

    /// An exponential table: `retries` delays, the n-th being `min(cap, first × factorⁿ⁻¹)`.
    public static func exponential(
        first: Duration,
        factor: Double = 2,
        retries: Int,
        cap: Duration = .seconds(60),
        jitter: Jitter = .none
    ) -> Backoff {
        precondition(retries >= 0 && factor >= 1, "retries must not be negative and factor at least 1")
        var delays: [Duration] = []
        var next = first
        for _ in 0..<retries {
            delays.append(Swift.min(next, cap))
            // Stop multiplying once capped so huge retry counts cannot overflow.
            if next < cap { next = next * factor }
        }
        return Backoff(delays: delays, jitter: jitter)
    }

    /// How many retries the schedule allows.
    public var maxRetries: Int { delays.count }

    /// The un-jittered delay before retry `retry` (1-based), or `nil` past the end of the schedule.
    public func nominalDelay(beforeRetry retry: Int) -> Duration? {
        guard retry >= 1, retry <= delays.count else { return nil }
        return delays[retry - 1]
    }

    /// The delay before retry `retry` (1-based) with jitter applied, or `nil` past the end of the
    /// schedule. With `.none` jitter nothing is drawn from `generator`.
    public func delay(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration? {
        guard let nominal = nominalDelay(beforeRetry: retry) else { return nil }
        let (low, high) = jitter.bounds(for: nominal)
        guard low < high else { return low }
        let lowNanos = low.wholeNanoseconds
        let highNanos = high.wholeNanoseconds
        guard lowNanos < highNanos else { return low }
        return .nanoseconds(Int64.random(in: lowNanos...highNanos, using: &generator))
    }

    /// Randomisation applied to each nominal delay.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the nominal delay.
        case none
        /// Uniform between zero and the nominal delay ("full jitter").
        case full
        /// Uniform within ± `fraction` of the nominal delay; `fraction` is clamped to 0…1.
        case proportional(Double)

        /// The closed interval a jittered delay is drawn from.
        public func bounds(for nominal: Duration) -> (low: Duration, high: Duration) {
            switch self {
            case .none:
                return (nominal, nominal)
            case .full:
                return (.zero, nominal)
            case .proportional(let fraction):
                let f = fraction.isNaN ? 0 : Swift.min(1, Swift.max(0, fraction))
                return (nominal * (1 - f), nominal * (1 + f))
            }
        }
    }
}
