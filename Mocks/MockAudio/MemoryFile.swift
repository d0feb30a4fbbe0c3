import CSndFile
import Foundation

/// A growable byte buffer that libsndfile reads and writes through `sf_open_virtual`, so files
/// never touch the disk.
///
/// libsndfile calls back with `user_data` = an unretained pointer to this object; the object must
/// outlive the `SNDFILE` handle, which `SoundFileHandle` guarantees by holding both.
final class MemoryFile {
    private(set) var bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    /// The callbacks, bridging each C call to the `MemoryFile` behind `user_data`.
    static var callbacks: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { user in MemoryFile.file(user).length },
            seek: { offset, whence, user in MemoryFile.file(user).seek(offset, whence: whence) },
            read: { pointer, count, user in MemoryFile.file(user).read(into: pointer, count: count) },
            write: { pointer, count, user in MemoryFile.file(user).write(pointer, count: count) },
            tell: { user in sf_count_t(MemoryFile.file(user).position) })
    }

    private static func file(_ user: UnsafeMutableRawPointer?) -> MemoryFile {
        Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
    }

    private var length: sf_count_t { sf_count_t(bytes.count) }

    private func seek(_ offset: sf_count_t, whence: Int32) -> sf_count_t {
        let base: Int
        switch whence {
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: base = 0
        }
        let target = base + Int(offset)
        // Seeking before the start is an error for libsndfile (-1); past the end is allowed, as
        // with a real file, and a later write fills the gap with zeros.
        guard target >= 0 else { return -1 }
        position = target
        return sf_count_t(position)
    }

    private func read(into pointer: UnsafeMutableRawPointer?, count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0, position < bytes.count else { return 0 }
        let available = min(Int(count), bytes.count - position)
        bytes.withUnsafeBytes { source in
            pointer.copyMemory(from: source.baseAddress! + position, byteCount: available)
        }
        position += available
        return sf_count_t(available)
    }

    private func write(_ pointer: UnsafeRawPointer?, count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0 else { return 0 }
        let source = UnsafeRawBufferPointer(start: pointer, count: Int(count))
        let end = position + source.count
        if end > bytes.count { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        bytes.replaceSubrange(position..<end, with: source)
        position = end
        return count
    }
}
