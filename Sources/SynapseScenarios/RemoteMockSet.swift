import AsyncHTTPClient
import Logging
import NIOPosix
import SynapseClock
import SynapseCore

/// Attaches to a running mock set through its HTTP control API (`synapse mocks`, `synapse dev`,
/// or a cluster started by a test) and speaks nothing but HTTP. Time is real: the remote mocks
/// sleep on their own clock, so scenarios that declare `requires: [virtualTime]` are skipped.
public struct RemoteMockSets: MockSetProvider {
    /// `http://HOST:PORT` of the control API.
    public let controlURL: String

    public init(controlURL: String) {
        self.controlURL = controlURL.hasSuffix("/") ? String(controlURL.dropLast()) : controlURL
    }

    public var capabilities: MockSetCapabilities { [] }

    /// Checks that every mock named is there, resets them (a shared mock set starts each scenario
    /// clean), then runs `body`.
    public func withMockSet<T: Sendable>(
        mocks: [String]?, clock: VirtualClock?, logger: Logger, _ body: @Sendable (any MockSet) async throws -> T
    ) async throws -> T {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: ScenarioRunner.clientConfiguration)
        do {
            let set = RemoteMockSet(controlURL: controlURL, calls: HTTPCalls(client: client))
            let served = try await set.backends().map(\.name)
            let names = mocks ?? served
            if let missing = names.first(where: { !served.contains($0) }) {
                throw ScenarioError.setupFailed("the mock set at \(controlURL) has no mock '\(missing)' (it serves: \(served.joined(separator: ", ")))")
            }
            for name in names { try await set.reset(name) }
            let result = try await body(set)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// One remote mock set: the control API's routes (see `ControlAPI` in the mock kit).
struct RemoteMockSet: MockSet {
    let controlURL: String
    let calls: HTTPCalls

    func backends() async throws -> [MockBackend] {
        let answer = try await calls.json("GET", "\(controlURL)/mocks")
        guard answer.status == 200, let list = answer.json?["mocks"]?.arrayValue else {
            throw ScenarioError.targetUnavailable("GET \(controlURL)/mocks answered \(answer.status)")
        }
        return list.compactMap { item in
            guard let name = item["name"]?.stringValue, let url = item["url"]?.stringValue else { return nil }
            return MockBackend(
                name: name, baseURL: url, type: item["type"]?.stringValue ?? "openai-compatible", health: item["health"]?.stringValue ?? "/health",
                routes: item["routes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    func inject(_ rule: JSONValue, into mock: String) async throws {
        let answer = try await calls.json("POST", "\(controlURL)/mocks/\(mock)/faults", body: rule)
        guard answer.status == 201 else {
            throw MockSetRefusal("the control API refused the fault: \(answer.status) \(answer.json?.text() ?? "")")
        }
    }

    func clearFaults(of mock: String) async throws {
        let answer = try await calls.json("DELETE", "\(controlURL)/mocks/\(mock)/faults")
        if answer.status >= 300 { throw MockSetRefusal("clearing faults of \(mock) answered \(answer.status)") }
    }

    func journal(of mock: String) async throws -> [JSONValue] {
        let answer = try await calls.json("GET", "\(controlURL)/mocks/\(mock)/journal")
        guard answer.status == 200 else { throw MockSetRefusal("the journal of \(mock) answered \(answer.status)") }
        return answer.json?["entries"]?.arrayValue ?? []
    }

    func reset(_ mock: String) async throws {
        let answer = try await calls.json("POST", "\(controlURL)/mocks/\(mock)/reset")
        if answer.status >= 300 { throw MockSetRefusal("reset of \(mock) answered \(answer.status)") }
    }

    /// `POST /speech` on the control API: the mock set's own speech synthesizer (the one its TTS
    /// mock uses), outside any mock, so it adds nothing to a journal and no fault touches it.
    func synthesizeSpeech(text: String, voice: String) async throws -> [UInt8] {
        let body = JSONValue.object([("text", .string(text)), ("voice", .string(voice))])
        let observation = await calls.send(
            method: "POST", url: "\(controlURL)/speech", headers: [("Content-Type", "application/json")],
            body: Array(body.text().utf8), stream: false, timeout: .seconds(30), clock: { .zero })
        guard observation.status == 200 else {
            throw ScenarioError.targetUnavailable("POST \(controlURL)/speech: \(observation.error ?? "status \(observation.status)")")
        }
        return observation.body
    }
}
