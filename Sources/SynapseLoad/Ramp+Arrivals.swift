import SynapseCore

/// A rate ramp as a count of arrivals: how many requests are due by time t (the integral of the
/// rate, piecewise quadratic) and its inverse, when the n-th is due. Both arrival processes use
/// the inverse: constant arrivals are due at n = 0, 1, 2 …, Poisson arrivals at running sums of
/// exponential draws, so a ramp bends both the same way.
///
/// Within a stage of length d from rate r0 to r1, with a = (r1 − r0) / 2d:
///
/// ```
/// arrivals(start + x) = arrivals(start) + r0·x + a·x²      (0 ≤ x ≤ d)
/// solving for n:   x = (−r0 + √(r0² + 4a·(n − arrivals(start)))) / 2a    (a ≠ 0)
///                  x = (n − arrivals(start)) / r0                          (a = 0)
/// ```
///
/// | ramp (from 0)  | arrivals by 1 s | by 2 s | 10th arrival at  |
/// | -------------- | --------------- | ------ | ---------------- |
/// | constant 10/s  | 10              | 20     | 1.0 s            |
/// | `2s:20`        | 5               | 20     | 1.41 s (√(10/5)) |
extension Ramp {
    /// Arrivals expected by `t` (rates in requests per second).
    func arrivals(by t: Duration) -> Double {
        var start = Duration.zero
        var from = initial
        var total = 0.0
        for stage in stages {
            let d = stage.duration.seconds
            let end = start + stage.duration
            if t < end {
                let x = (t - start).seconds
                return total + from * x + (stage.value - from) / (2 * d) * x * x
            }
            total += (from + stage.value) / 2 * d
            start = end
            from = stage.value
        }
        return total + from * (t - start).seconds
    }

    /// When arrival number `n` (0-based, fractional allowed) is due; nil when the rate stays at 0
    /// before reaching it.
    func time(ofArrival n: Double) -> Duration? {
        var start = Duration.zero
        var from = initial
        var total = 0.0
        for stage in stages {
            let d = stage.duration.seconds
            let stageArrivals = (from + stage.value) / 2 * d
            if n <= total + stageArrivals, d > 0 {
                let need = n - total
                let a = (stage.value - from) / (2 * d)
                let x: Double
                if abs(a) < 1e-12 {
                    x = from > 0 ? need / from : 0
                } else {
                    x = (-from + (max(0, from * from + 4 * a * need)).squareRoot()) / (2 * a)
                }
                return Duration.fromSeconds(min(max(x, 0), d)).map { start + $0 }
            }
            total += stageArrivals
            start += stage.duration
            from = stage.value
        }
        if n <= total { return start }
        guard from > 0 else { return nil }
        return Duration.fromSeconds((n - total) / from).map { start + $0 }
    }
}
