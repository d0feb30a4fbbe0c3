import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import SynapseClock
import SynapseCore
import Synchronization

/// Relays a streamed backend body to the client chunk by chunk, as it arrives, under two limits:
/// the request's total deadline and an idle timeout between chunks, both on the request's clock
/// (the injected one, so virtual in scenarios).
///
/// ```
///  task group ─┬─ pump:     backend chunk ─▶ writer.write ─▶ client   (touches `lastActivity`)
///              └─ watchdog: deadline timer until min(deadline, lastActivity + idle), then cuts the pump
/// ```
/// One watchdog per stream, not a timer per chunk: a chunk only stores the clock's reading (an
/// atomic store, no allocation); the watchdog, when it wakes, re-arms for the later idle end.
/// Nothing is buffered beyond the chunk in hand, so memory stays flat whatever the body's size,
/// and back-pressure from a slow client reaches the backend through the awaited writes.
struct StreamRelay: Sendable {
    let source: HTTPClientResponse.Body
    let idleTimeout: Duration
    let deadline: Deadline<AnyClock>
    /// For event streams a backend failure mid-way ends the client's stream cleanly (it keeps
    /// every event that came); for other bodies the connection is cut so the client knows the
    /// file is incomplete.
    let endsCleanlyOnUpstreamFailure: Bool
    let backend: BackendID
    let logger: Logger

    enum Cut: Error { case idle, deadline }

    func responseBody(contentLength: Int?) -> ResponseBody {
        ResponseBody(contentLength: contentLength) { writer in
            let box = WriterBox(writer)
            let activity = Activity(clock: deadline.clock)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pump(into: box, activity: activity) }
                    group.addTask { try await watch(activity) }
                    // The first to finish decides: the pump when the body ended (or failed), the
                    // watchdog when a limit passed.
                    try await group.next()
                    group.cancelAll()
                }
            } catch let error as WriteFailed {
                // The client went away: the pump was cancelled, which cancelled the backend request.
                throw error.underlying
            } catch {
                let reason = error is Cut ? "\(error)" : "\(UpstreamFailure.classify(error))"
                logger.warning("backend stream ended early", metadata: ["synapse.backend": "\(backend)", "synapse.reason": "\(reason)"])
                if !endsCleanlyOnUpstreamFailure || contentLength != nil { throw error }
            }
            try await box.writer.finish(nil)
        }
    }

    private func pump(into box: WriterBox, activity: Activity) async throws {
        for try await chunk in source {
            activity.touch()
            do {
                try await box.writer.write(chunk)
            } catch {
                throw WriteFailed(underlying: error)
            }
        }
    }

    private func watch(_ activity: Activity) async throws {
        let clock = deadline.clock
        while true {
            let idleEnd = activity.last.advanced(by: idleTimeout)
            // A deadline timer, not a sleep: a virtual-time driver must not count this stream as
            // parked on the clock while its chunks are still flowing.
            try await clock.sleep(untilDeadline: min(idleEnd, deadline.instant))
            if deadline.isExpired { throw Cut.deadline }
            if clock.now >= activity.last.advanced(by: idleTimeout) { throw Cut.idle }
        }
    }

    struct WriteFailed: Error { var underlying: any Error }
}

/// Hands the response writer to the pump task.
///
/// `@unchecked Sendable`: exactly one task uses `writer` at a time — the pump while the task
/// group runs, then the owning closure after the group has finished.
private final class WriterBox: @unchecked Sendable {
    var writer: any ResponseBodyWriter
    init(_ writer: any ResponseBodyWriter) { self.writer = writer }
}

/// When the last chunk arrived (on the request's clock), shared between pump and watchdog.
private final class Activity: Sendable {
    private let clock: AnyClock
    private let start: AnyClock.Instant
    private let offsetNanoseconds = Atomic<Int64>(0)

    init(clock: AnyClock) {
        self.clock = clock
        self.start = clock.now
    }

    func touch() {
        offsetNanoseconds.store(start.duration(to: clock.now).nanoseconds, ordering: .relaxed)
    }

    var last: AnyClock.Instant {
        start.advanced(by: .nanoseconds(offsetNanoseconds.load(ordering: .relaxed)))
    }
}
