import Foundation
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct FaultInjectionTests {
    @Test func aHealthyMockAnswersWithItsServerHeader() async throws {
        try await withMockServer(TestMock()) { mock in
            let reply = try await HTTP.send(mock.url("/health"))
            #expect(reply.status == 200)
            #expect(reply.text == #"{"status":"ok"}"#)
            #expect(reply.header("Server") == "test-server/1.0")
        }
    }

    @Test func aMockWithoutServerHeaderSendsNone() async throws {
        try await withMockServer(TestMock(serverHeader: nil)) { mock in
            let reply = try await HTTP.send(mock.url("/health"))
            #expect(reply.header("Server") == nil)
        }
    }

    @Test func refuseIsARealConnectionRefusedUntilCleared() async throws {
        try await withMockServer(TestMock()) { mock in
            #expect(await RawConnection.connectErrno(port: mock.port) == nil)
            try await mock.inject(.refuse)
            #expect(await RawConnection.connectErrno(port: mock.port) == ECONNREFUSED)
            try await mock.clearFaults()
            let reply = try await HTTP.send(mock.url("/health"))
            #expect(reply.status == 200)
        }
    }

    @Test func removingTheRefuseRuleByIdReopensTheSamePort() async throws {
        try await withMockServer(TestMock()) { mock in
            let rule = try await mock.inject(.refuse)
            #expect(await RawConnection.connectErrno(port: mock.port) == ECONNREFUSED)
            try await mock.removeFault(id: rule.id)
            #expect(await RawConnection.connectErrno(port: mock.port) == nil)
        }
    }

    /// While refusing, the port stays held: a server elsewhere that binds it (as a parallel test's
    /// server could) fails, so the cleared mock re-binds its own port.
    @Test func aRefusingMocksPortCannotBeTakenByAnotherSocket() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(.refuse)
            #expect(Self.bindErrno(port: mock.port) == EADDRINUSE)
            #expect(await RawConnection.connectErrno(port: mock.port) == ECONNREFUSED)
            try await mock.clearFaults()
            #expect(await RawConnection.connectErrno(port: mock.port) == nil)
            #expect(Self.bindErrno(port: mock.port) == EADDRINUSE)
        }
    }

    /// 0 when a plain socket (no `SO_REUSEADDR`) could bind 127.0.0.1:port, else the errno.
    static func bindErrno(port: Int) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? 0 : errno
    }

    @Test func resetAfterTheRequestIsATCPReset() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(.reset(.afterRequest))
            let ending = try await RawConnection.exchange(port: mock.port, request: RawConnection.get("/health"))
            #expect(ending == .reset([]))
        }
    }

    @Test func resetBeforeTheRequestBodyIsATCPReset() async throws {
        try await withMockServer(TestMock()) { mock in
            let request = "POST /echo HTTP/1.1\r\nHost: x\r\nX-Mock-Fault: reset=before_request\r\nContent-Length: 100000\r\n\r\npartial"
            let ending = try await RawConnection.exchange(port: mock.port, request: request)
            #expect(ending == .reset([]))
            let entry = try await mock.journal.entry(1)
            #expect(entry.bodyComplete == false)
            #expect(entry.fault == "reset=before_request")
        }
    }

    @Test func truncateAfterEventsEndsTheStreamWithoutTheFinalChunk() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(FaultRule(.truncate(.afterEvents(2)), match: RequestMatch(route: "/events")))
            let ending = try await RawConnection.exchange(port: mock.port, request: RawConnection.get("/events"))
            guard case .closed = ending else {
                Issue.record("expected a clean close, got \(ending)")
                return
            }
            #expect(ending.text.contains("data: 1\n\n"))
            #expect(ending.text.contains("data: 2\n\n"))
            #expect(!ending.text.contains("data: 3"))
            #expect(!ending.text.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test func truncateAfterBytesSendsFewerBytesThanContentLength() async throws {
        try await withMockServer(TestMock()) { mock in
            let ending = try await RawConnection.exchange(
                port: mock.port, request: RawConnection.get("/big", headers: ["X-Mock-Fault: truncate=100"]))
            let text = ending.text
            #expect(text.contains("Content-Length: 1000") || text.contains("content-length: 1000"))
            let body = try #require(text.range(of: "\r\n\r\n")).upperBound
            #expect(text[body...].count == 100)
        }
    }

    @Test func anUntruncatedStreamIsComplete() async throws {
        try await withMockServer(TestMock()) { mock in
            let ending = try await RawConnection.exchange(port: mock.port, request: RawConnection.get("/events"))
            #expect(ending.text.contains("data: 5\n\n"))
            #expect(ending.text.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test func hangNeverAnswers() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(.hang)
            let ending = try await RawConnection.exchange(port: mock.port, request: RawConnection.get("/health"), timeout: .milliseconds(300))
            #expect(ending == .timedOut([]))
            // The request itself was received and journalled.
            #expect(try await mock.journal.entry(1).fault == "hang")
        }
    }

    @Test func latencyWaitsOnTheMockClock() async throws {
        let clock = RecordingTime()
        try await withMockServer(TestMock(), time: clock.time) { mock in
            try await mock.inject(.latency(fixed: .milliseconds(200)))
            #expect(try await HTTP.send(mock.url("/health")).status == 200)
            #expect(clock.recorded == [.milliseconds(200)])
        }
    }

    @Test func latencyJitterStaysWithinItsBound() async throws {
        let clock = RecordingTime()
        try await withMockServer(TestMock(), time: clock.time) { mock in
            try await mock.inject(FaultRule(.latency(fixed: .milliseconds(100), jitter: .milliseconds(50)), seed: 7))
            for _ in 0..<5 { _ = try await HTTP.send(mock.url("/health")) }
            #expect(clock.recorded.count == 5)
            #expect(clock.recorded.allSatisfy { $0 >= .milliseconds(100) && $0 < .milliseconds(150) })
            #expect(Set(clock.recorded).count > 1)
        }
    }

    @Test func slowBodyPacesTheWholeBodyAtTheGivenRate() async throws {
        let clock = RecordingTime()
        try await withMockServer(TestMock(), time: clock.time) { mock in
            try await mock.inject(.slowBody(bytesPerSecond: 1000))
            let reply = try await HTTP.send(mock.url("/big"))
            #expect(reply.body.count == 1000)
            #expect(clock.recorded.count == 10)
            #expect(clock.total == .seconds(1))
        }
    }

    @Test func stallPausesAfterTheGivenEventThenFinishes() async throws {
        let clock = RecordingTime()
        try await withMockServer(TestMock(), time: clock.time) { mock in
            try await mock.inject(.stall(afterEvents: 2, duration: .milliseconds(500)))
            let ending = try await RawConnection.exchange(port: mock.port, request: RawConnection.get("/events"))
            #expect(ending.text.contains("data: 5\n\n"))
            #expect(clock.recorded == [.milliseconds(500)])
        }
    }

    @Test func statusUsesTheBackendsErrorFormatAndRetryAfter() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(.status(code: 503, message: "loading model", retryAfter: 2))
            let reply = try await HTTP.send(mock.url("/health"))
            #expect(reply.status == 503)
            #expect(reply.text == #"{"error":{"code":503,"message":"loading model"}}"#)
            #expect(reply.header("Retry-After") == "2")
        }
    }

    @Test func threeTimesThenTheFaultIsSpent() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(FaultRule(.status(code: 500), times: 3))
            #expect(try await HTTP.statuses(mock.url("/health"), count: 5) == [500, 500, 500, 200, 200])
            #expect(mock.faults.isEmpty)
        }
    }

    @Test func everySecondRequestFails() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(FaultRule(.status(code: 503), every: 2))
            #expect(try await HTTP.statuses(mock.url("/health"), count: 6) == [200, 503, 200, 503, 200, 503])
        }
    }

    @Test func routeAndMethodTargetOnlyMatchingRequests() async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(FaultRule(.status(code: 500), match: RequestMatch(route: "/echo", method: "POST")))
            #expect(try await HTTP.send(mock.url("/health")).status == 200)
            #expect(try await HTTP.send(mock.url("/echo"), method: .POST, body: [1]).status == 500)
        }
    }

    @Test func aSeededProbabilityReplaysTheSameSequence() async throws {
        func run(seed: UInt64) async throws -> [Int] {
            try await withMockServer(TestMock()) { mock in
                try await mock.inject(FaultRule(.status(code: 500), probability: 0.5, seed: seed))
                return try await HTTP.statuses(mock.url("/health"), count: 16)
            }
        }
        let first = try await run(seed: 42)
        #expect(try await run(seed: 42) == first)
        #expect(try await run(seed: 43) != first)
        #expect(first.contains(500) && first.contains(200))
    }

    @Test func theFaultHeaderInjectsAOneOffFault() async throws {
        try await withMockServer(TestMock()) { mock in
            let faulted = try await HTTP.send(mock.url("/health"), headers: [("X-Mock-Fault", "status=429;retry_after=1")])
            #expect(faulted.status == 429)
            #expect(faulted.header("Retry-After") == "1")
            #expect(try await HTTP.send(mock.url("/health")).status == 200)
        }
    }

    @Test func aBadFaultHeaderIsA400InTheBackendsFormat() async throws {
        try await withMockServer(TestMock()) { mock in
            let reply = try await HTTP.send(mock.url("/health"), headers: [("X-Mock-Fault", "explode")])
            #expect(reply.status == 400)
            #expect(reply.text.contains("unknown fault kind"))
        }
    }

    @Test(arguments: FaultSpec.MalformedVariant.allCases)
    func malformedBreaksTheBody(variant: FaultSpec.MalformedVariant) async throws {
        try await withMockServer(TestMock()) { mock in
            try await mock.inject(.malformed(variant))
            let reply = try await HTTP.send(mock.url("/health"))
            #expect(reply.status == 200)
            let parses = (try? JSONSerialization.jsonObject(with: Data(reply.body))) != nil
            switch variant {
            case .invalidJSON, .garbage: #expect(!parses)
            case .wrongContentType:
                #expect(parses)
                #expect(reply.header("Content-Type")?.hasPrefix("text/html") == true)
            }
        }
    }
}
