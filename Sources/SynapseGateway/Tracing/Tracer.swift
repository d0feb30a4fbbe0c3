import Foundation
import HTTPTypes
import SynapseCore
import Synchronization

/// Trace context for every request, and spans when an exporter is configured.
///
/// Each request gets a span context (`RequestTelemetry`): a child of the client's `traceparent`
/// when that is valid, else the root of a new trace. It is the task-local `current` while the
/// request is handled, so whatever the handler calls (`UpstreamCaller`'s attempts, the clone
/// flow's steps through `withSpan`) finds its parent without being handed it.
///
/// Sampling follows the parent: a client's `sampled` flag is passed on as it came, and the
/// gateway records only sampled traces; a trace the gateway starts is sampled when it records.
public final class Tracer: Sendable {
    /// The span the running task works for; nil outside a request (health probes, model polling).
    @TaskLocal static var current: SpanContext?

    let exporter: OTLPExporter?
    private let randomID: @Sendable () -> UInt64
    /// Wall-clock time, Unix nanoseconds (spans are read against other processes' clocks).
    let now: @Sendable () -> UInt64

    /// - Parameters:
    ///   - exporter: where sampled spans go; nil records none (trace context is still propagated).
    ///   - randomID: trace and span ids; tests pass a seeded sequence.
    ///   - now: Unix nanoseconds; default the system's real-time clock.
    public init(
        exporter: OTLPExporter?, randomID: @escaping @Sendable () -> UInt64 = IDSource().next,
        now: @escaping @Sendable () -> UInt64 = Tracer.wallClock
    ) {
        self.exporter = exporter
        self.randomID = randomID
        self.now = now
    }

    /// Records nothing, still propagates.
    static let propagating = Tracer(exporter: nil)

    var isRecording: Bool { exporter != nil }

    /// Whether a span of `context` will be exported: its trace is sampled and there is a
    /// collector. Nothing about a span is built otherwise (this is asked on every request).
    func records(_ context: SpanContext) -> Bool {
        context.sampled && isRecording
    }

    /// The request's span from the request's trace headers; `tracestate` (all its fields joined)
    /// is read only when the `traceparent` is valid, since a request seldom has one.
    func requestContext(in headers: HTTPFields) -> (context: SpanContext, parent: UInt64?) {
        requestContext(traceparent: headers.value(of: Self.traceparentField)) { headers.values(of: Self.tracestateField).joined(separator: ",") }
    }

    static let traceparentField = HTTPField.Name("traceparent")!
    static let tracestateField = HTTPField.Name("tracestate")!

    private func requestContext(traceparent: String?, tracestate: () -> String?) -> (context: SpanContext, parent: UInt64?) {
        if let traceparent, let incoming = SpanContext.parse(traceparent: traceparent) {
            let context = SpanContext(
                traceID: incoming.traceID, spanID: newID(), sampled: incoming.flags & 1 == 1, state: SpanContext.acceptable(tracestate: tracestate()))
            return (context, incoming.parent)
        }
        // A tracestate without a valid traceparent belongs to nothing: dropped.
        return (SpanContext(traceID: .init(high: randomID(), low: newID()), spanID: newID(), sampled: isRecording, state: nil), nil)
    }

    /// A new span in `parent`'s trace.
    func child(of parent: SpanContext) -> SpanContext {
        SpanContext(traceID: parent.traceID, spanID: newID(), sampled: parent.sampled, state: parent.state)
    }

    /// Hands a finished span to the exporter when its trace is sampled.
    func record(_ span: Span) {
        guard records(span.context), let exporter else { return }
        exporter.enqueue(span)
    }

    /// Runs `body` as a span of its own under the current one (an internal step, such as the
    /// clone flow's reference upload), so the backend calls it makes are its children.
    /// Without a current span (outside a request) it just runs `body`.
    func withSpan<T>(_ name: String, attributes: [(String, Span.Attribute)] = [], _ body: () async throws -> T) async throws -> T {
        guard let parent = Self.current else { return try await body() }
        let context = child(of: parent)
        let start = now()
        let finish = { [self] (error: String?) in
            record(
                Span(context: context, parentSpanID: parent.spanID, name: name, kind: .internal, start: start, end: now(), attributes: attributes, error: error)
            )
        }
        do {
            let value = try await Self.$current.withValue(context) { try await body() }
            finish(nil)
            return value
        } catch {
            finish(String(describing: error))
            throw error
        }
    }

    /// A non-zero id (zero means "none" in both trace context and OTLP).
    private func newID() -> UInt64 {
        while true {
            let id = randomID()
            if id != 0 { return id }
        }
    }

    /// Ids from a generator seeded once from the system's: distinct within the process (SplitMix64
    /// visits every value once per 2^64), unpredictable across processes, and no system call per
    /// id (the system generator makes one for each; a request takes three or four).
    public final class IDSource: Sendable {
        private let generator = Mutex(SplitMix64(seed: UInt64.random(in: .min ... .max)))

        public init() {}

        public func next() -> UInt64 {
            generator.withLock { $0.next() }
        }
    }

    /// Foundation's clock (to about a quarter microsecond): `timespec` does not build in every
    /// configuration (the release build with a static standard library refuses its members).
    public static let wallClock: @Sendable () -> UInt64 = {
        UInt64(Date().timeIntervalSince1970 * 1_000_000_000)
    }
}
