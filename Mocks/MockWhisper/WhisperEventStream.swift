import Foundation
import HTTPTypes
import Hummingbird
import MockAudio
import NIOCore
import SynapseCore
import SynapseMockKit

/// The `/stream` body as sse-starlette writes it: CRLF lines, one write per event.
///
/// ```
/// : ping - 2026-11-26 22:48:29.465271+00:00      every `pingInterval` while transcribing
/// event: segment / data: {"id": 1, …}             one per segment, json.dumps spacing
/// event: done / data: {}                          then the body ends
/// ```
/// The transcription runs before the first event (events come in a burst at the end). If it
/// failed, the stream is cut without a final chunk, as when the real service's thread raises.
struct WhisperEventStream: Sendable {
    let pingInterval: Duration
    let time: MockTime
    /// The service's inference lock, held while transcribing.
    let lock: InferenceLock

    struct TranscriptionFailed: Error {}

    static let headers: HTTPFields = [
        .cacheControl: "no-store", .connection: "keep-alive", HTTPField.Name("X-Accel-Buffering")!: "no",
        .contentType: "text/event-stream; charset=utf-8",
    ]

    /// The body: pings during `processing`, then the events of `transcript` (nil = failed).
    func body(transcript: WhisperTranscript?, processing: Duration) -> ResponseBody {
        ResponseBody { [self] writer in
            // Sequential sleeps give the same interleaving as a ping timer beside the work, and
            // stay deterministic on any MockTime. (Unlike the service, no pings are sent while the
            // request waits for the lock, and a client that leaves releases it at once.)
            await lock.acquire()
            do {
                var remaining = processing
                while pingInterval > .zero, remaining >= pingInterval {
                    try await time.sleep(pingInterval)
                    remaining -= pingInterval
                    try await writer.write(ByteBuffer(string: Self.ping(at: time.now())))
                }
                try await time.sleep(remaining)
                await lock.release()
            } catch {
                await lock.release()
                throw error
            }
            guard let transcript else { throw TranscriptionFailed() }
            for segment in transcript.segments {
                let data = WhisperTranscript.json(segment, includeWords: true).text(.pythonDumps)
                try await writer.write(ByteBuffer(string: "event: segment\r\ndata: \(data)\r\n\r\n"))
            }
            try await writer.write(ByteBuffer(string: "event: done\r\ndata: {}\r\n\r\n"))
            try await writer.finish(nil)
        }
    }

    /// `: ping - <str(datetime.now(timezone.utc))>` (microseconds omitted when zero, as Python does).
    static func ping(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let seconds = date.timeIntervalSince1970
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var stamp = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2)) \(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))"
        if micros > 0 { stamp += ".\(pad(micros, 6))" }
        return ": ping - \(stamp)+00:00\r\n\r\n"
    }
}
