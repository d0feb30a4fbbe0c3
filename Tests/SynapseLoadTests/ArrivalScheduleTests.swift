import SynapseCore
import Testing

@testable import SynapseLoad

@Suite struct ArrivalScheduleTests {
    private func arrivals(_ pacing: Pacing, offsets: [Duration] = [.zero], share: LoopShare = .init(index: 0, count: 1), loops: Bool = true, stop: Duration?)
        -> [ArrivalSchedule.Arrival]
    {
        var schedule = ArrivalSchedule(
            pacing: pacing, offsets: offsets, share: share, cycle: RequestCycle(requestCount: offsets.count, loops: loops), stop: stop, seed: 7)
        var result: [ArrivalSchedule.Arrival] = []
        while let next = schedule.next() { result.append(next) }
        return result
    }

    @Test func aConstantRateSpacesArrivalsEvenly() {
        let all = arrivals(.rate(.constant(200), arrival: .constant), stop: .seconds(3))
        #expect(all.count == 600)
        #expect(all.first?.at == .zero)
        #expect(all[1].at == .milliseconds(5))
        #expect(all.last?.at == .milliseconds(2995))
    }

    @Test func twoLoopsShareTheScheduleWithoutOverlap() {
        let first = arrivals(.rate(.constant(100), arrival: .constant), share: .init(index: 0, count: 2), stop: .seconds(1))
        let second = arrivals(.rate(.constant(100), arrival: .constant), share: .init(index: 1, count: 2), stop: .seconds(1))
        #expect(first.count == 50 && second.count == 50)
        let merged = (first + second).sorted { $0.at < $1.at }
        #expect(merged.map(\.ordinal) == Array(0..<100))
        #expect(merged[7].at == .milliseconds(70))
    }

    @Test func recordedTimingIsScaledBySpeed() {
        let offsets: [Duration] = [.zero, .milliseconds(100), .milliseconds(300)]
        let all = arrivals(.recorded(speed: 2), offsets: offsets, loops: false, stop: nil)
        #expect(all.map(\.at) == [.zero, .milliseconds(50), .milliseconds(150)])
    }

    @Test func aLoopedRecordingStartsAgainOneAverageGapLater() {
        let offsets: [Duration] = [.zero, .milliseconds(100), .milliseconds(300)]
        let all = arrivals(.recorded(speed: 1), offsets: offsets, stop: .milliseconds(800))
        // Period 300 + 150 ms.
        #expect(all.map(\.at) == [.zero, .milliseconds(100), .milliseconds(300), .milliseconds(450), .milliseconds(550), .milliseconds(750)])
    }

    @Test func withoutLoopEachRequestIsScheduledOnce() {
        let all = arrivals(.rate(.constant(1000), arrival: .constant), offsets: [.zero, .zero, .zero], loops: false, stop: .seconds(10))
        #expect(all.count == 3)
    }

    @Test func poissonArrivalsHaveTheRateOnAverageAndRepeatWithTheSeed() {
        let pacing = Pacing.rate(.constant(1000), arrival: .poisson)
        let first = arrivals(pacing, share: .init(index: 0, count: 2), stop: .seconds(10))
        let second = arrivals(pacing, share: .init(index: 1, count: 2), stop: .seconds(10))
        let total = first.count + second.count
        #expect(abs(total - 10_000) < 400)  // ±4 σ
        #expect(first.map(\.at) == arrivals(pacing, share: .init(index: 0, count: 2), stop: .seconds(10)).map(\.at))
        #expect(first.map(\.at) != second.map(\.at))
    }

    @Test func aRampBendsTheSchedule() {
        // 0 → 100/s over 1 s: 50 arrivals in the first second, then 100 per second.
        let all = arrivals(.rate(Ramp(initial: 0, stages: [.init(duration: .seconds(1), value: 100)]), arrival: .constant), stop: .seconds(2))
        // (The 50th and 150th fall on the boundaries, where rounding may put them either side.)
        #expect((50...51).contains(all.filter { $0.at < .seconds(1) }.count))
        #expect((150...151).contains(all.count))
    }
}
