import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why a file operation on the voice library failed: the call, the path and `errno`.
struct StorageError: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// The POSIX calls behind the library's durability promises, in one place.
///
/// The pattern is always: write into a temporary name, `fsync` the file, `rename` (or `link`) it
/// into place, then `fsync` the directory so the new name itself survives a power cut. A reader
/// sees either nothing or the whole thing. All functions block; callers run them on
/// `NIOThreadPool`, never on the cooperative pool.
enum DurableStorage {
    /// Creates a directory; an existing one is fine when `existingIsFine`.
    static func makeDirectory(_ path: String, existingIsFine: Bool = false) throws {
        if mkdir(path, 0o755) != 0 {
            let code = errno
            if code == EEXIST && existingIsFine { return }
            throw StorageError(operation: "mkdir", path: path, code: code)
        }
    }

    /// Flushes a directory's entries (new, renamed or removed names) to stable storage.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        // Some filesystems refuse fsync on directories (EINVAL); their renames are already durable.
        if fsync(fd) != 0, errno != EINVAL { throw StorageError(operation: "fsync", path: path, code: errno) }
    }

    /// Creates `path` (which must not exist), writes `bytes`, fsyncs and closes it.
    static func writeNewFile(_ path: String, bytes: [UInt8]) throws {
        let file = try StagedFile(creating: path)
        defer { file.closeFile() }
        try file.append(bytes[...])
        try file.sync()
    }

    /// Renames within one filesystem (atomic); replaces a file target, never a non-empty directory.
    static func move(_ source: String, to target: String) throws {
        if rename(source, target) != 0 { throw StorageError(operation: "rename", path: "\(source) -> \(target)", code: errno) }
    }

    /// Gives `source` the additional name `target`, failing with `EEXIST` rather than replacing:
    /// the no-replace half of "link, then unlink the temporary name".
    ///
    /// Filesystems without hard links (some network volumes answer `EPERM`/`ENOTSUP`) get a
    /// checked rename instead, which is no-replace only among callers holding the voice's lock.
    static func linkNoReplace(_ source: String, to target: String) throws {
        guard link(source, target) != 0 else { return }
        let code = errno
        guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EXDEV || code == EMLINK else {
            throw StorageError(operation: "link", path: "\(source) -> \(target)", code: code)
        }
        if exists(target) { throw StorageError(operation: "link", path: "\(source) -> \(target)", code: EEXIST) }
        try move(source, to: target)
    }

    /// Removes a file or directory tree; a missing path is fine.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Names in a directory (no `.`/`..`); empty when it cannot be read.
    static func names(in path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Size of a file in bytes.
    static func size(of path: String) throws -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { throw StorageError(operation: "stat", path: path, code: ENOENT) }
        return size
    }

    /// Whether two names are the same file (same device and inode), e.g. after a hard link.
    static func sameFile(_ lhs: String, _ rhs: String) -> Bool {
        guard let left = try? FileManager.default.attributesOfItem(atPath: lhs),
            let right = try? FileManager.default.attributesOfItem(atPath: rhs)
        else { return false }
        return (left[.systemFileNumber] as? NSNumber) == (right[.systemFileNumber] as? NSNumber)
            && (left[.systemNumber] as? NSNumber) == (right[.systemNumber] as? NSNumber)
    }

    /// Up to `count` bytes from the start of a file (fewer when the file is shorter).
    static func readPrefix(of path: String, count: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StorageError(operation: "open", path: path, code: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + filled, count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw StorageError(operation: "read", path: path, code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(count - filled)
        return bytes
    }
}

/// A file being written by the gateway: created exclusively, written in order, synced, closed.
/// A value holding a descriptor; the one task that created it is the only one using it.
struct StagedFile: Sendable {
    let path: String
    private let fd: Int32

    /// Creates `path`; fails if it exists.
    init(creating path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError(operation: "create", path: path, code: errno) }
        self.path = path
        self.fd = fd
    }

    /// Writes all of `bytes`, retrying short writes and interruptions.
    func append(_ bytes: ArraySlice<UInt8>) throws {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress!, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw StorageError(operation: "write", path: path, code: errno)
            }
            offset += written
        }
    }

    func sync() throws {
        if fsync(fd) != 0 { throw StorageError(operation: "fsync", path: path, code: errno) }
    }

    func closeFile() {
        _ = close(fd)
    }
}
