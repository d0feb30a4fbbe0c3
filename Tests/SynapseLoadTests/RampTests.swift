import SynapseCore
import Testing

@testable import SynapseLoad

@Suite struct RampTests {
    @Test func parsesStagesFromTheInitialValue() throws {
        let ramp = try Ramp.parse("10s:50,30s:200", initial: 10)
        #expect(ramp.stages == [.init(duration: .seconds(10), value: 50), .init(duration: .seconds(30), value: 200)])
        #expect(ramp.totalDuration == .seconds(40))
        #expect(ramp.value(at: .zero) == 10)
        #expect(ramp.value(at: .seconds(5)) == 30)
        #expect(ramp.value(at: .seconds(25)) == 125)
        #expect(ramp.value(at: .seconds(100)) == 200)
    }

    @Test func acceptsRatesWithAPerSecondSuffixAndStepStages() throws {
        let ramp = try Ramp.parse("0s:100/s,1s:100", initial: 0)
        #expect(ramp.value(at: .zero) == 100)
        #expect(ramp.value(at: .milliseconds(500)) == 100)
    }

    @Test(arguments: ["10s", "10s:", "x:5", "10s:-1", "10s:5,", "10s:5:6"])
    func rejectsMalformedStages(_ text: String) {
        #expect(throws: LoadError.self) { try Ramp.parse(text, initial: 0) }
    }

    @Test func countsArrivalsUnderALinearRamp() {
        // 0 → 20/s over 2 s: 5·t² arrivals.
        let ramp = Ramp(initial: 0, stages: [.init(duration: .seconds(2), value: 20)])
        #expect(abs(ramp.arrivals(by: .seconds(1)) - 5) < 1e-9)
        #expect(abs(ramp.arrivals(by: .seconds(2)) - 20) < 1e-9)
        #expect(abs(ramp.arrivals(by: .seconds(3)) - 40) < 1e-9)
        let tenth = ramp.time(ofArrival: 10)!
        #expect(abs(tenth.seconds - 2.0.squareRoot()) < 1e-6)
        #expect(ramp.time(ofArrival: 30) == .milliseconds(2500))
    }

    @Test func aRateThatStaysAtZeroHasNoFurtherArrivals() {
        let ramp = Ramp(initial: 10, stages: [.init(duration: .seconds(1), value: 0)])
        #expect(ramp.time(ofArrival: 4) != nil)
        #expect(ramp.time(ofArrival: 6) == nil)
    }
}
