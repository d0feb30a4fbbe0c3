/// Conversions of untrusted floating-point numbers to `Int` that never trap.
///
/// `Int(someDouble)` traps when the value is NaN, infinite or outside `Int`'s range, so a form
/// field such as `bitrate=1e300k` would end the process. Parsers use these instead.
extension Int {
    /// `value` rounded as `rule` says, or nil when it is not finite or does not fit in an `Int`.
    public init?(finite value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        guard value.isFinite else { return nil }
        // `Int(exactly:)` of the rounded value refuses anything outside Int's range.
        guard let exact = Int(exactly: value.rounded(rule)) else { return nil }
        self = exact
    }

    /// `value` rounded as `rule` says and clamped to `range`; NaN gives `range.lowerBound`.
    public init(clamping value: Double, to range: ClosedRange<Int>, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        if value.isNaN {
            self = range.lowerBound
        } else if value <= Double(range.lowerBound) {
            self = range.lowerBound
        } else if value >= Double(range.upperBound) {
            self = range.upperBound
        } else {
            self = Int(finite: value, rounding: rule).map { Swift.min(Swift.max($0, range.lowerBound), range.upperBound) } ?? range.lowerBound
        }
    }
}
