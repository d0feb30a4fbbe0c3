import Foundation
import Logging
import SynapseClock
import SynapseCore
import SynapseHAR

/// The recorder's writer side: rebuilds exchanges from their events, stores their bodies and
/// appends their entries to the session's HAR file.
///
/// `@unchecked Sendable`: only the recorder's writer loop calls `handle`, one batch at a time,
/// each call awaited before the next is made, so its state is never touched concurrently (the
/// thread pool hand-over orders the calls).
final class RecordingAssembler: @unchecked Sendable {
    private let buffer: RecordingBuffer
    private let statistics: RecordingStatistics
    private let wallClock: @Sendable () -> Date
    private let logger: Logger
    private var exchanges: [Int: ExchangeRecord] = [:]
    private var writer: HARFileWriter?
    /// Sessions up to this generation are closed: their late exchanges are not written.
    private var closedThrough = 0

    init(buffer: RecordingBuffer, statistics: RecordingStatistics, wallClock: @escaping @Sendable () -> Date, logger: Logger) {
        self.buffer = buffer
        self.statistics = statistics
        self.wallClock = wallClock
        self.logger = logger
    }

    func handle(_ events: [RecordingEvent]) {
        var finished = 0
        for event in events {
            switch event {
            case .begin(let start):
                exchanges[start.id] = ExchangeRecord(start: start)
            case .requestBody(let id, let chunk):
                guarded(id) { try $0.requestBytes(chunk) }
            case .requestEnd(let id, let instant):
                exchanges[id]?.requestEnded(at: instant)
            case .responseHead(let id, let head):
                exchanges[id]?.responseStarted(head)
            case .responseBody(let id, let chunk, let instant):
                guarded(id) { try $0.responseBytes(chunk, at: instant) }
            case .end(let id, let instant):
                finished += 1
                if var record = exchanges.removeValue(forKey: id) { write(&record, endedAt: instant) }
            case .abort(let id):
                finished += 1
                exchanges.removeValue(forKey: id)?.discarding()
            case .close(let generation, let done):
                closedThrough = max(closedThrough, generation)
                closeFile()
                done?.resume()
            case .barrier(let done):
                done.resume()
            }
        }
        buffer.release(exchanges: finished)
    }

    /// Applies `change` to a live exchange; an I/O failure gives the exchange up (counted as dropped).
    private func guarded(_ id: Int, _ change: (inout ExchangeRecord) throws -> Void) {
        guard var record = exchanges[id] else { return }
        do {
            try change(&record)
            exchanges[id] = record
        } catch {
            record.discard()
            exchanges[id] = nil
            failed(error)
        }
    }

    private func write(_ record: inout ExchangeRecord, endedAt instant: AnyClock.Instant) {
        let session = record.start.session
        guard session.generation > closedThrough else {
            record.discard()
            return
        }
        do {
            guard let entry = try record.entry(endedAt: instant) else { return }
            let rotation = HARFileWriter.Rotation(maxEntries: session.settings.maxEntriesPerFile, maxBytes: session.settings.maxFileSize)
            if let open = writer, open.directory != session.directory || open.rotation != rotation { closeFile() }
            let file = writer ?? HARFileWriter(directory: session.directory, rotation: rotation, now: wallClock)
            writer = file
            let grown = try file.append(entry)
            statistics.wrote(
                entryBytes: grown,
                bodyBytes: (entry.request.postData?.file != nil ? entry.request.bodySize : 0)
                    + (entry.response.content.file != nil ? entry.response.content.size : 0), file: file.currentFile?.path)
        } catch {
            record.discard()
            failed(error)
        }
    }

    private func closeFile() {
        do { try writer?.close() } catch { logger.warning("recording: closing the HAR file failed", metadata: ["error": "\(error)"]) }
        writer = nil
        statistics.setCurrentFile(nil)
    }

    private func failed(_ error: any Error) {
        statistics.dropped()
        logger.warning("recording: an exchange could not be written and was dropped", metadata: ["error": "\(error)"])
    }
}

extension ExchangeRecord {
    fileprivate consuming func discarding() {
        var record = self
        record.discard()
    }
}
