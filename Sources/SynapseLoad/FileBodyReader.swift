import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a body file in chunks on a thread pool (file reads block; the event loop must not), one
/// chunk at a time as the sender asks, so only a chunk or two of a 1 GiB body is ever in memory.
struct FileBodyReader: Sendable {
    /// 64 KiB: large enough that a local upload is not bound by per-chunk overhead, small enough
    /// that hundreds of concurrent uploads stay within a few tens of MiB.
    static let chunkSize = 64 * 1024

    let threadPool: NIOThreadPool

    /// Opens `path` for reading; the descriptor is the caller's to `close`.
    func open(_ path: String, on eventLoop: any EventLoop) -> EventLoopFuture<CInt> {
        threadPool.runIfActive(eventLoop: eventLoop) {
            let descriptor = systemOpen(path)
            guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "open \(path)") }
            return descriptor
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(_ descriptor: CInt, at offset: Int, count: Int, on eventLoop: any EventLoop) -> EventLoopFuture<ByteBuffer> {
        threadPool.runIfActive(eventLoop: eventLoop) {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var filled = 0
            while filled < count {
                var read = 0
                buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - filled) { pointer in
                    read = pread(descriptor, pointer.baseAddress, count - filled, off_t(offset + filled))
                    return max(read, 0)
                }
                if read < 0 {
                    if errno == EINTR { continue }
                    throw IOError(errnoCode: errno, reason: "read body file")
                }
                if read == 0 { break }
                filled += read
            }
            return buffer
        }
    }

    func close(_ descriptor: CInt) {
        _ = systemClose(descriptor)
    }
}

// At file scope the C functions are not shadowed by the methods of the same name.
private func systemOpen(_ path: String) -> CInt { open(path, O_RDONLY | O_CLOEXEC) }
private func systemClose(_ descriptor: CInt) -> CInt { close(descriptor) }
