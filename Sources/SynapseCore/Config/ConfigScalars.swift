/// Parsing of the scalar notations used in configuration files: durations (`500ms`, `30s`, `5m`)
/// and sizes (`64KiB`, `10MiB`, `1GB`). Parsed once, here; everything else sees `Duration` and `Int`.
public enum ConfigScalars {
    /// `250ms`, `1.5s`, `30s`, `5m`, `1h`; a bare number means seconds. Negative values are rejected.
    public static func duration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = text.trimmingWhitespace()
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            // "ms" must win over "s": it is listed first.
            let number = trimmed.dropLast(suffix.count).trimmingWhitespace()
            // `Int(finite:)`: `1e300s` is refused, not a trap in `Int64(_:)`.
            guard let value = Double(number), value >= 0, let ms = Int(finite: value * scale * 1000) else { return nil }
            return .milliseconds(ms)
        }
        guard let seconds = Double(trimmed), seconds >= 0, let ms = Int(finite: seconds * 1000) else { return nil }
        return .milliseconds(ms)
    }

    /// `512`, `64KiB`, `10MiB`, `1GiB`, `10KB`, `5MB`, `1GB` (KB = 1000, KiB = 1024).
    public static func size(_ text: String) -> Int? {
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
            ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        let trimmed = text.trimmingWhitespace()
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let value = Double(trimmed.dropLast(suffix.count).trimmingWhitespace()), value >= 0 else { return nil }
            // `Int(finite:)`: `1e300KiB` and `infMiB` are refused, not a trap in `Int(_:)`.
            return Int(finite: value * Double(scale))
        }
        return Int(trimmed).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Renders a duration the way `duration(_:)` reads it back (`500ms`, `30s`, `1.5s`).
    public static func format(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms % 1000 != 0 { return "\(ms)ms" }
        return "\(ms / 1000)s"
    }

    /// Renders a size in the largest binary unit that divides it.
    public static func format(size: Int) -> String {
        for (suffix, scale) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where size >= scale && size % scale == 0 {
            return "\(size / scale)\(suffix)"
        }
        return "\(size)"
    }
}

extension StringProtocol {
    public func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
