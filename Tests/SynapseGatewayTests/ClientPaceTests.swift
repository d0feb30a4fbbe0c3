import Testing

@testable import SynapseGateway

/// The slow-client bookkeeping, on made-up instants (nanoseconds): no sockets, no sleeping.
@Suite struct ClientPaceTests {
    static let second: UInt64 = 1_000_000_000
    let pace = ClientPace(
        .init(
            headerReadTimeout: .seconds(10), bodyIdleTimeout: .seconds(30), minBodyRate: 1024,
            bodyRateGracePeriod: .seconds(30)))

    @Test func headMustCompleteWithinTheTimeoutOfItsFirstByte() {
        var pace = pace
        // Idle between requests: nothing is watched (a keep-alive connection may wait).
        #expect(pace.nextCheck(after: 0) == nil)
        pace.readRequested(at: 0)
        #expect(pace.check(at: 100 * Self.second) == .fine)
        // A first byte at 100 s that completes nothing starts the head's clock.
        pace.readCompleted(at: 100 * Self.second, sawParts: false)
        #expect(pace.nextCheck(after: 100 * Self.second) == 110 * Self.second)
        #expect(pace.check(at: 109 * Self.second) == .fine)
        #expect(pace.check(at: 110 * Self.second) == .headTooSlow)
    }

    @Test func aWholeRequestInOneReadStartsNoClock() {
        var pace = pace
        pace.readRequested(at: 0)
        pace.headReceived(at: 0)
        #expect(pace.bodyReceived(500, at: Self.second) == .fine)
        pace.endReceived()
        pace.readCompleted(at: Self.second, sawParts: true)
        #expect(pace.phase == .idle)
        #expect(pace.nextCheck(after: Self.second) == nil)
    }

    @Test func aRequestAfterALongKeepAliveWaitIsNotBlamedForTheWait() {
        var pace = pace
        // The gateway asked for the next request at 0; it comes, whole, at 100 s.
        pace.readRequested(at: 0)
        pace.headReceived(at: 100 * Self.second)
        #expect(pace.bodyReceived(500, at: 100 * Self.second) == .fine)
        #expect(pace.check(at: 100 * Self.second) == .fine)
        pace.endReceived()
        pace.readCompleted(at: 100 * Self.second, sawParts: true)
        #expect(pace.phase == .idle)
    }

    @Test func bodySilenceIsCutOnlyWhileTheGatewayWaitsForIt() {
        var pace = pace
        pace.readRequested(at: 0)
        pace.headReceived(at: 0)
        pace.readCompleted(at: 0, sawParts: true)
        // The gateway asks for nothing (its backend is slow to take the upload): no blame.
        #expect(pace.check(at: 60 * Self.second) == .fine)
        pace.readRequested(at: 60 * Self.second)
        #expect(pace.nextCheck(after: 60 * Self.second) == 90 * Self.second)
        #expect(pace.check(at: 89 * Self.second) == .fine)
        #expect(pace.check(at: 90 * Self.second) == .bodyIdle)
    }

    @Test func aTrickleIsCutOnceTheGracePeriodHasPassed() {
        var pace = pace
        pace.readRequested(at: 0)
        pace.headReceived(at: 0)
        pace.readCompleted(at: 0, sawParts: true)
        // One byte a second: never silent for 30 s, but far below 1 KiB/s.
        var verdict = ClientPace.Verdict.fine
        var second: UInt64 = 0
        while verdict == .fine, second < 100 {
            pace.readRequested(at: second * Self.second)
            second += 1
            verdict = pace.bodyReceived(1, at: second * Self.second)
            pace.readCompleted(at: second * Self.second, sawParts: true)
        }
        #expect(verdict == .bodyTooSlow)
        #expect(second == 30)
    }

    @Test func aSteadyUploadIsNeverCut() {
        var pace = pace
        pace.readRequested(at: 0)
        pace.headReceived(at: 0)
        pace.readCompleted(at: 0, sawParts: true)
        for second in 1...300 as ClosedRange<UInt64> {
            pace.readRequested(at: (second - 1) * Self.second)
            #expect(pace.bodyReceived(2048, at: second * Self.second) == .fine)
            pace.readCompleted(at: second * Self.second, sawParts: true)
        }
        #expect(pace.check(at: 300 * Self.second) == .fine)
    }
}
