import Foundation

/// The kind of a figure, and how reports write it: one place for "12.3 ms", "0.42%", "1.5 MiB".
public enum FigureUnit: String, Sendable, Equatable {
    /// Microseconds, written as µs, ms or s.
    case duration
    /// A fraction 0 … 1, written as a percentage.
    case fraction
    /// Per second.
    case rate
    /// A whole number.
    case count
    /// A unit-less ratio (RTF).
    case ratio

    /// `value` (in this unit's base: microseconds, a fraction, …) for a reader.
    public func format(_ value: Double) -> String {
        switch self {
        case .duration: Self.duration(micros: value)
        case .fraction: Self.decimal(value * 100, significant: 3) + "%"
        case .rate: Self.decimal(value, significant: 4) + "/s"
        case .count: String(Int(value.rounded()))
        case .ratio: Self.decimal(value, significant: 3)
        }
    }

    /// `850 µs`, `12.3 ms`, `1.52 s`, `2m 05s`.
    public static func duration(micros: Double) -> String {
        switch micros {
        case ..<1_000: decimal(micros, significant: 3) + " µs"
        case ..<1_000_000: decimal(micros / 1_000, significant: 3) + " ms"
        case ..<120_000_000: decimal(micros / 1_000_000, significant: 3) + " s"
        default:
            "\(Int(micros / 60_000_000))m " + String(format: "%02ds", Int(micros / 1_000_000) % 60)
        }
    }

    /// `512 B`, `1.5 KiB`, `12.0 MiB`.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(count) B" : String(format: "%.1f ", value) + units[index]
    }

    /// About `significant` digits, never a fraction digit past the thousandths, no trailing
    /// zeros and never an exponent: 0.5, 12.3, 1234, 0.042, 1.
    public static func decimal(_ value: Double, significant: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value < 0 ? "-∞" : "∞") }
        let magnitude = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down)) + 1
        let fractionDigits = min(3, max(0, significant - magnitude))
        var text = String(format: "%.\(fractionDigits)f", value)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
