import Foundation
import Logging
import SynapseCore
import Testing

@testable import SynapseGateway

/// The buffered access log: when lines reach the descriptor, and in which format.
@Suite struct BufferedLogHandlerTests {
    /// A pipe whose read end never blocks: `read()` returns what the log output wrote so far.
    final class Pipe: @unchecked Sendable {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
            readEnd = ends[0]
            writeEnd = ends[1]
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
        }

        func read() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = Foundation.read(readEnd, &chunk, chunk.count)
                guard count > 0 else { break }
                bytes += chunk[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }
    }

    static func logger(_ output: LogOutput, level: Logger.Level = .info) -> Logger {
        var handler = BufferedLogHandler(label: "synapse.access", output: output)
        handler.logLevel = level
        return Logger(label: "synapse.access", factory: { _ in handler })
    }

    @Test func routineLinesWaitForAFlushAndWarningsGoOutAtOnce() throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.writeEnd)
        let logger = Self.logger(output)
        logger.info("request", metadata: ["status": "200"])
        #expect(pipe.read() == "")
        logger.warning("breaker opened")
        let written = pipe.read()
        let lines = written.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix("request") == true)
        #expect(lines.last?.hasSuffix("breaker opened") == true)
        logger.info("later")
        output.flush()
        #expect(pipe.read().hasSuffix("later\n"))
    }

    @Test func aFullBufferIsWrittenWithoutWaitingForTheTimer() throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.writeEnd)
        let logger = Self.logger(output)
        let line = String(repeating: "x", count: 1000)
        for _ in 0..<(LogOutput.threshold / 1000 + 1) { logger.info("\(line)") }
        #expect(pipe.read().count > LogOutput.threshold)
    }

    @Test func linesHaveStreamLogHandlersShapeWithSortedMetadata() throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.writeEnd)
        var logger = Self.logger(output, level: .debug)
        logger[metadataKey: "replica"] = "a"
        logger.debug("done", metadata: ["status": "200", "backend": "llama-embed"])
        logger.trace("below the level")
        output.flush()
        let line = pipe.read()
        // <time> <level> <label>: k=v … [<source>] <message>
        let pattern =
            #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4} debug synapse\.access: backend=llama-embed replica=a status=200 \[SynapseGatewayTests\] done\n$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    /// The access log's own route into the handler writes what swift-log's would: the same keys,
    /// sorted, with the same values (the one the gateway sees in production, and the one any
    /// other handler, as a multiplexed one, gets).
    @Test func accessLinesWrittenDirectlyMatchSwiftLogsLines() throws {
        let pipe = try Pipe()
        let output = LogOutput(descriptor: pipe.writeEnd)
        let direct = Self.logger(output)
        let handler = try #require(direct.handler as? BufferedLogHandler)
        let multiplexed = Logger(label: "synapse.access", factory: { _ in MultiplexLogHandler([handler]) })
        for backend in [BackendID("llama-embed"), nil] {
            let line = AccessLogLine(
                method: "POST", path: "/v1/embeddings", requestID: "req-1", backend: backend, status: 200, started: .now - .milliseconds(12))
            line.write(to: direct, bytes: 27)
            line.write(to: multiplexed, bytes: 27)
        }
        output.flush()
        // The timestamps and the durations (measured at each write) aside, the pairs are identical.
        let lines = pipe.read().split(separator: "\n").map {
            $0.split(separator: " ", maxSplits: 1).last!.replacing(#/duration_ms=[0-9.]+/#, with: "duration_ms=D")
        }
        #expect(lines.count == 4)
        #expect(lines[0] == lines[1])
        #expect(lines[2] == lines[3])
        #expect(
            lines[0]
                == "info synapse.access: http.method=POST http.path=/v1/embeddings http.status=200 synapse.backend=llama-embed synapse.bytes=27 synapse.duration_ms=D synapse.request_id=req-1 [SynapseGateway] request"
        )
        #expect(!lines[2].contains("synapse.backend"))
    }
}
