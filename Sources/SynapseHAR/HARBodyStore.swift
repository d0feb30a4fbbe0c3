import Foundation
import SynapseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Content-addressed body files: `DIR/bodies/<sha256>`, each distinct body stored once.
///
/// A body is streamed into a hidden temporary file (`bodies/.partial-…`) while it is hashed, so
/// no body is ever held whole in memory; `commit()` names it by its digest, or deletes it when
/// that body is stored already. An upload that is given up (`discard()`) leaves no file behind.
public struct HARBodyStore: Sendable {
    /// `DIR/bodies`.
    public let directory: URL

    /// - Parameter recordingDirectory: the folder of the HAR files; bodies go to its `bodies/`.
    public init(recordingDirectory: URL) {
        self.directory = recordingDirectory.appendingPathComponent("bodies", isDirectory: true)
    }

    /// Starts a new body file.
    public func begin() throws -> Upload {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try Upload(directory: directory)
    }

    /// The reference a HAR entry carries for a stored body: `bodies/<sha256>`.
    public static func reference(sha256: String) -> String { "bodies/\(sha256)" }

    /// One body being written. Not thread-safe: owned by the recorder's writer.
    public final class Upload {
        private let directory: URL
        private let temporary: URL
        private var descriptor: Int32
        private var hasher = SHA256()
        /// Bytes written so far.
        public private(set) var size = 0

        fileprivate init(directory: URL) throws {
            self.directory = directory
            self.temporary = directory.appendingPathComponent(".partial-\(UUID().uuidString.lowercased())")
            descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw HARWriteError.cannotCreate(temporary.path, errno: errno) }
        }

        deinit {
            // An upload dropped without commit or discard still leaves nothing behind.
            if descriptor >= 0 {
                close(descriptor)
                unlink(temporary.path)
            }
        }

        /// Appends the next chunk of the body.
        public func append(_ bytes: UnsafeRawBufferPointer) throws {
            guard descriptor >= 0 else { return }
            hasher.update(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw HARWriteError.cannotWrite(temporary.path, errno: errno)
                }
                offset += written
            }
            size += bytes.count
        }

        public func append(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try append($0) }
        }

        /// Closes the file and stores it as `bodies/<sha256>`; returns the digest (hex).
        public func commit() throws -> String {
            close(descriptor)
            descriptor = -1
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            let target = directory.appendingPathComponent(digest)
            if access(target.path, F_OK) == 0 {
                // Stored once: the same bytes are there already.
                unlink(temporary.path)
            } else if rename(temporary.path, target.path) != 0 {
                let code = errno
                unlink(temporary.path)
                throw HARWriteError.cannotWrite(target.path, errno: code)
            }
            return digest
        }

        /// Gives the body up: the temporary file is removed.
        public func discard() {
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
            unlink(temporary.path)
        }
    }
}

/// A recording file could not be written; the path and the system's reason say which and why.
public enum HARWriteError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(String, errno: Int32)
    case cannotWrite(String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let code): "cannot create \(path): \(String(cString: strerror(code)))"
        case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        }
    }
}
