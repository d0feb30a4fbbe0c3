import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseLoad

/// Where a scenario runs: the gateway to talk to, the mock set behind it, and how time passes.
///
/// With an in-process mock set the runner owns a `VirtualClock` and moves it; with a remote mock
/// set (`--mocks`) or a running gateway (`--target`) time is real and `wait` really sleeps.
public struct ScenarioTarget: Sendable {
    /// How time passes for the scenario.
    public enum Time: Sendable {
        /// Gateway and mocks sleep on this clock; the runner advances it.
        case virtual(VirtualClock)
        /// The real clock.
        case real
    }

    /// `http://HOST:PORT` of the gateway.
    public var gatewayURL: String
    /// The mocks behind the gateway: faults, journals, resets and speech go through it.
    public var mocks: any MockSet
    public var time: Time
    /// The gateway's voice library folder, when it is on this machine.
    public var voiceLibraryDir: String?

    public init(gatewayURL: String, mocks: any MockSet, time: Time = .real, voiceLibraryDir: String? = nil) {
        self.gatewayURL = gatewayURL.hasSuffix("/") ? String(gatewayURL.dropLast()) : gatewayURL
        self.mocks = mocks
        self.time = time
        self.voiceLibraryDir = voiceLibraryDir
    }

    /// Now on the scenario's clock, as time since an arbitrary origin.
    func now() -> Duration {
        switch time {
        case .virtual(let clock): clock.now.offset
        case .real: Self.realNow()
        }
    }

    /// Runs one runner request under its client timeout on the scenario clock. On virtual time the
    /// timeout is a deadline timer on the `VirtualClock` (it races the request; the driver never
    /// counts it as a sleeper), so "the client gives up after 1 s" means scenario time; the HTTP
    /// client's own real-time timeout stays as a backstop. On real time only the latter applies.
    func withClientTimeout(_ timeout: Duration, _ send: @escaping @Sendable () async -> Observation) async -> Observation {
        guard case .virtual(let clock) = time else { return await send() }
        do {
            return try await Deadline(after: timeout, clock: clock).run(send)
        } catch {
            return Observation(status: 0, complete: false, latency: timeout, error: "client timeout after \(ScenarioReport.format(timeout)) of scenario time")
        }
    }

    /// Real time since an arbitrary origin (the scenario clock of `.real` targets).
    static func realNow() -> Duration { ContinuousClock.now - origin }

    private static let origin = ContinuousClock.now
}

/// Plain HTTP calls to the gateway and a remote mock set's control API.
struct HTTPCalls: Sendable {
    let client: HTTPClient

    /// Sends one request and reads the whole response (as events when `stream`); transport
    /// failures become an `Observation` with status 0 rather than an error.
    func send(
        method: String, url: String, headers: [(String, String)], body: [UInt8]?, stream: Bool, timeout: Duration,
        clock: @Sendable () -> Duration
    ) async -> Observation {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body, !(body.isEmpty && ["GET", "HEAD", "DELETE"].contains(method)) {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let started = clock()
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        } catch {
            return Observation(status: 0, complete: false, latency: clock() - started, error: "\(error)")
        }
        var observation = Observation(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) })
        var scanner = EventStreamScanner()
        do {
            for try await chunk in response.body {
                let bytes = chunk.readableBytesView
                observation.body.append(contentsOf: bytes)
                // The data of each event that has some (`events:` checks read data, not names).
                if stream { observation.events += scanner.feed(bytes).filter(\.hasData).map { String(decoding: $0.data, as: UTF8.self) } }
            }
        } catch {
            observation.complete = false
            observation.error = "body cut: \(error)"
        }
        observation.latency = clock() - started
        return observation
    }

    /// A JSON call to a control or admin endpoint; throws `targetUnavailable` on transport errors.
    func json(_ method: String, _ url: String, body: JSONValue? = nil) async throws(ScenarioError) -> (status: Int, json: JSONValue?) {
        let observation = await send(
            method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")],
            body: body.map { Array($0.text().utf8) }, stream: false, timeout: .seconds(30),
            clock: { .zero })
        guard observation.status != 0 else { throw .targetUnavailable("\(method) \(url): \(observation.error ?? "no response")") }
        return (observation.status, observation.json)
    }

    /// Text of a GET (for `/metrics`).
    func text(_ url: String) async throws(ScenarioError) -> String {
        let observation = await send(method: "GET", url: url, headers: [], body: nil, stream: false, timeout: .seconds(30), clock: { .zero })
        guard observation.status == 200 else {
            throw .targetUnavailable("GET \(url): \(observation.error ?? "status \(observation.status)")")
        }
        return String(decoding: observation.body, as: UTF8.self)
    }
}
