import Foundation
import SynapseCore
import Testing

@Suite struct FaultSpecTests {
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: [
        (#"{"kind":"refuse"}"#, FaultSpec.refuse),
        (#"{"kind":"hang"}"#, .hang),
        (#"{"kind":"latency","ms":200}"#, .latency(fixed: .milliseconds(200))),
        (#"{"jitter_ms":50,"kind":"latency","ms":200}"#, .latency(fixed: .milliseconds(200), jitter: .milliseconds(50))),
        (#"{"kind":"reset","phase":"before_request"}"#, .reset(.beforeRequest)),
        (#"{"kind":"status","retry_after":3,"status":503}"#, .status(code: 503, retryAfter: 3)),
        (#"{"kind":"malformed","variant":"garbage"}"#, .malformed(.garbage)),
        (#"{"bytes_per_second":1000,"kind":"slow_body"}"#, .slowBody(bytesPerSecond: 1000)),
        (#"{"after_events":2,"kind":"truncate"}"#, .truncate(.afterEvents(2))),
        (#"{"after_bytes":10,"kind":"truncate"}"#, .truncate(.afterBytes(10))),
        (#"{"after_events":1,"kind":"stall","ms":500}"#, .stall(afterEvents: 1, duration: .milliseconds(500))),
    ])
    func decodesAndEncodesEveryKind(json: String, spec: FaultSpec) throws {
        #expect(try Self.decode(FaultSpec.self, json) == spec)
        #expect(try Self.encode(spec) == json)
    }

    @Test func defaultsFillOmittedFields() throws {
        #expect(try Self.decode(FaultSpec.self, #"{"kind":"reset"}"#) == .reset(.afterRequest))
        #expect(try Self.decode(FaultSpec.self, #"{"kind":"malformed"}"#) == .malformed(.invalidJSON))
        #expect(try Self.decode(FaultSpec.self, #"{"kind":"stall","after_events":3}"#) == .stall(afterEvents: 3, duration: nil))
    }

    @Test func aRuleIsOneFlatObject() throws {
        let rule = try Self.decode(FaultRule.self, #"{"kind": "status", "status": 500, "times": 3, "route": "/v1/embeddings"}"#)
        #expect(rule.spec == .status(code: 500))
        #expect(rule.times == 3)
        #expect(rule.match == RequestMatch(route: "/v1/embeddings"))
        #expect(rule.id == "")
        let roundTripped = try Self.decode(FaultRule.self, try Self.encode(rule))
        #expect(roundTripped == rule)
    }

    @Test(arguments: [
        (#"{"kind":"boom"}"#, "unknown fault kind"),
        (#"{"kind":"status","status":42}"#, "between 100 and 599"),
        (#"{"kind":"slow_body","bytes_per_second":0}"#, "must be positive"),
        (#"{"kind":"truncate","after_bytes":1,"after_events":1}"#, "exactly one"),
        (#"{"kind":"latency","ms":-1}"#, "must not be negative"),
    ])
    func invalidSpecsAreRejectedWithAReason(json: String, reason: String) {
        do {
            _ = try Self.decode(FaultSpec.self, json)
            Issue.record("decoded \(json)")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains(reason))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        (#"{"kind":"hang","times":0}"#, "times must be at least 1"),
        (#"{"kind":"hang","every":0}"#, "every must be at least 1"),
        (#"{"kind":"hang","probability":1.5}"#, "probability must be between 0 and 1"),
        (#"{"kind":"hang","route":"v1"}"#, "route must start with /"),
    ])
    func invalidRulesAreRejected(json: String, reason: String) {
        #expect(throws: DecodingError.self) { try Self.decode(FaultRule.self, json) }
        let rule = try? JSONDecoder().decode(FaultRule.self, from: Data(json.utf8))
        #expect(rule == nil)
        _ = reason
    }

    @Test(arguments: [
        ("status=503", FaultSpec.status(code: 503)),
        ("status=429;retry_after=2", .status(code: 429, retryAfter: 2)),
        ("latency=200;jitter_ms=50", .latency(fixed: .milliseconds(200), jitter: .milliseconds(50))),
        ("reset", .reset(.afterRequest)),
        ("reset=before_request", .reset(.beforeRequest)),
        ("hang", .hang),
        ("malformed=wrong_content_type", .malformed(.wrongContentType)),
        ("slow_body=1000", .slowBody(bytesPerSecond: 1000)),
        ("truncate=100", .truncate(.afterBytes(100))),
        ("truncate;after_events=2", .truncate(.afterEvents(2))),
        (" stall=2 ; ms=500 ", .stall(afterEvents: 2, duration: .milliseconds(500))),
    ])
    func parsesTheCompactHeaderForm(text: String, spec: FaultSpec) throws {
        #expect(try FaultSpec(compact: text) == spec)
        #expect(try FaultSpec(compact: spec.description) == spec)
    }

    @Test(arguments: ["", "explode", "hang=5", "status=abc", "truncate"])
    func rejectsBadCompactForms(text: String) {
        #expect(throws: (any Error).self) { try FaultSpec(compact: text) }
    }
}

@Suite struct RequestMatchTests {
    @Test(arguments: [
        ("/v1/embeddings", "POST", "/v1/embeddings", true),
        ("/v1/embeddings", "POST", "/v1/embeddings?x=1", true),
        ("/v1/embeddings", "POST", "/v1/embeddings/x", false),
        ("/v1/*", "GET", "/v1", true),
        ("/v1/*", "GET", "/v1/models", true),
        ("/v1/*", "GET", "/v10", false),
        ("*", "GET", "/anything", true),
    ])
    func matchesExactAndPrefixRoutes(route: String, method: String, path: String, expected: Bool) {
        #expect(RequestMatch(route: route).matches(method: method, path: path) == expected)
    }

    @Test func methodIsCaseInsensitive() {
        let match = RequestMatch(method: "post")
        #expect(match.matches(method: "POST", path: "/x"))
        #expect(!match.matches(method: "GET", path: "/x"))
    }
}

@Suite struct FaultScheduleTests {
    func hits(_ rule: FaultRule, count: Int) -> [Bool] {
        var schedule = FaultSchedule(rule: rule)
        return (0..<count).map { _ in schedule.admit() }
    }

    @Test func timesHitsTheFirstNThenIsSpent() {
        var schedule = FaultSchedule(rule: FaultRule(.hang, times: 3))
        #expect((0..<5).map { _ in schedule.admit() } == [true, true, true, false, false])
        #expect(schedule.isSpent)
    }

    @Test func everyHitsEachKth() {
        #expect(hits(FaultRule(.hang, every: 3), count: 7) == [false, false, true, false, false, true, false])
    }

    @Test func everyWithTimesStopsAfterTheLimit() {
        #expect(hits(FaultRule(.hang, times: 1, every: 2), count: 6) == [false, true, false, false, false, false])
    }

    @Test func probabilityWithASeedReplays() {
        let first = hits(FaultRule(.hang, probability: 0.3, seed: 9), count: 64)
        #expect(hits(FaultRule(.hang, probability: 0.3, seed: 9), count: 64) == first)
        #expect(hits(FaultRule(.hang, probability: 0.3, seed: 10), count: 64) != first)
        let rate = Double(first.filter { $0 }.count) / 64
        #expect(rate > 0.1 && rate < 0.5)
    }

    @Test func probabilityZeroAndOneAreExact() {
        #expect(hits(FaultRule(.hang, probability: 0), count: 20).allSatisfy { !$0 })
        #expect(hits(FaultRule(.hang, probability: 1), count: 20).allSatisfy { $0 })
    }
}
