import Foundation
import SynapseClock
import SynapseCore

extension VirtualClock {
    /// This clock as a mock's `MockTime`, so a mock's delays (model loads, token pacing, latency
    /// faults, a `hang`) wait for `advance(by:)` just like the gateway's own sleeps on this clock.
    /// Mock sleeps are work sleeps and a mock's park is parked on the clock: both count as
    /// sleepers for the scenario time driver.
    /// `now` is `epoch` plus the clock's offset.
    public func mockTime(epoch: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> MockTime {
        MockTime(
            sleep: { [self] duration in try await sleep(for: duration) },
            now: { [self] in epoch.addingTimeInterval(now.offset.seconds) },
            park: { [self] in try await self.park() },
            elapsed: { [self] in now.offset }
        )
    }
}
