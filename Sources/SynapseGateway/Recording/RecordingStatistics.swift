import Synchronization

/// What the recorder has done, read by `GET /admin/recording`; written by the writer (entries,
/// bytes, file) and by taps (drops).
final class RecordingStatistics: Sendable {
    private let entries = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let drops = Atomic<Int>(0)
    private let file = Mutex<String?>(nil)
    private let onDrop: @Sendable () -> Void

    init(onDrop: @escaping @Sendable () -> Void) {
        self.onDrop = onDrop
    }

    var entriesWritten: Int { entries.load(ordering: .relaxed) }
    /// HAR bytes plus the bytes of bodies written to body files (before deduplication).
    var bytesWritten: Int { bytes.load(ordering: .relaxed) }
    var droppedCount: Int { drops.load(ordering: .relaxed) }
    var currentFile: String? { file.withLock { $0 } }

    func wrote(entryBytes: Int, bodyBytes: Int, file path: String?) {
        entries.add(1, ordering: .relaxed)
        bytes.add(entryBytes + bodyBytes, ordering: .relaxed)
        file.withLock { $0 = path }
    }

    func setCurrentFile(_ path: String?) {
        file.withLock { $0 = path }
    }

    func dropped() {
        drops.add(1, ordering: .relaxed)
        onDrop()
    }
}
