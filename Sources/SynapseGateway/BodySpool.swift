import Foundation
import NIOCore

/// Request bytes the gateway had to read before it could contact the backend, kept so they can be
/// sent afterwards: in memory up to `memoryLimit`, then in a temporary file, so a large upload is
/// never held whole in memory. The file is removed by `discard()` (and on deinit as a backstop).
final class BodySpool: @unchecked Sendable {
    // `@unchecked Sendable`: appended to by one task while the body is read, then only read
    // (by the upload) — never both at once.
    private let memoryLimit: Int
    private var chunks: [ByteBuffer] = []
    /// Bytes held in memory (at most `memoryLimit`); the rest is in the file.
    private(set) var memoryBytes = 0
    private var file: FileHandle?
    private var fileURL: URL?
    private(set) var count = 0
    /// Whether bytes went to the temporary file.
    var isOnDisk: Bool { fileURL != nil }

    init(memoryLimit: Int = 1 << 20) {
        self.memoryLimit = memoryLimit
    }

    func append(_ chunk: ByteBuffer) throws {
        count += chunk.readableBytes
        if file == nil, memoryBytes + chunk.readableBytes <= memoryLimit {
            chunks.append(chunk)
            memoryBytes += chunk.readableBytes
            return
        }
        if file == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-spool-\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            file = try FileHandle(forUpdating: url)
            fileURL = url
        }
        try file!.write(contentsOf: chunk.readableBytesView)
    }

    /// The spooled bytes, in order, as an async sequence of chunks. The file is read one chunk
    /// per `next()`, as the upload asks for it: reading it all up front would bring the whole
    /// spooled upload back into memory.
    func replay() -> Replay {
        Replay(memory: chunks, url: fileURL)
    }

    /// The memory chunks, then the file in 64 KiB reads.
    struct Replay: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let memory: [ByteBuffer]
        let url: URL?

        struct AsyncIterator: AsyncIteratorProtocol {
            var memory: IndexingIterator<[ByteBuffer]>
            let url: URL?
            var reader: FileHandle?
            var opened = false

            mutating func next() async throws -> ByteBuffer? {
                if let chunk = memory.next() { return chunk }
                if !opened {
                    opened = true
                    if let url { reader = try FileHandle(forReadingFrom: url) }
                }
                guard let reader else { return nil }
                if let data = try reader.read(upToCount: 64 * 1024), !data.isEmpty { return ByteBuffer(bytes: data) }
                try? reader.close()
                self.reader = nil
                return nil
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(memory: memory.makeIterator(), url: url) }
    }

    func discard() {
        try? file?.close()
        file = nil
        if let fileURL { try? FileManager.default.removeItem(at: fileURL) }
        fileURL = nil
        chunks = []
    }

    deinit { discard() }
}
