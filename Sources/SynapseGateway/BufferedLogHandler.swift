import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Log lines in `StreamLogHandler`'s format (`<time> <level> <label>: k=v … [<source>] <message>`),
/// written to a shared `LogOutput` instead of one flushed write per line: the access log's line per
/// request costs a formatted string and an append, and the write system call happens for many
/// lines at once, off the request path.
public struct BufferedLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata = Logger.Metadata()
    private let label: String
    private let output: LogOutput

    public init(label: String, output: LogOutput) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata {
            // The usual case (no handler metadata) takes the call's own dictionary, copying nothing.
            if merged.isEmpty { merged = explicit } else { merged.merge(explicit) { _, new in new } }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var pairs = ""
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { pairs += " \(key)=\(value)" }
        append(level: event.level, source: event.source, message: "\(event.message)") { $0.write(pairs) }
    }

    /// A line whose metadata `writeMetadata` writes as ` k=v …`, keys sorted, straight into the
    /// output's buffer (the access log's, once per request: no dictionary to build, merge and
    /// sort, no string to build and copy). The caller checks that the handler has no metadata of
    /// its own and that `level` passes.
    func append(level: Logger.Level, source: String, message: String, writeMetadata: (inout [UInt8]) -> Void) {
        // Problems are seen at once; the routine lines wait for the next flush.
        output.append(flushing: level >= .warning) { line, stamp in
            line.write(stamp)
            line.write(" ")
            line.write(level.rawValue)
            if !label.isEmpty {
                line.write(" ")
                line.write(label)
            }
            line.write(":")
            writeMetadata(&line)
            line.write(" [")
            line.write(source)
            line.write("] ")
            line.write(message)
            line.write("\n")
        }
    }
}

extension [UInt8] {
    mutating func write(_ text: String) { append(contentsOf: text.utf8) }

    mutating func write(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

/// A buffer of log text for one file descriptor, written when it passes 16 KiB, when a warning or
/// worse is logged, and every `interval` (`startFlushing`, a NIO timer, never a task).
public final class LogOutput: Sendable {
    /// Standard output, shared by every handler of the process.
    public static let standardOutput = LogOutput(descriptor: 1)

    private let descriptor: Int32
    private let state = Mutex<(bytes: [UInt8], second: Int, stamp: String)>(([], -1, ""))
    private let flusher = Mutex<RepeatedTask?>(nil)
    static let threshold = 16 * 1024

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Flushes every `interval` until `stopFlushing()`, and once more at process exit.
    public func startFlushing(every interval: TimeAmount = .milliseconds(100)) {
        let task = MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            flush()
        }
        flusher.withLock { $0 = task }
        atexit { LogOutput.standardOutput.flush() }
    }

    /// Appends a line, which `write` writes into the buffer, given the time stamp.
    // The write happens under the lock, so lines keep their order; it is rare (a full buffer,
    // a warning, the timer), and a blocked output blocked the unbuffered handler just the same.
    func append(flushing: Bool, _ write: (inout [UInt8], String) -> Void) {
        var now = time(nil)
        state.withLock { state in
            if state.second != Int(now) {
                state.second = Int(now)
                state.stamp = Self.timestamp(&now)
            }
            write(&state.bytes, state.stamp)
            guard flushing || state.bytes.count >= Self.threshold else { return }
            emit(state.bytes)
            state.bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Writes what is buffered.
    public func flush() {
        state.withLock { state in
            guard !state.bytes.isEmpty else { return }
            emit(state.bytes)
            state.bytes.removeAll(keepingCapacity: true)
        }
    }

    /// The local time as `StreamLogHandler` writes it; formatted once per second (`append`).
    private static func timestamp(_ now: inout time_t) -> String {
        var buffer = [Int8](repeating: 0, count: 64)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    private func emit(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
