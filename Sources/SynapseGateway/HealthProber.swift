import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore

/// `GET /health`: probes every backend's health path at once, each bounded by a short timeout,
/// so a dead backend cannot make the answer slow. Keeps the original gateway's shape:
///
/// ```json
/// {"status":"degraded","backends":{"llama-embed":{"status":"healthy","code":200,"latency_ms":1.2},
///                                  "whisper-stt":{"status":"unreachable","error":"connection refused","latency_ms":0.4}}}
/// ```
public struct HealthProber: Sendable {
    let backends: [BackendConfig]
    let pool: BackendPool
    let timeout: Duration
    /// The gateway's injected clock: the probe timeout runs on it like every other deadline.
    let clock: AnyClock

    public struct Probe: Sendable, Equatable {
        public enum Status: String, Sendable { case healthy, unhealthy, unreachable }
        public var status: Status
        public var code: Int?
        public var error: String?
        public var latencyMilliseconds: Double
    }

    /// Probes all backends concurrently; results in configuration order.
    public func probeAll() async -> [(BackendID, Probe)] {
        await withTaskGroup(of: (Int, Probe).self) { group in
            for (index, backend) in backends.enumerated() {
                group.addTask { (index, await probe(backend)) }
            }
            var results = [Probe?](repeating: nil, count: backends.count)
            for await (index, probe) in group { results[index] = probe }
            return zip(backends, results).map { ($0.id, $1!) }
        }
    }

    func probe(_ backend: BackendConfig) async -> Probe {
        let started = ContinuousClock.now
        let elapsed = { (ContinuousClock.now - started).milliseconds.rounded(toPlaces: 1) }
        guard let client = pool.client(for: backend.id) else {
            return Probe(status: .unreachable, error: "no client", latencyMilliseconds: 0)
        }
        var request = HTTPClientRequest(url: backend.url.descriptionWithUserInfo + backend.health)
        request.method = .GET
        do {
            let backstop = NIODeadline.now() + .nanoseconds(timeout.nanoseconds)
            let code = try await Deadline(after: timeout, clock: clock).run { [request] in
                // A real-time backstop as well: AsyncHTTPClient never waits without a deadline.
                let response = try await client.execute(request, deadline: backstop)
                // Drain (bounded) so the connection can be reused.
                _ = try? await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
            return Probe(status: code == 200 ? .healthy : .unhealthy, code: code, latencyMilliseconds: elapsed())
        } catch {
            let reason: String
            switch UpstreamFailure.classify(error) {
            case .connectFailed(let why): reason = why
            case .deadlineExceeded: reason = "no answer within \(ConfigScalars.format(timeout))"
            case .reset: reason = "connection closed"
            case .malformedResponse(let why), .other(let why): reason = why
            case .tlsFailed(let why): reason = "TLS: " + why
            case .cancelled: reason = "cancelled"
            }
            return Probe(status: .unreachable, error: reason, latencyMilliseconds: elapsed())
        }
    }

    /// The `/health` response body.
    /// - Parameter replica: the answering replica's id (`gateway.instanceID`), added as `replica`.
    /// - Parameter extra: a `breaker` member to add to a backend's entry, if any.
    public func report(replica: String? = nil, adding extra: (BackendID) -> JSONValue? = { _ in nil }) async -> JSONValue {
        let results = await probeAll()
        var backends: [(String, JSONValue)] = []
        for (id, probe) in results {
            var entry: [(String, JSONValue)] = [("status", .string(probe.status.rawValue)), ("latency_ms", .number(probe.latencyMilliseconds))]
            if let code = probe.code { entry.append(("code", .int(code))) }
            if let error = probe.error { entry.append(("error", .string(error))) }
            if let breaker = extra(id) { entry.append(("breaker", breaker)) }
            backends.append((id.rawValue, .object(entry)))
        }
        let healthy = results.allSatisfy { $0.1.status == .healthy }
        var fields: [(String, JSONValue)] = [("status", .string(healthy ? "healthy" : "degraded")), ("backends", .object(backends))]
        if let replica { fields.append(("replica", .string(replica))) }
        return .object(fields)
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
