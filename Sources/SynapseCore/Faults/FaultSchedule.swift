/// The running state of one `FaultRule`: counts targeted requests and decides, without I/O,
/// whether the next one is hit. The only source of randomness is the rule's seeded coin.
///
/// Order of checks for each targeted request: `every` (is this the k-th?), then the coin
/// (`probability`), then `times` is charged. A spent rule hits nothing.
///
/// | every | probability | times | requests 1…6 hit |
/// | ----- | ----------- | ----- | ---------------- |
/// | –     | –           | 3     | ✓ ✓ ✓ · · ·      |
/// | 2     | –           | –     | · ✓ · ✓ · ✓      |
/// | 2     | –           | 1     | · ✓ · · · ·      |
public struct FaultSchedule: Sendable {
    /// The rule being scheduled.
    public let rule: FaultRule
    /// Targeted requests seen so far.
    public private(set) var targeted = 0
    /// Requests hit so far.
    public private(set) var hits = 0
    private var coin: SplitMix64

    public init(rule: FaultRule) {
        self.rule = rule
        self.coin = SplitMix64(seed: rule.seed ?? 0)
    }

    /// Whether the rule has used up its `times`.
    public var isSpent: Bool {
        if let times = rule.times { return hits >= times }
        return false
    }

    /// Records one targeted request and says whether the fault applies to it.
    public mutating func admit() -> Bool {
        guard !isSpent else { return false }
        targeted += 1
        if let every = rule.every, targeted % every != 0 { return false }
        if let probability = rule.probability {
            // 53 random bits give a uniform Double in [0, 1).
            let draw = Double(coin.next() >> 11) * 0x1p-53
            if draw >= probability { return false }
        }
        hits += 1
        return true
    }
}
