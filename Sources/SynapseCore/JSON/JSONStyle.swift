/// How a `JSONValue` is written: separators, which characters are escaped, how floats look.
///
/// Each real server writes JSON its own way, and the mocks must match it byte for byte:
///
/// | Style            | Writer it matches                                   | Example                    |
/// | ---------------- | --------------------------------------------------- | -------------------------- |
/// | `.compact`       | nlohmann `dump()` (llama.cpp), generic compact JSON | `{"a":1.0,"s":"é"}`        |
/// | `.pythonCompact` | Starlette `JSONResponse` (`ensure_ascii=False`)     | `{"a":1.0,"s":"é"}`        |
/// | `.pythonDumps`   | plain `json.dumps(value)` (sse-starlette data)      | `{"a": 1.0, "s": "\u00e9"}` |
/// | `.indented(2)`   | `json.dumps(indent=2)`, UTF-8 kept                  | multi-line                 |
public struct JSONStyle: Sendable {
    /// What goes between items and between a key and its value.
    public enum Layout: Sendable, Equatable {
        /// `,` and `:`.
        case compact
        /// `, ` and `: `, Python's default separators.
        case spaced
        /// One member per line, indented by this many spaces per level; `,` at line ends and `: `.
        case indented(Int)
    }

    public var layout: Layout
    /// Write every character outside printable ASCII as `\uXXXX` (UTF-16 units), as Python's
    /// default `ensure_ascii=True` does. Otherwise only control characters are escaped.
    public var escapesNonASCII: Bool
    /// How floats are spelled.
    public var floats: JSONFloatFormat

    public init(layout: Layout = .compact, escapesNonASCII: Bool = false, floats: JSONFloatFormat = .shortest) {
        self.layout = layout
        self.escapesNonASCII = escapesNonASCII
        self.floats = floats
    }

    /// Compact, UTF-8 kept, shortest floats, NaN and infinities as `null` (nlohmann's `dump()`).
    public static let compact = JSONStyle()
    /// Starlette's `JSONResponse`: compact, UTF-8 kept, floats as Python's `repr`.
    public static let pythonCompact = JSONStyle(floats: .pythonRepr)
    /// Python's `json.dumps(value)` with default arguments: spaced, non-ASCII escaped.
    public static let pythonDumps = JSONStyle(layout: .spaced, escapesNonASCII: true, floats: .pythonRepr)

    /// Pretty-printed with `width` spaces per level, UTF-8 kept.
    public static func indented(_ width: Int, floats: JSONFloatFormat = .shortest) -> JSONStyle {
        JSONStyle(layout: .indented(width), floats: floats)
    }
}

/// The spelling of a float: a small policy, since the one thing real JSON writers disagree on
/// beyond separators is numbers.
///
/// Every writer here prints finite values as the shortest text that reads back to the same
/// `Double` (nlohmann's grisu2, Python's `repr` and Swift's `description` agree digit for digit),
/// always with a `.0` or an exponent: `1.0`, `0.1`, `1e-05`, `1e+16`. They differ on NaN and
/// infinities. A backend with its own spelling makes its own `JSONFloatFormat { … }`.
public struct JSONFloatFormat: Sendable {
    /// Writes one float.
    public let spell: @Sendable (Double) -> String

    public init(_ spell: @escaping @Sendable (Double) -> String) {
        self.spell = spell
    }

    /// Shortest round-trip digits; NaN and infinities become `null`, as nlohmann writes them.
    public static let shortest = JSONFloatFormat { value in
        value.isFinite ? value.description : "null"
    }

    /// Python's `repr(float)` with `json.dumps`' `allow_nan=True` spellings `NaN`, `Infinity`, `-Infinity`.
    ///
    /// Known gap: Python switches to an exponent at 1e16, Swift at 2^53, so integral floats in
    /// [2^53, 1e16) print as `9.007199254740994e+15` where Python writes `9007199254740994.0`.
    public static let pythonRepr = JSONFloatFormat { value in
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }
}
