import SynapseCore
import SynapseResilience
import Testing

@Suite struct BackoffTests {
    @Test func defaultScheduleIsExactWithoutJitterAndDrawsNothing() {
        let backoff = Backoff()
        var generator = SplitMix64(seed: 3)
        let delays = (1...3).map { backoff.delay(beforeRetry: $0, using: &generator) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2)])
        #expect(backoff.delay(beforeRetry: 4, using: &generator) == nil)
        #expect(backoff.delay(beforeRetry: 0, using: &generator) == nil)
        // No draws were made, so the generator is where a fresh one with the same seed starts.
        var fresh = SplitMix64(seed: 3)
        #expect(generator.next() == fresh.next())
    }

    @Test func exponentialBuildsTheDefaultTableAndHonoursTheCap() {
        #expect(Backoff.exponential(first: .milliseconds(500), retries: 3).delays == Backoff.defaultDelays)
        let capped = Backoff.exponential(first: .milliseconds(500), factor: 2, retries: 5, cap: .seconds(1))
        #expect(capped.delays == [.milliseconds(500), .seconds(1), .seconds(1), .seconds(1), .seconds(1)])
        #expect(Backoff.exponential(first: .seconds(1), retries: 0).maxRetries == 0)
    }

    @Test(arguments: [Backoff.Jitter.full, .proportional(0.25), .proportional(1)])
    func jitterIsReproducibleForASeedAndStaysWithinItsBounds(_ jitter: Backoff.Jitter) {
        let backoff = Backoff(jitter: jitter)
        func draw(seed: UInt64) -> [Duration] {
            var generator = SplitMix64(seed: seed)
            return (0..<200).map { backoff.delay(beforeRetry: 1 + $0 % 3, using: &generator)! }
        }
        let first = draw(seed: 2024)
        #expect(first == draw(seed: 2024))
        for (index, delay) in first.enumerated() {
            let nominal = backoff.nominalDelay(beforeRetry: 1 + index % 3)!
            let (low, high) = jitter.bounds(for: nominal)
            #expect(delay >= low && delay <= high, "delay \(delay) outside \(low)…\(high)")
        }
        // The draws really vary: a constant "jitter" would pass the bounds check too.
        #expect(Set(first).count > 100)
    }

    @Test func jitterBoundsFollowTheTable() {
        #expect(Backoff.Jitter.none.bounds(for: .seconds(2)) == (.seconds(2), .seconds(2)))
        #expect(Backoff.Jitter.full.bounds(for: .seconds(2)) == (.zero, .seconds(2)))
        #expect(Backoff.Jitter.proportional(0.25).bounds(for: .seconds(2)) == (.milliseconds(1_500), .milliseconds(2_500)))
        #expect(Backoff.Jitter.proportional(7).bounds(for: .seconds(2)) == (.zero, .seconds(4)))
    }
}
