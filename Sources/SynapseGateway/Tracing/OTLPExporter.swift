import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SynapseCore
import Synchronization

/// Sends finished spans to an OpenTelemetry collector as OTLP/HTTP JSON (`POST …/v1/traces`),
/// in batches, off the request path.
///
/// The request path only appends to a bounded queue (`enqueue`); when it is full new spans are
/// dropped and counted, never waited for. `run()` sends a batch every `scheduleDelay`, or at
/// once when a full batch is waiting, and after `finish()` sends what is left, then returns.
/// A failed export is logged and its spans dropped: a collector outage must not grow the
/// gateway's memory.
public final class OTLPExporter: Sendable {
    let settings: TracingSettings
    private let endpoint: String
    private let resource: JSONValue
    private let queue = Mutex<[Span]>([])
    private let doorbell = Doorbell()
    private let dropped: @Sendable (Int) -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - instance: the replica's id, exported as `service.instance.id`.
    ///   - dropped: told how many spans were dropped (queue full, export failed), for the metrics.
    public init?(settings: TracingSettings, instance: String, logger: Logger, dropped: @escaping @Sendable (Int) -> Void = { _ in }) {
        guard let endpoint = settings.endpoint else { return nil }
        self.settings = settings
        self.endpoint = endpoint
        self.logger = logger
        self.dropped = dropped
        resource = .obj(
            ("attributes", .array([Self.attribute("service.name", .string(settings.serviceName)), Self.attribute("service.instance.id", .string(instance))])))
    }

    func enqueue(_ span: Span) {
        let (accepted, full) = queue.withLock { queue -> (Bool, Bool) in
            guard queue.count < settings.maxQueueSize else { return (false, false) }
            queue.append(span)
            return (true, queue.count == settings.maxExportBatchSize)
        }
        if !accepted { dropped(1) }
        if full { doorbell.ring() }
    }

    /// Exports until `finish()`; run it beside the server.
    public func run() async {
        await withTaskGroup(of: Void.self) { ticker in
            ticker.addTask { [doorbell, settings] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: settings.scheduleDelay)
                    doorbell.ring()
                }
            }
            while await doorbell.wait() { await exportQueued() }
            ticker.cancelAll()
        }
        await exportQueued()
    }

    /// Sends what is queued and ends `run()`.
    public func finish() {
        doorbell.finish()
    }

    private func exportQueued() async {
        while true {
            let batch = queue.withLock { queue -> [Span] in
                let batch = Array(queue.prefix(settings.maxExportBatchSize))
                queue.removeFirst(batch.count)
                return batch
            }
            if batch.isEmpty { return }
            // Not cancelled with a gateway shut down by cancellation: the last spans still go
            // (within the export timeout).
            await Task { await self.export(batch) }.value
        }
    }

    private func export(_ spans: [Span]) async {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in settings.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: document(spans).bytes()))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(settings.exportTimeout.nanoseconds))
            // The answer is small (a partial-success note at most); read it to free the connection.
            let answer = try await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(response.status.code) else {
                logger.warning(
                    "span export refused", metadata: ["otlp.status": "\(response.status.code)", "otlp.answer": "\(String(buffer: answer).prefix(300))"])
                dropped(spans.count)
                return
            }
        } catch {
            logger.warning("span export failed", metadata: ["otlp.endpoint": "\(endpoint)", "error": "\(error)"])
            dropped(spans.count)
        }
    }

    /// The OTLP/JSON `ExportTraceServiceRequest`: ids in lower-case hex, times as decimal strings.
    func document(_ spans: [Span]) -> JSONValue {
        .obj(
            (
                "resourceSpans",
                .array([
                    .obj(
                        ("resource", resource),
                        ("scopeSpans", .array([.obj(("scope", .obj(("name", .string("synapse")))), ("spans", .array(spans.map(Self.json))))]))
                    )
                ])
            ))
    }

    static func json(_ span: Span) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("traceId", .string(span.context.traceID.hex)), ("spanId", .string(span.context.spanIDHex)),
        ]
        if let parent = span.parentSpanID { members.append(("parentSpanId", .string(Hex.encode(parent)))) }
        if let state = span.context.state { members.append(("traceState", .string(state))) }
        members += [
            ("name", .string(span.name)), ("kind", .int(span.kind.rawValue)),
            ("startTimeUnixNano", .string(String(span.start))), ("endTimeUnixNano", .string(String(span.end))),
            ("attributes", .array(span.attributes.map { attribute($0.0, $0.1) })),
        ]
        if let error = span.error { members.append(("status", .obj(("code", .int(2)), ("message", .string(error))))) }
        return .object(members)
    }

    static func attribute(_ key: String, _ value: Span.Attribute) -> JSONValue {
        let typed: JSONValue =
            switch value {
            case .string(let text): .obj(("stringValue", .string(text)))
            // OTLP/JSON writes 64-bit integers as strings.
            case .int(let number): .obj(("intValue", .string(String(number))))
            case .bool(let flag): .obj(("boolValue", .bool(flag)))
            }
        return .obj(("key", .string(key)), ("value", typed))
    }
}
