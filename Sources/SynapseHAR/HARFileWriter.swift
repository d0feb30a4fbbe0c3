import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends entries to `DIR/synapse-<UTC timestamp>-<n>.har`, rotating to a new file by entry
/// count or size, so that every file on disk is a complete, valid HAR document at all times.
///
/// ```
/// {"log":{"version":"1.2","creator":{…},"entries":[      ← head, written when the file opens
/// {entry 1},                                             ← each append overwrites the tail…
/// {entry 2}                                              ← …with ",\n" + entry + tail
/// ]}}                                                    ← tail: always present
/// ```
///
/// Each append is a single `pwrite` over the previous tail, so a process killed (even with
/// SIGKILL) between two appends leaves a valid file; only a kill inside that one write can cut
/// an entry short. Not thread-safe: owned by the recorder's writer.
public final class HARFileWriter {
    /// When to start a new file.
    public struct Rotation: Sendable, Equatable {
        /// Entries per file. Default 1000.
        public var maxEntries: Int
        /// File size in bytes after which the next entry goes to a new file. Default 64 MiB.
        public var maxBytes: Int

        public init(maxEntries: Int = 1000, maxBytes: Int = 64 << 20) {
            self.maxEntries = maxEntries
            self.maxBytes = maxBytes
        }
    }

    public let directory: URL
    public let rotation: Rotation
    private let creator: HARCreator
    private let now: @Sendable () -> Date
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    private static let tail = Array("\n]}}\n".utf8)

    private var descriptor: Int32 = -1
    /// The open file, nil before the first entry and after `close()`.
    public private(set) var currentFile: URL?
    /// Entries in the open file.
    public private(set) var entriesInFile = 0
    /// The open file's size, tail included.
    public private(set) var fileSize = 0
    /// Files opened by this writer, in order.
    public private(set) var files: [URL] = []
    private var sequence = 0

    /// - Parameter now: the wall clock that names the files (injected, so tests can fix it).
    public init(
        directory: URL, rotation: Rotation = Rotation(), creator: HARCreator = HARCreator(name: "synapse", version: "1"),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.directory = directory
        self.rotation = rotation
        self.creator = creator
        self.now = now
    }

    deinit { try? close() }

    /// Appends one entry (opening or rotating the file first when needed); returns the bytes
    /// the file grew by.
    @discardableResult
    public func append(_ entry: HAREntry) throws -> Int {
        if descriptor >= 0, entriesInFile >= rotation.maxEntries || fileSize >= rotation.maxBytes { try close() }
        if descriptor < 0 { try open() }
        let json = try encoder.encode(entry)
        var bytes = entriesInFile == 0 ? [UInt8(ascii: "\n")] : Array(",\n".utf8)
        bytes.reserveCapacity(bytes.count + json.count + Self.tail.count)
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: Self.tail)
        let offset = fileSize - Self.tail.count
        try write(bytes, at: offset)
        let grown = offset + bytes.count - fileSize
        fileSize = offset + bytes.count
        entriesInFile += 1
        return grown
    }

    /// Closes the open file (it is complete already); the next entry opens a new one.
    public func close() throws {
        guard descriptor >= 0 else { return }
        let result = fsync(descriptor)
        closeDescriptor(descriptor)
        descriptor = -1
        currentFile = nil
        entriesInFile = 0
        fileSize = 0
        if result != 0 { throw HARWriteError.cannotWrite(directory.path, errno: errno) }
    }

    private func open() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stamp = Self.fileStamp(now())
        // O_EXCL: never append to, or overwrite, another run's file.
        while true {
            sequence += 1
            let url = directory.appendingPathComponent("synapse-\(stamp)-\(sequence).har")
            let fd = openExclusive(url.path)
            if fd >= 0 {
                descriptor = fd
                currentFile = url
                files.append(url)
                break
            }
            guard errno == EEXIST else { throw HARWriteError.cannotCreate(url.path, errno: errno) }
        }
        let log = "{\"log\":{\"version\":\"1.2\",\"creator\":\(String(decoding: try encoder.encode(creator), as: UTF8.self)),\"entries\":["
        let head = Array(log.utf8) + Self.tail
        fileSize = head.count
        try write(head, at: 0)
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw HARWriteError.cannotWrite(currentFile?.path ?? directory.path, errno: errno)
            }
            done += written
        }
    }

    /// `20261207T030102Z`: sorts by time, and is safe in every file system.
    static func fileStamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour),
            Int(parts.tm_min), Int(parts.tm_sec))
    }
}

// File-scope names for the system calls, which the writer's own `close()` and `open()` shadow.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }
private func openExclusive(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
