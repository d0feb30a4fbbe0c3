import Foundation
import Hummingbird
import NIOCore
import SynapseCore
import Synchronization

@testable import SynapseGateway

/// A local OTLP/HTTP receiver (`POST /v1/traces`, JSON) for the tracing tests: it keeps every
/// span it is sent, as decoded from the wire, and the resource attributes of the last export.
final class OTLPReceiver: Sendable {
    /// One span as the collector reads it.
    struct ReceivedSpan: Sendable {
        var traceID: String
        var spanID: String
        var parentSpanID: String?
        var traceState: String?
        var name: String
        var kind: Int
        var start: UInt64
        var end: UInt64
        var attributes: [String: JSONValue]
        var failed: Bool

        func string(_ key: String) -> String? { attributes[key]?["stringValue"]?.stringValue }
        /// OTLP/JSON integers are strings.
        func int(_ key: String) -> Int? { attributes[key]?["intValue"]?.stringValue.flatMap { Int($0) } }
    }

    private let state = Mutex<(spans: [ReceivedSpan], resource: [String: String], contentTypes: [String])>(([], [:], []))

    var spans: [ReceivedSpan] { state.withLock { $0.spans } }
    var resource: [String: String] { state.withLock { $0.resource } }
    var contentTypes: [String] { state.withLock { $0.contentTypes } }

    /// Runs the receiver and passes its `/v1/traces` URL to `body`.
    static func with<T: Sendable>(_ body: @Sendable (OTLPReceiver, String) async throws -> T) async throws -> T {
        let receiver = OTLPReceiver()
        return try await Harness.withUpstream({ router in
            router.post("/v1/traces") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 16 << 20)
                receiver.take(Array(buffer: bytes), contentType: request.headers[.contentType] ?? "")
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
        }) { port in try await body(receiver, "http://127.0.0.1:\(port)/v1/traces") }
    }

    private func take(_ bytes: [UInt8], contentType: String) {
        guard let document = try? JSONValue.parse(bytes) else { return }
        var spans: [ReceivedSpan] = []
        var resource: [String: String] = [:]
        for resourceSpans in document["resourceSpans"]?.arrayValue ?? [] {
            for attribute in resourceSpans["resource"]?["attributes"]?.arrayValue ?? [] {
                if let key = attribute["key"]?.stringValue, let value = attribute["value"]?["stringValue"]?.stringValue { resource[key] = value }
            }
            for scope in resourceSpans["scopeSpans"]?.arrayValue ?? [] {
                for span in scope["spans"]?.arrayValue ?? [] {
                    var attributes: [String: JSONValue] = [:]
                    for attribute in span["attributes"]?.arrayValue ?? [] {
                        if let key = attribute["key"]?.stringValue, let value = attribute["value"] { attributes[key] = value }
                    }
                    spans.append(
                        ReceivedSpan(
                            traceID: span["traceId"]?.stringValue ?? "", spanID: span["spanId"]?.stringValue ?? "",
                            parentSpanID: span["parentSpanId"]?.stringValue, traceState: span["traceState"]?.stringValue,
                            name: span["name"]?.stringValue ?? "", kind: span["kind"]?.intValue ?? 0,
                            start: span["startTimeUnixNano"]?.stringValue.flatMap { UInt64($0) } ?? 0,
                            end: span["endTimeUnixNano"]?.stringValue.flatMap { UInt64($0) } ?? 0,
                            attributes: attributes, failed: span["status"]?["code"]?.intValue == 2))
                }
            }
        }
        state.withLock {
            $0.spans += spans
            $0.resource = resource
            $0.contentTypes.append(contentType)
        }
    }

    /// Waits (up to 10 s) until `count` spans matching `filter` have arrived, and returns them.
    func waitForSpans(_ count: Int, where filter: @escaping (ReceivedSpan) -> Bool = { _ in true }) async throws -> [ReceivedSpan] {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let found = spans.filter(filter)
            if found.count >= count || ContinuousClock.now > deadline { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension SynapseConfig {
    /// Exports spans to `endpoint` every 50 ms (tests wait for them).
    mutating func exportSpans(to endpoint: String) {
        tracing = TracingSettings(endpoint: endpoint)
        tracing.scheduleDelay = .milliseconds(50)
    }
}
