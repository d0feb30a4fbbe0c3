import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streaming a body file: read a chunk on the thread pool, write it, and read the next only once
/// the write has reached the socket. At most one chunk per connection is in memory, whatever
/// the file's size and however slow the target reads.
extension LoadConnection {
    func streamFile(path: String, size: Int, generation: Int) {
        guard let eventLoop = context?.eventLoop else { return }
        let reader = driver.fileReader
        reader.open(path, on: eventLoop).whenComplete { result in
            switch result {
            case .success(let descriptor):
                self.writeChunk(from: descriptor, at: 0, size: size, generation: generation, reader: reader)
            case .failure(let error):
                if generation == self.generation, self.exchange != nil, let context = self.context { self.errorCaught(context: context, error: error) }
            }
        }
    }

    private func writeChunk(from descriptor: CInt, at offset: Int, size: Int, generation: Int, reader: FileBodyReader) {
        // The exchange ended (timeout, reset) while the chunk was being read: stop here.
        guard generation == self.generation, exchange != nil, let context else {
            reader.close(descriptor)
            return
        }
        guard offset < size else {
            reader.close(descriptor)
            finishBody(context: context)
            return
        }
        let eventLoop = context.eventLoop
        reader.read(descriptor, at: offset, count: min(FileBodyReader.chunkSize, size - offset), on: eventLoop).flatMap { chunk -> EventLoopFuture<Int> in
            guard generation == self.generation, self.exchange != nil, let context = self.context else { return eventLoop.makeSucceededFuture(0) }
            guard chunk.readableBytes > 0 else {
                return eventLoop.makeFailedFuture(IOError(errnoCode: EIO, reason: "body file shorter than recorded"))
            }
            self.exchange?.bytesSent += chunk.readableBytes
            return context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(chunk)))).map { chunk.readableBytes }
        }.whenComplete { result in
            switch result {
            case .success(let written):
                if written == 0 {
                    reader.close(descriptor)
                } else {
                    self.writeChunk(from: descriptor, at: offset + written, size: size, generation: generation, reader: reader)
                }
            case .failure(let error):
                reader.close(descriptor)
                if generation == self.generation, self.exchange != nil, let context = self.context { self.errorCaught(context: context, error: error) }
            }
        }
    }
}
