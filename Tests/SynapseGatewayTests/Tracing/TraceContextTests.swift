import Foundation
import HTTPTypes
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// `traceparent` parsing by the W3C rules, ids from an injected generator, and the exporter's
/// bounded queue.
@Suite struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func aValidTraceparentIsReadAndWrittenBackAlike() throws {
        let parsed = try #require(SpanContext.parse(traceparent: Self.valid))
        #expect(parsed.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.parent == 0x00f0_67aa_0ba9_02b7 && parsed.flags == 1)
        let context = SpanContext(traceID: parsed.traceID, spanID: parsed.parent, sampled: true, state: nil)
        #expect(context.traceparent == Self.valid)
        // A later version may append fields; they are ignored.
        #expect(SpanContext.parse(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever") != nil)
        #expect(SpanContext.parse(traceparent: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") != nil)
    }

    @Test(arguments: [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 is exactly 55
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is invalid
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",  // misplaced dash
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a later version's extra needs a dash
    ])
    func anInvalidTraceparentIsIgnored(_ value: String) {
        #expect(SpanContext.parse(traceparent: value) == nil)
    }

    @Test func idsComeFromTheInjectedGeneratorAndNeverZero() {
        let sequence = Mutex<[UInt64]>([0, 7, 0, 8, 9, 10])
        let tracer = Tracer(exporter: nil, randomID: { sequence.withLock { $0.removeFirst() } }, now: { 42 })
        let (root, parent) = tracer.requestContext(in: [Tracer.tracestateField: "orphan=1"])
        #expect(parent == nil && root.state == nil && !root.sampled)
        #expect(root.traceID == .init(high: 0, low: 7))
        #expect(root.spanID == 8)
        let child = tracer.child(of: root)
        #expect(child.traceID == root.traceID && child.spanID == 9)
        #expect(child.traceparent == "00-00000000000000000000000000000007-0000000000000009-00")
    }

    @Test func aTracestateIsKeptOnlyWhenItIsReasonable() {
        #expect(SpanContext.acceptable(tracestate: "a=1,b=2") == "a=1,b=2")
        #expect(SpanContext.acceptable(tracestate: String(repeating: "a", count: 513)) == nil)
        #expect(SpanContext.acceptable(tracestate: "a=\u{7f}") == nil)
        #expect(SpanContext.acceptable(tracestate: "") == nil)
    }

    @Test func aFullQueueDropsNewSpansAndCountsThem() throws {
        var settings = TracingSettings(endpoint: "http://127.0.0.1:1/v1/traces")
        settings.maxQueueSize = 2
        let dropped = Mutex(0)
        let exporter = try #require(OTLPExporter(settings: settings, instance: "a", logger: Harness.quietLogger) { count in dropped.withLock { $0 += count } })
        let span = Span(
            context: SpanContext(traceID: .init(high: 1, low: 2), spanID: 3, sampled: true, state: nil), parentSpanID: nil, name: "x", kind: .server,
            start: 1, end: 2, attributes: [], error: nil)
        for _ in 0..<5 { exporter.enqueue(span) }
        #expect(dropped.withLock { $0 } == 3)
        #expect(OTLPExporter(settings: TracingSettings(), instance: "a", logger: Harness.quietLogger) == nil)
    }

    @Test func theExportDocumentIsOTLPJSON() throws {
        var settings = TracingSettings(endpoint: "http://127.0.0.1:1/v1/traces")
        settings.serviceName = "gw"
        let exporter = try #require(OTLPExporter(settings: settings, instance: "pod-a", logger: Harness.quietLogger))
        let span = Span(
            context: SpanContext(traceID: .init(high: 1, low: 2), spanID: 3, sampled: true, state: "k=v"), parentSpanID: 4, name: "POST",
            kind: .client, start: 1_700_000_000_000_000_000, end: 1_700_000_000_000_000_100,
            attributes: [("a", .string("b")), ("n", .int(7)), ("f", .bool(true))], error: "connect_failed")
        let text = exporter.document([span]).text()
        #expect(text.contains(#""traceId":"00000000000000010000000000000002","spanId":"0000000000000003","parentSpanId":"0000000000000004""#))
        #expect(text.contains(#""traceState":"k=v","name":"POST","kind":3,"startTimeUnixNano":"1700000000000000000""#))
        #expect(text.contains(#"{"key":"n","value":{"intValue":"7"}}"#) && text.contains(#"{"key":"f","value":{"boolValue":true}}"#))
        #expect(text.contains(#""status":{"code":2,"message":"connect_failed"}"#))
        #expect(text.contains(#"{"key":"service.name","value":{"stringValue":"gw"}}"#))
    }
}
