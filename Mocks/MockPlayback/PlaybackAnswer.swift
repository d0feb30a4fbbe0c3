import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseHAR
import SynapseMockKit

/// A recorded answer as a `Response`: the recorded status and headers, and the body byte for
/// byte, paced by the timing mode.
///
/// ```
/// recorded: ──wait (timings.wait)──▶ head ──event 1 at its offsetMs──▶ event 2 … ──▶ end
///           (a plain body: its chunks spread over timings.receive)
/// none:     head, then the whole body (events back to back)
/// ```
///
/// Headers lose what describes the old connection or the old framing: hop-by-hop headers (and
/// those `Connection` names), `Content-Length` and `Transfer-Encoding` (Hummingbird frames the body
/// it sends: a length for a plain body, chunked for an event stream), `Content-Encoding` (a HAR
/// body is stored decoded) and HTTP/2 pseudo-headers from browser exports.
struct PlaybackAnswer: Sendable {
    static let droppedHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "content-length",
        "content-encoding",
    ]

    let exchange: RecordedExchange
    let timing: PlaybackTiming
    let time: MockTime

    /// Waits the recorded time to first byte (`recorded`), then returns the response whose body
    /// writes the recording.
    func response(toMethod method: HTTPRequest.Method) async throws -> Response {
        let wait = Self.duration(milliseconds: exchange.entry.timings.wait)
        if timing == .recorded, wait > .zero { try await time.sleep(wait) }
        let recorded = exchange.entry.response
        let status = HTTPResponse.Status(code: recorded.status, reasonPhrase: recorded.statusText)
        let headers = Self.headers(recorded.headers)
        // No body for HEAD and for statuses that never carry one (RFC 9110 §6.4.1).
        if method == .head || status.code == 204 || status.code == 304 {
            return Response(status: status, headers: headers, body: ResponseBody())
        }
        let body = exchange.responseBody
        if let events = exchange.responseEvents, !events.isEmpty {
            return Response(status: status, headers: headers, body: ResponseBody { writer in try await writeEvents(events, of: body, to: &writer) })
        }
        return Response(status: status, headers: headers, body: ResponseBody(contentLength: body.count) { writer in try await writeBody(body, to: &writer) })
    }

    /// Writes a plain body chunk by chunk; with recorded timing, spread over the recorded
    /// `receive` time in proportion to the bytes sent (a chunk is due when the bytes before it
    /// are), so a body of one chunk goes at once.
    private func writeBody(_ body: RecordedBody, to writer: inout any ResponseBodyWriter) async throws {
        let receive = timing == .recorded ? Self.duration(milliseconds: exchange.entry.timings.receive) : .zero
        let start = time.elapsed()
        var sent = 0
        try await BodyChunks.read(body, range: 0..<body.count) { chunk in
            if receive > .zero, sent > 0 {
                // Integer arithmetic on the duration keeps the schedule exact.
                let due = receive * sent / body.count - (time.elapsed() - start)
                if due > .zero { try await time.sleep(due) }
            }
            try await writer.write(chunk)
            sent += chunk.readableBytes
        }
        try await writer.finish(nil)
    }

    /// Writes each event's bytes (`previous end ..< end`) at its recorded offset from the head,
    /// measured on the mock clock from the start (so one late wake-up does not delay the rest),
    /// then whatever follows the last event.
    private func writeEvents(_ events: [HARStreamEvent], of body: RecordedBody, to writer: inout any ResponseBodyWriter) async throws {
        let start = time.elapsed()
        var previous = 0
        for event in events {
            if timing == .recorded {
                let due = Self.duration(milliseconds: event.offsetMs) - (time.elapsed() - start)
                if due > .zero { try await time.sleep(due) }
            }
            // One write per event, so each reaches the client as its own flush.
            var chunk = ByteBuffer()
            try await BodyChunks.read(body, range: previous..<event.end) { chunk.writeImmutableBuffer($0) }
            if chunk.readableBytes > 0 { try await writer.write(chunk) }
            previous = event.end
        }
        try await BodyChunks.read(body, range: previous..<body.count) { try await writer.write($0) }
        try await writer.finish(nil)
    }

    /// The recorded headers that still apply, in their recorded order.
    static func headers(_ recorded: [HARNameValue]) -> HTTPFields {
        let named = Set(
            recorded.filter { $0.name.lowercased() == "connection" }
                .flatMap { $0.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } })
        var fields = HTTPFields()
        for header in recorded {
            let lower = header.name.lowercased()
            if lower.hasPrefix(":") || lower.hasPrefix("proxy-") || droppedHeaders.contains(lower) || named.contains(lower) { continue }
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return fields
    }

    /// HAR milliseconds (fractional; -1 where the phase does not apply) as a duration.
    static func duration(milliseconds: Double) -> Duration {
        guard milliseconds.isFinite, milliseconds > 0 else { return .zero }
        return .microseconds(Int64((milliseconds * 1000).rounded()))
    }
}
