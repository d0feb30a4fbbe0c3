/// A finished span, as exported: what happened, when (Unix nanoseconds), and where in its trace.
struct Span: Sendable {
    /// OTLP's span kinds.
    enum Kind: Int, Sendable {
        case `internal` = 1
        case server = 2
        case client = 3
    }

    enum Attribute: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
    }

    var context: SpanContext
    var parentSpanID: UInt64?
    var name: String
    var kind: Kind
    var start: UInt64
    var end: UInt64
    var attributes: [(String, Attribute)]
    /// Set when the span failed (OTLP status ERROR with this message); nil leaves the status unset.
    var error: String?
}
