import Foundation
import SynapseCore

/// The intended send times of one loop's share of a timed run (recorded timing or an open
/// model), computed, never waited for: the engine asks for the next due arrival and sleeps on
/// the event loop until then. Pure arithmetic over offsets from the run's start, so tests
/// check the schedule without a clock.
struct ArrivalSchedule: Sendable {
    /// One intended request: when, and which (the run's ordinal; `RequestCycle` maps it).
    struct Arrival: Sendable, Equatable {
        var at: Duration
        var ordinal: Int
    }

    private enum Source: Sendable {
        /// Offsets of the recording scaled by 1/speed; a `--loop` pass starts `period` after the previous.
        case recorded(offsets: [Duration], period: Duration)
        /// The n-th arrival of the whole run at `ramp.time(ofArrival: n)`; this loop takes its share.
        case constant(Ramp)
        /// An independent Poisson process per loop at 1/count of the rate: together, one at the full rate.
        case poisson(Ramp, SplitMix64, elapsedArrivals: Double)
    }

    private var source: Source
    private let share: LoopShare
    private let cycle: RequestCycle
    /// Arrivals at or after this are not made (the end of `--duration`, or of the ramp).
    private let stop: Duration?
    private var local = 0

    init(pacing: Pacing, offsets: [Duration], share: LoopShare, cycle: RequestCycle, stop: Duration?, seed: UInt64) {
        self.share = share
        self.cycle = cycle
        self.stop = stop
        switch pacing {
        case .recorded(let speed):
            let scaled = offsets.map { $0 / speed }
            source = .recorded(offsets: scaled, period: Self.loopPeriod(scaled))
        case .rate(let ramp, .constant):
            source = .constant(ramp)
        case .rate(let ramp, .poisson):
            // Each loop its own stream: seed + loop index, so the run is reproducible per loop count.
            source = .poisson(ramp, SplitMix64(seed: seed &+ UInt64(share.index)), elapsedArrivals: 0)
        case .concurrency:
            preconditionFailure("the closed model has no schedule")
        }
    }

    /// A recording replayed with `--loop` starts again one average gap after its last request,
    /// so the passes join without a burst or a hole (1 s for a one-request recording).
    static func loopPeriod(_ offsets: [Duration]) -> Duration {
        guard let last = offsets.last, offsets.count > 1, last > .zero else { return (offsets.last ?? .zero) + .seconds(1) }
        return last + last / (offsets.count - 1)
    }

    /// The next arrival of this loop's share, or nil when there are no more.
    mutating func next() -> Arrival? {
        let ordinal: Int
        let at: Duration?
        switch source {
        case .recorded(let offsets, let period):
            ordinal = share.ordinal(local)
            guard !offsets.isEmpty else { return nil }
            at = offsets[ordinal % offsets.count] + period * (ordinal / offsets.count)
        case .constant(let ramp):
            ordinal = share.ordinal(local)
            at = ramp.time(ofArrival: Double(ordinal))
        case .poisson(let ramp, var generator, let elapsed):
            ordinal = share.ordinal(local)
            // Exponential gap with mean 1 (in arrivals), mapped through the ramp: mean 1/rate in time.
            let uniform = Double(generator.next() >> 11) / Double(1 << 53)
            let total = elapsed - Foundation.log(1 - uniform) * Double(share.count)
            source = .poisson(ramp, generator, elapsedArrivals: total)
            at = ramp.time(ofArrival: total)
        }
        guard cycle.request(for: ordinal) != nil, let at, stop.map({ at < $0 }) ?? true else { return nil }
        local += 1
        return Arrival(at: at, ordinal: ordinal)
    }
}
