import Foundation
import Hummingbird
import Logging
import NIOPosix
import SynapseClock
import SynapseCore
import SynapseHAR
import Synchronization

/// Records sampled exchanges as HAR 1.2, off the request path.
///
/// ```
/// request path (RecordingMiddleware, RecordingTap)          writer (run(), on NIO's thread pool)
///   tap(…): sampled? route admitted? ──▶ RecordingBuffer ──▶ RecordingAssembler
///   chunks, head, end: offer, never wait    bounded bytes       bodies ─▶ DIR/bodies/<sha256>
///   refused ─▶ exchange dropped, counted    and exchanges       entries ─▶ DIR/synapse-…-n.har
/// ```
///
/// Off (the default), the only cost on the request path is one atomic load. `start`, `stop`
/// and `status` are what the admin API and the `--record` flags call.
public final class Recorder: Sendable {
    /// What `GET /admin/recording` shows.
    public struct Status: Sendable, Equatable {
        public var isRecording: Bool
        public var settings: RecordingSettings?
        public var entriesWritten: Int
        /// HAR bytes plus body-file bytes written.
        public var bytesWritten: Int
        /// Exchanges not recorded because the buffer was full (or a write failed).
        public var dropped: Int
        public var currentFile: String?
    }

    /// Settings that cannot be used; the message says which and why.
    public struct StartError: Error, CustomStringConvertible, Equatable {
        public var problems: [String]
        public var description: String { problems.joined(separator: "; ") }
    }

    private struct Control {
        var session: RecordingSession?
        var generation = 0
        var nextID = 0
        var generator: any RandomNumberGenerator & Sendable
    }

    private let active = Atomic<Bool>(false)
    private let control: Mutex<Control>
    let buffer: RecordingBuffer
    let statistics: RecordingStatistics
    private let clock: AnyClock
    private let wallClock: @Sendable () -> Date
    private let assembler: RecordingAssembler
    private let doorbell: Doorbell

    /// - Parameters:
    ///   - clock: measures the timings (the gateway's clock).
    ///   - wallClock: `startedDateTime` and the HAR file names.
    ///   - generator: the sampling coin (seeded in tests).
    ///   - onDrop: called once per dropped exchange (the gateway's metric).
    public init(
        clock: AnyClock = .continuous, wallClock: @escaping @Sendable () -> Date = Date.init,
        generator: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(), logger: Logger,
        onDrop: @escaping @Sendable () -> Void = {}
    ) {
        self.clock = clock
        self.wallClock = wallClock
        control = Mutex(Control(generator: generator))
        let doorbell = Doorbell()
        self.doorbell = doorbell
        let defaults = RecordingSettings(directory: "")
        buffer = RecordingBuffer(limits: .init(maxBytes: defaults.bufferSize, maxExchanges: defaults.maxPendingExchanges)) { [doorbell] in
            doorbell.ring()
        }
        statistics = RecordingStatistics(onDrop: onDrop)
        assembler = RecordingAssembler(buffer: buffer, statistics: statistics, wallClock: wallClock, logger: logger)
    }

    /// Whether anything is being recorded: the request path's one check.
    var isRecording: Bool { active.load(ordering: .relaxed) }

    // MARK: Control

