import Foundation
import SynapseMockKit
import Testing

/// `X-Mock-Fault` values that used to trap the whole process (gateway and every mock with it).
@Suite struct FaultHeaderCrashTests {
    @Test(arguments: ["=", "=5", "status=503;=", "latency=nan", "status=inf"])
    func aFaultHeaderWithoutANameIsA400(value: String) async throws {
        try await withMockServer(TestMock()) { mock in
            let reply = try await HTTP.send(mock.url("/health"), headers: [("X-Mock-Fault", value)])
            #expect(reply.status == 400)
            #expect(try await HTTP.send(mock.url("/health")).status == 200)
        }
    }
}
