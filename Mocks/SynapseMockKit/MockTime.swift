import Foundation

/// The clock mock timings follow: model load time, token delays, latency faults, SSE pings.
///
/// Injected so that tests and scenarios run timings on a virtual clock (or scaled down)
/// instead of waiting for them; production mocks use `.system`.
public struct MockTime: Sendable {
    /// Sleeps for a duration of mock time. Throws `CancellationError` when cancelled.
    public let sleep: @Sendable (Duration) async throws -> Void
    /// Wall-clock "now", for fields such as `created` (Unix seconds) in responses.
    public let now: @Sendable () -> Date
    /// Waits on mock time for nothing, until cancelled (`CancellationError`): a `hang`. On a
    /// `VirtualClock` it is parked on the clock, a sleeper no advance wakes.
    public let park: @Sendable () async throws -> Void
    /// Mock time passed since a fixed origin, never going back: what a paced stream (playback of
    /// recorded SSE offsets) measures against, so that each sleep's overshoot is not added to the
    /// next event's offset. On a scaled clock it is scaled like `sleep`.
    public let elapsed: @Sendable () -> Duration

    /// `park` defaults to a real sleep, a day at a time, until cancelled (never `sleep`, which may
    /// return at once on an instant test clock and would make the park spin). `elapsed` defaults to
    /// `now` since 1970, which on an instant test clock stands still.
    public init(
        sleep: @escaping @Sendable (Duration) async throws -> Void, now: @escaping @Sendable () -> Date,
        park: (@Sendable () async throws -> Void)? = nil, elapsed: (@Sendable () -> Duration)? = nil
    ) {
        self.sleep = sleep
        self.now = now
        self.park = park ?? { while true { try await Task.sleep(for: .seconds(86_400)) } }
        self.elapsed = elapsed ?? { .seconds(now().timeIntervalSince1970) }
    }

    /// Real time.
    public static let system = MockTime(
        sleep: { try await Task.sleep(for: $0) },
        now: { Date() },
        elapsed: monotonicElapsed(scale: 1)
    )

    /// Real time scaled by `factor` (0.01 makes a 2 s model load take 20 ms). `now` is unscaled.
    public static func scaled(by factor: Double) -> MockTime {
        MockTime(sleep: { try await Task.sleep(for: $0 * factor) }, now: { Date() }, elapsed: monotonicElapsed(scale: factor))
    }

    /// The continuous clock since now, divided by `scale` (a 0.01 clock's 20 real ms are 2 s).
    private static func monotonicElapsed(scale: Double) -> @Sendable () -> Duration {
        let clock = ContinuousClock()
        let origin = clock.now
        return { origin.duration(to: clock.now) / scale }
    }
}
