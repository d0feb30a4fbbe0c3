import Hummingbird
import NIOCore
import SynapseClock
import Synchronization

/// The request path's handle on one recorded exchange: it passes what happens to the
/// recorder's buffer and never waits. When the buffer refuses something the exchange is
/// dropped (counted once) and the tap falls silent.
final class RecordingTap: Sendable {
    private enum Flag {
        static let dropped = 1
        static let requestEnded = 2
        static let finished = 4
    }

    let id: Int
    private let buffer: RecordingBuffer
    private let clock: AnyClock
    private let onDrop: @Sendable () -> Void
    private let flags = Atomic<Int>(0)

    init(id: Int, buffer: RecordingBuffer, clock: AnyClock, onDrop: @escaping @Sendable () -> Void) {
        self.id = id
        self.buffer = buffer
        self.clock = clock
        self.onDrop = onDrop
    }

    deinit {
        // A response whose body was never written (the connection went first) ends here.
        if flags.load(ordering: .relaxed) & (Flag.dropped | Flag.finished) == 0 { buffer.force(.abort(id: id)) }
    }

    private var isSilent: Bool { flags.load(ordering: .relaxed) & (Flag.dropped | Flag.finished) != 0 }

    func requestBytes(_ chunk: ByteBuffer) {
        guard !isSilent else { return }
        if !buffer.offer(.requestBody(id: id, chunk)) { drop() }
    }

    func requestEnd() {
        let before = flags.bitwiseOr(Flag.requestEnded, ordering: .relaxed).oldValue
        guard before == 0 else { return }
        buffer.force(.requestEnd(id: id, at: clock.now))
    }

    func responseHead(_ response: Response) {
        guard !isSilent else { return }
        buffer.force(
            .responseHead(
                id: id,
                ResponseStart(
                    status: Int(response.status.code), reason: response.status.reasonPhrase, headers: response.headers, at: clock.now)))
    }

    func responseBytes(_ chunk: ByteBuffer) {
        guard !isSilent else { return }
        if !buffer.offer(.responseBody(id: id, chunk, at: clock.now)) { drop() }
    }

    /// The response was sent completely.
    func end() {
        let before = flags.bitwiseOr(Flag.finished, ordering: .relaxed).oldValue
        guard before & (Flag.dropped | Flag.finished) == 0 else { return }
        buffer.force(.end(id: id, at: clock.now))
    }

    /// The exchange failed (client gone, handler threw): nothing is written for it.
    func abort() {
        let before = flags.bitwiseOr(Flag.finished, ordering: .relaxed).oldValue
        guard before & (Flag.dropped | Flag.finished) == 0 else { return }
        buffer.force(.abort(id: id))
    }

    private func drop() {
        let before = flags.bitwiseOr(Flag.dropped, ordering: .relaxed).oldValue
        guard before & (Flag.dropped | Flag.finished) == 0 else { return }
        onDrop()
        buffer.force(.abort(id: id))
    }
}
