import Foundation
import SynapseClock
import Testing

@Suite struct VirtualClockTests {
    @Test func sleepSuspendsUntilTheClockIsAdvancedPastItsDeadline() async throws {
        let clock = VirtualClock()
        try await withThrowingTaskGroup(of: VirtualClock.Instant.self) { group in
            group.addTask {
                try await clock.sleep(for: .seconds(2))
                return clock.now
            }
            try await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(1))
            #expect(clock.sleeperCount == 1)
            clock.advance(by: .seconds(1))
            let wokeAt = try await group.next()
            #expect(wokeAt == VirtualClock.Instant(offset: .seconds(2)))
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test func sleepingUntilThePastReturnsAtOnce() async throws {
        let clock = VirtualClock()
        clock.advance(by: .seconds(5))
        try await clock.sleep(until: VirtualClock.Instant(offset: .seconds(5)))
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellationWakesASleeperWithCancellationError() async throws {
        let clock = VirtualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func advancingWakesOnlyTheSleepersThatAreDue() async throws {
        let clock = VirtualClock()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for seconds in [1, 2, 3] {
                group.addTask {
                    try await clock.sleep(for: .seconds(seconds))
                    return seconds
                }
            }
            try await clock.waitForSleepers(count: 3)
            clock.advance(by: .milliseconds(2_500))
            var woken = [try await group.next(), try await group.next()].compactMap { $0 }
            #expect(woken.sorted() == [1, 2])
            #expect(clock.sleeperCount == 1)
            clock.advance(to: VirtualClock.Instant(offset: .seconds(3)))
            woken.append(contentsOf: [try await group.next()].compactMap { $0 })
            #expect(woken.sorted() == [1, 2, 3])
        }
    }

    @Test func aDeadlineTimerIsNoSleeperButWakesLikeOne() async throws {
        let clock = VirtualClock()
        try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                try await clock.sleep(untilDeadline: VirtualClock.Instant(offset: .seconds(60)))
                return "timer"
            }
            group.addTask {
                try await clock.sleep(for: .seconds(600))
                return "work"
            }
            try await clock.waitForSleepers(count: 1)
            while clock.timerCount < 1 { try await Task.sleep(for: .milliseconds(1)) }  // the child arms its timer: no event to wait on for timers
            // The timer is due first and is what `nextDeadline` reports, but it is not a sleeper.
            #expect(clock.sleeperCount == 1)
            #expect(clock.nextDeadline == VirtualClock.Instant(offset: .seconds(60)))
            #expect(clock.nextWorkDeadline == VirtualClock.Instant(offset: .seconds(600)))
            #expect(clock.advanceToNextDeadline())
            #expect(try await group.next() == "timer")
            #expect(clock.timerCount == 0)
            #expect(clock.sleeperCount == 1)
            group.cancelAll()
        }
    }

    @Test func aDeadlineRunCutsWorkThatOutlivesItOnVirtualTime() async throws {
        let clock = VirtualClock()
        let deadline = Deadline(after: .seconds(60), clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: DeadlineExceeded.self) {
                    try await deadline.run { try await clock.sleep(for: .seconds(600)) }
                }
            }
            try await clock.waitForSleepers(count: 1)
            while clock.timerCount < 1 { try await Task.sleep(for: .milliseconds(1)) }  // the child arms its timer: no event to wait on for timers
            clock.advance(by: .seconds(60))
            try await group.next()
            // The work was cancelled with the race: nothing is left on the clock.
            #expect(clock.sleeperCount == 0 && clock.timerCount == 0)
        }
        #expect(try await Deadline(after: .seconds(5), clock: clock).run { 42 } == 42)
    }

    @Test func advanceToNextDeadlineWakesTheEarliestSleeperOnly() async throws {
        let clock = VirtualClock()
        #expect(!clock.advanceToNextDeadline())
        try await withThrowingTaskGroup(of: Int.self) { group in
            for seconds in [7, 3] {
                group.addTask {
                    try await clock.sleep(for: .seconds(seconds))
                    return seconds
                }
            }
            try await clock.waitForSleepers(count: 2)
            #expect(clock.nextDeadline == VirtualClock.Instant(offset: .seconds(3)))
            #expect(clock.advanceToNextDeadline())
            #expect(try await group.next() == 3)
            #expect(clock.now.offset == .seconds(3))
            #expect(clock.advanceToNextDeadline())
            #expect(try await group.next() == 7)
        }
    }
}
