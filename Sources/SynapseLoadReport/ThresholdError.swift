/// Why a `--threshold` argument could not be read; the description quotes the argument and
/// says what is wrong with it and what would be right
/// (`ttft.p95<800xs: unknown unit xs; use us, ms, s or m`).
public struct ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    init(_ source: String, _ problem: String) {
        self.description = "\(source): \(problem)"
    }
}
