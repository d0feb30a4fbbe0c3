import Foundation
import Testing

@testable import SynapseGateway

@Suite struct RequestIDSourceTests {
    /// The ids have the shape `UUID().uuidString.lowercased()` had: a version-4 UUID that
    /// Foundation reads back, different every time.
    @Test func idsAreLowerCaseVersionFourUUIDs() throws {
        let source = RequestIDSource()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = source.next()
            #expect(id.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil, "\(id)")
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test func aRequestWithoutAnIDGetsANewOne() {
        let first = GatewayResponder.requestID(from: nil)
        #expect(first.count == 36)
        #expect(GatewayResponder.requestID(from: "") != first)
        #expect(GatewayResponder.requestID(from: "client-chosen") == "client-chosen")
    }
}
