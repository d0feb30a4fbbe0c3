import SynapseCore

/// How a request body is compared with a recorded one (`--playback-match`).
///
/// | mode          | a recorded body matches an incoming one when …                                  |
/// |---------------|----------------------------------------------------------------------------------|
/// | `exact`       | the bytes are identical                                                          |
/// | `json-subset` | both are JSON and the recorded document is a subset of the incoming one (see     |
/// |               | `JSONValue.firstMismatch(asSubsetOf:)`): an extra field in the request still     |
/// |               | matches; a body that is not JSON on either side falls back to `exact`            |
/// | `ignore`      | always: method and path alone decide                                             |
public enum BodyMatch: String, Sendable, CaseIterable {
    case exact
    case jsonSubset = "json-subset"
    case ignore

    /// Whether `incoming` matches `recorded`, and if not, where they part.
    func compare(recorded: RecordedRequestBody, incoming: IncomingBody) -> BodyComparison {
        switch self {
        case .ignore:
            return .same
        case .exact:
            if recorded.hasBytes(equalTo: incoming.bytes) { return .same }
            return .differs(Self.difference(recorded: recorded, incoming: incoming, subset: false))
        case .jsonSubset:
            guard let expected = recorded.json, let actual = incoming.json else {
                if recorded.hasBytes(equalTo: incoming.bytes) { return .same }
                return .differs(Self.difference(recorded: recorded, incoming: incoming, subset: true))
            }
            return expected.firstMismatch(asSubsetOf: actual).map { .differs("body differs at \($0)") } ?? .same
        }
    }

    /// A short reason for a body mismatch: the first JSON path that differs when both are JSON.
    private static func difference(recorded: RecordedRequestBody, incoming: IncomingBody, subset: Bool) -> String {
        if let expected = recorded.json, let actual = incoming.json {
            if let path = subset ? expected.firstMismatch(asSubsetOf: actual) : expected.firstDifference(from: actual) {
                return "body differs at \(path)"
            }
            // Same document, other bytes: only `exact` gets here.
            return "body differs in formatting only (exact compares bytes)"
        }
        if recorded.json != nil, incoming.json == nil { return "body is not JSON, the recorded one is" }
        return "body differs (\(incoming.bytes.count) bytes, recorded \(recorded.count))"
    }
}

/// The outcome of comparing two bodies.
enum BodyComparison: Equatable, Sendable {
    case same
    case differs(String)
}