    /// Starts recording with `settings`, or changes the settings of the recording under way
    /// (a new folder closes the current file). The folder is created if needed.
    @discardableResult
    public func start(_ settings: RecordingSettings) throws(StartError) -> Status {
        let problems = settings.problems
        guard problems.isEmpty else { throw StartError(problems: problems) }
        let directory = URL(fileURLWithPath: settings.directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("bodies"), withIntermediateDirectories: true)
        } catch {
            throw StartError(problems: ["cannot create the folder \(settings.directory): \(error.localizedDescription)"])
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw StartError(problems: ["the folder \(settings.directory) is not writable"])
        }
        let replaced = control.withLock { control -> RecordingSession? in
            control.generation += 1
            let previous = control.session
            control.session = RecordingSession(generation: control.generation, settings: settings)
            return previous
        }
        buffer.setLimits(.init(maxBytes: settings.bufferSize, maxExchanges: settings.maxPendingExchanges))
        if let replaced, replaced.directory != directory {
            buffer.force(.close(generation: replaced.generation, done: nil))
        }
        active.store(true, ordering: .relaxed)
        return status
    }

    /// Stops recording; returns once the HAR file is closed (complete, as it always is).
    /// Exchanges still in flight are not written.
    @discardableResult
    public func stop() async -> Status {
        active.store(false, ordering: .relaxed)
        let stopped = control.withLock { control -> Int? in
            defer { control.session = nil }
            return control.session?.generation
        }
        // Not recording: the file was closed by the stop before (or never opened), and a
        // gateway that never recorded shuts down without waking the writer.
        guard let generation = stopped else { return status }
        await withCheckedContinuation { done in
            buffer.force(.close(generation: generation, done: done))
        }
        return status
    }

    public var status: Status {
        let settings = control.withLock { $0.session?.settings }
        return Status(
            isRecording: settings != nil, settings: settings, entriesWritten: statistics.entriesWritten, bytesWritten: statistics.bytesWritten,
            dropped: statistics.droppedCount, currentFile: statistics.currentFile)
    }

    /// Returns once every exchange being recorded has been written (or given up) and everything
    /// queued has been handled. An exchange still streaming holds it up: meant for tests and tools.
    public func flush() async {
        // The client may hold the whole answer before the gateway's writer has finished (and so
        // before the exchange's end is queued): waiting for the exchanges, not the queue, covers that.
        await buffer.waitUntilIdle()
        await withCheckedContinuation { done in
            buffer.force(.barrier(done))
        }
    }

    // MARK: The request path

    /// A tap for this request when recording is on, the route filter admits it and the sample
    /// coin says so; nil otherwise (also when the buffer already holds as many exchanges as it may).
    func tap(_ request: Request, route: String?, backend: BackendID?, upstreamPath: String?, requestID: String) -> RecordingTap? {
        let path = request.uri.path
        let admitted = control.withLock { control -> (RecordingSession, Int)? in
            guard let session = control.session, session.settings.admits(path: path, route: route) else { return nil }
            let rate = session.settings.sampleRate
            if rate < 1 {
                guard rate > 0, Double.random(in: 0..<1, using: &control.generator) < rate else { return nil }
            }
            control.nextID += 1
            return (session, control.nextID)
        }
        guard let (session, id) = admitted else { return nil }
        let start = ExchangeStart(
            id: id, session: session, startedAt: wallClock(), started: clock.now, method: request.method.rawValue,
            scheme: request.head.scheme ?? "http", authority: request.head.authority ?? "localhost", path: path, query: request.uri.query ?? "",
            headers: request.headers, route: route, backend: backend, upstreamPath: upstreamPath, requestID: requestID)
        guard buffer.begin(.begin(start)) else {
            statistics.dropped()
            return nil
        }
        return RecordingTap(id: id, buffer: buffer, clock: clock) { [statistics] in statistics.dropped() }
    }

    // MARK: The writer

    /// Writes what the request path offers until `finish()`; run it beside the server.
    public func run() async {
        while await doorbell.wait() { await drain() }
        await drain()
    }

    /// Stops recording, writes what is buffered, closes the file and ends `run()`.
    public func finish() async {
        await stop()
        doorbell.finish()
    }

    private func drain() async {
        while true {
            let events = buffer.takeAll()
            if events.isEmpty { return }
            let assembler = assembler
            // File I/O blocks: it runs on NIO's thread pool, not on the cooperative threads;
            // except when shutting down by cancellation, where the pool would refuse the work.
            if Task.isCancelled {
                assembler.handle(events)
                continue
            }
            do {
                try await NIOThreadPool.singleton.runIfActive { assembler.handle(events) }
            } catch {
                // Refused (cancelled, or the pool is shut down) before it ran: `handle` cannot throw.
                assembler.handle(events)
            }
        }
    }
}
