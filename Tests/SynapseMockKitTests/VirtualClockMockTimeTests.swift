import Foundation
import SynapseClock
import SynapseMockKit
import Testing

/// `VirtualClock.mockTime`: the mocks' view of the scenario clock.
@Suite struct VirtualClockMockTimeTests {
    @Test func mockTimeSleepsOnTheClockAndReportsItsOffsetFromTheEpoch() async throws {
        let clock = VirtualClock()
        let time = clock.mockTime(epoch: Date(timeIntervalSince1970: 1_000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await time.sleep(.milliseconds(1_500)) }
            try await clock.waitForSleepers(count: 1)
            clock.advance(by: .milliseconds(1_500))
            try await group.next()
        }
        #expect(time.now() == Date(timeIntervalSince1970: 1_001.5))
    }
}
