import SynapseCore
import SynapseHAR
import Testing

@testable import MockPlayback

@Suite struct BodyMatchTests {
    static func compare(_ mode: BodyMatch, recorded: String, incoming: String) -> BodyComparison {
        mode.compare(recorded: RecordedRequestBody(.bytes(Array(recorded.utf8))), incoming: IncomingBody(Array(incoming.utf8)))
    }

    @Test func exactComparesBytes() {
        #expect(Self.compare(.exact, recorded: #"{"a":1}"#, incoming: #"{"a":1}"#) == .same)
        #expect(Self.compare(.exact, recorded: #"{"a":1}"#, incoming: #"{"a": 1}"#) == .differs("body differs in formatting only (exact compares bytes)"))
        #expect(Self.compare(.exact, recorded: #"{"a":1}"#, incoming: #"{"a":2}"#) == .differs("body differs at $.a"))
        #expect(Self.compare(.exact, recorded: "abc", incoming: "abcd") == .differs("body differs (4 bytes, recorded 3)"))
    }

    @Test func jsonSubsetAcceptsExtraFieldsOtherKeyOrderAndEqualNumbers() {
        let recorded = #"{"model":"mxbai","input":["a","b"],"options":{"n":1}}"#
        #expect(Self.compare(.jsonSubset, recorded: recorded, incoming: #"{"input":["a","b"],"user":"x","model":"mxbai","options":{"n":1.0,"m":2}}"#) == .same)
        #expect(
            Self.compare(.jsonSubset, recorded: recorded, incoming: #"{"model":"qwen","input":["a","b"],"options":{"n":1}}"#)
                == .differs("body differs at $.model"))
        #expect(
            Self.compare(.jsonSubset, recorded: recorded, incoming: #"{"model":"mxbai","input":["a"],"options":{"n":1}}"#)
                == .differs("body differs at $.input[1]"))
        #expect(Self.compare(.jsonSubset, recorded: recorded, incoming: #"{"model":"mxbai","input":["a","b"]}"#) == .differs("body differs at $.options"))
    }

    @Test func jsonSubsetComparesOtherBodiesExactly() {
        #expect(Self.compare(.jsonSubset, recorded: "--b\r\nfield\r\n--b--", incoming: "--b\r\nfield\r\n--b--") == .same)
        #expect(Self.compare(.jsonSubset, recorded: #"{"a":1}"#, incoming: "a=1") == .differs("body is not JSON, the recorded one is"))
    }

    @Test func ignoreMatchesAnyBody() {
        #expect(Self.compare(.ignore, recorded: #"{"a":1}"#, incoming: "anything") == .same)
    }
}
