import Foundation
import NIOCore
import SynapseHAR

/// Reads a recorded body a chunk at a time, so a large body file is never held whole.
///
/// Reads use `FileHandle` on the calling task: a 64 KiB read of a body file is a page-cache copy
/// of microseconds, and the playback mocks are a development tool, not a file server.
enum BodyChunks {
    /// Chunk size for file reads.
    static let chunkSize = 64 * 1024

    /// Calls `each` with the bytes of `range` of the body, in order, in chunks of at most `chunkSize`.
    static func read(
        _ body: RecordedBody, range: Range<Int>, _ each: (ByteBuffer) async throws -> Void
    ) async throws {
        guard !range.isEmpty else { return }
        switch body {
        case .none:
            return
        case .bytes(let bytes):
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + chunkSize, range.upperBound)
                try await each(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
        case .file(let path, _):
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(range.lowerBound))
            var remaining = range.count
            while remaining > 0 {
                guard let data = try handle.read(upToCount: min(chunkSize, remaining)), !data.isEmpty else {
                    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
                }
                remaining -= data.count
                try await each(ByteBuffer(bytes: data))
            }
        }
    }

    /// Whether the body file holds exactly `other` (the caller has checked the length).
    static func contents(of body: RecordedBody, equal other: [UInt8]) throws -> Bool {
        guard case .file(let path, _) = body else { return (try body.readAll()) == other }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var offset = 0
        while offset < other.count {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return false }
            guard offset + data.count <= other.count else { return false }
            // memcmp: an element-wise comparison of megabytes is slow in debug builds.
            let equal = data.withUnsafeBytes { read in
                other.withUnsafeBytes { expected in memcmp(read.baseAddress!, expected.baseAddress! + offset, data.count) == 0 }
            }
            guard equal else { return false }
            offset += data.count
        }
        return true
    }
}
