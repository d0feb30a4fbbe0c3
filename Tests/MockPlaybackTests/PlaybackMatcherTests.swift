import SynapseHAR
import Testing

@testable import MockPlayback

@Suite struct PlaybackMatcherTests {
    /// A matcher over entries recorded as (method, target, body) at their own paths.
    static func matcher(_ recorded: [(String, String, String?)], mode: BodyMatch = .exact) throws -> PlaybackMatcher {
        var recording = try RecordingBuilder()
        for (method, target, body) in recorded { try recording.add(method, target, requestBody: body, body: .text("")) }
        let library = PlaybackLibrary(archive: try recording.archive(), routing: PlaybackRouting { _, target in .init(backend: "b", target: target) })
        return PlaybackMatcher(entries: library.entries(for: "b"), bodyMatch: mode)
    }

    static func request(_ method: String, _ target: String, _ body: String = "") -> PlaybackRequest {
        let parts = target.split(separator: "?", maxSplits: 1)
        return PlaybackRequest(method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil, body: Array(body.utf8))
    }

    @Test func methodPathAndBodyMustMatchUnderTheMode() throws {
        let recorded: [(String, String, String?)] = [("POST", "/v1/embeddings", #"{"input":"a"}"#), ("POST", "/v1/embeddings", #"{"input":"b"}"#)]
        let exact = try Self.matcher(recorded)
        #expect(exact.candidates(for: Self.request("POST", "/v1/embeddings", #"{"input":"b"}"#)) == [1])
        #expect(exact.candidates(for: Self.request("POST", "/v1/embeddings", #"{"input":"b","user":"u"}"#)).isEmpty)
        #expect(exact.candidates(for: Self.request("PUT", "/v1/embeddings", #"{"input":"b"}"#)).isEmpty)
        #expect(exact.candidates(for: Self.request("POST", "/v1/embedding", #"{"input":"b"}"#)).isEmpty)
        let subset = try Self.matcher(recorded, mode: .jsonSubset)
        #expect(subset.candidates(for: Self.request("POST", "/v1/embeddings", #"{"input":"b","user":"u"}"#)) == [1])
        let ignore = try Self.matcher(recorded, mode: .ignore)
        #expect(ignore.candidates(for: Self.request("POST", "/v1/embeddings", "whatever")) == [0, 1])
    }

    @Test func theQueryOnlyBreaksTies() throws {
        let matcher = try Self.matcher([("GET", "/models?a=1&b=2", nil), ("GET", "/models?a=2", nil), ("GET", "/models", nil)])
        #expect(matcher.candidates(for: Self.request("GET", "/models?b=2&a=1")) == [0])
        #expect(matcher.candidates(for: Self.request("GET", "/models")) == [2])
        #expect(matcher.candidates(for: Self.request("GET", "/models?c=3")) == [0, 1, 2])
    }

    @Test func roundRobinServesEachSetInTurn() {
        var rotation = RoundRobin()
        let served = (0..<5).map { _ in rotation.next(among: [2, 5, 7]) }
        #expect(served == [2, 5, 7, 2, 5])
        #expect(rotation.next(among: [1]) == 1)
        rotation.reset()
        #expect(rotation.next(among: [2, 5, 7]) == 2)
    }

    @Test func theClosestEntryPrefersTheSamePathThenTheSameMethod() throws {
        let matcher = try Self.matcher([("GET", "/models", nil), ("POST", "/models/load", #"{"model":"a"}"#), ("GET", "/v1/models", nil)])
        func closest(_ request: PlaybackRequest) -> (Int?, String?) {
            let miss = PlaybackMiss(request: request, matcher: matcher)
            return (miss.closest?.index, miss.closest?.reason)
        }
        #expect(closest(Self.request("POST", "/models")) == (0, "method differs: recorded GET"))
        #expect(closest(Self.request("POST", "/models/load", #"{"model":"b"}"#)) == (1, "body differs at $.model"))
        #expect(closest(Self.request("GET", "/v2/models")) == (2, "path differs: recorded /v1/models"))
        #expect(closest(Self.request("DELETE", "/model/load")) == (1, "method differs: recorded POST; path differs: recorded /models/load"))
        #expect(PlaybackMiss(request: Self.request("GET", "/"), matcher: try Self.matcher([])).closest == nil)
    }

    @Test func editDistanceCountsByteEdits() {
        #expect(PlaybackMiss.editDistance("/models", "/models") == 0)
        #expect(PlaybackMiss.editDistance("/models", "/model") == 1)
        #expect(PlaybackMiss.editDistance("/v1/models", "/v2/models") == 1)
        #expect(PlaybackMiss.editDistance("", "/abc") == 4)
    }
}
