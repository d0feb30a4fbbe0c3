import SynapseClock
import Synchronization
import Testing

@testable import SynapseScenarios

/// The time driver moves the virtual clock only while every request waits on it.
@Suite struct TimeDriverTests {
    /// An ordered log shared by the simulated request and the driver's actions.
    final class Log: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func aRequestThatIsNotAsleepCountsAsBusy() async throws {
        let clock = VirtualClock()
        let driver = TimeDriver(time: .virtual(clock))
        #expect(driver.everyRequestWaitsOnTheClock(clock))
        driver.traffic.begin()
        #expect(!driver.everyRequestWaitsOnTheClock(clock))
        driver.traffic.end()
        #expect(driver.everyRequestWaitsOnTheClock(clock))
    }

    /// The misfire this guards against: a request busy on slow real I/O (a loaded machine) for far
    /// longer than the quiet period, while a `during` action waits at 1 s. A driver that trusted
    /// quiet alone would jump to 1 s and clear the fault before the request even reached its
    /// 0.5 s backoff.
    @Test func slowRealWorkHoldsTheClockUntilTheRequestSleepsOnIt() async throws {
        let clock = VirtualClock()
        let driver = TimeDriver(time: .virtual(clock), quietPeriod: .milliseconds(2), stallLimit: .seconds(600))
        let log = Log()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await driver.drive(start: .zero, during: [(at: .seconds(1), action: .clear(mocks: ["llama-embed"]))]) { _ in
                    log.add("action at \(clock.now.offset)")
                }
            }
            driver.traffic.begin()
            group.addTask {
                // Stands in for a connect and upload that take 50 quiet periods on a busy machine.
                try? await Task.sleep(for: .milliseconds(100))
                log.add("io done at \(clock.now.offset)")
                try? await clock.sleep(until: .init(offset: .milliseconds(500)))
                log.add("backoff done at \(clock.now.offset)")
                try? await clock.sleep(until: .init(offset: .milliseconds(1500)))
                log.add("retry at \(clock.now.offset)")
                driver.traffic.end()
            }
            await group.next()
            group.cancelAll()
        }
        #expect(log.all == ["io done at 0.0 seconds", "backoff done at 0.5 seconds", "action at 1.0 seconds", "retry at 1.5 seconds"])
    }

    @Test func workTheDriverCannotSeeStillLetsTheClockMoveAfterTheStallLimit() async throws {
        let clock = VirtualClock()
        let driver = TimeDriver(time: .virtual(clock), quietPeriod: .milliseconds(1), stallLimit: .milliseconds(20))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await driver.drive(start: .zero, during: []) { _ in } }
            // Two requests, one sleeper: as when two syntheses share one upload.
            driver.traffic.begin()
            driver.traffic.begin()
            group.addTask { try? await clock.sleep(until: .init(offset: .seconds(30))) }
            await group.next()
            group.cancelAll()
        }
        #expect(clock.now.offset == .seconds(30))
        #expect(driver.traffic.inFlight == 2)
    }

    /// A request moving real bytes with its deadline timer armed: however long it stays busy
    /// (past the stall limit), the driver must not jump to the deadline and time it out.
    @Test func aDeadlineTimerIsNeverJumpedToWhileARequestIsBusy() async throws {
        let clock = VirtualClock()
        let driver = TimeDriver(time: .virtual(clock), quietPeriod: .milliseconds(1), stallLimit: .milliseconds(20))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await driver.drive(start: .zero, during: []) { _ in } }
            driver.traffic.begin()
            group.addTask { try? await clock.sleep(untilDeadline: .init(offset: .seconds(60))) }
            // Ten stall limits of real time with nothing but the timer on the clock.
            try? await Task.sleep(for: .milliseconds(200))
            #expect(clock.timerCount == 1)
            group.cancelAll()
        }
        #expect(clock.now.offset == .zero)
    }

    /// The hung backend: the request is parked on a work sleep (the mock's `hang`), so the driver
    /// may move to the earlier deadline timer, which fires at its own virtual instant.
    @Test func aRequestParkedOnTheClockReachesItsDeadlineTimer() async throws {
        let clock = VirtualClock()
        let driver = TimeDriver(time: .virtual(clock), quietPeriod: .milliseconds(1), stallLimit: .seconds(600))
        let log = Log()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await driver.drive(start: .zero, during: []) { _ in } }
            driver.traffic.begin()
            group.addTask {
                let deadline = Deadline(after: .seconds(60), clock: clock)
                do {
                    try await deadline.run { try await clock.sleep(for: .seconds(3600)) }
                    log.add("work finished at \(clock.now.offset)")
                } catch {
                    log.add("\(error) at \(clock.now.offset)")
                }
                driver.traffic.end()
            }
            while log.all.isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
            group.cancelAll()
        }
        #expect(log.all == ["DeadlineExceeded() at 60.0 seconds"])
    }
}
