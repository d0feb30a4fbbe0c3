import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseResilience

/// The router calls that model management makes (list, load, unload, props, the status stream),
/// each through the `BackendExchange` (the `Forwarder`): the router's breaker, connection-only retries and the
/// caller's deadline apply as to every other backend call. A router that is down therefore fails
/// a chat with the gateway's usual 503 after the retries, or at once while its breaker is open.
struct RouterClient: Sendable {
    let backend: BackendConfig
    let upstream: any BackendExchange
    let clock: AnyClock
    /// Where loads and unloads are announced (`GET /events`, type `model`).
    var events: EventFeed? = nil

    /// Model lists and load answers are small; anything larger is not a router's.
    static let bodyLimit = 8 << 20

    /// `GET /models`. A 404 or 405 (a server with no router API) reads as unmanaged.
    func list(requestID: String, deadline: AnyClock.Instant) async throws -> RouterListing {
        let (status, body) = try await call(.GET, "/models", body: nil, requestID: requestID, deadline: deadline)
        if status == 404 || status == 405 { return .unmanaged }
        guard status == 200 else {
            throw GatewayError.modelListFailed("\(backend.id) /models failed with status \(status)", router: backend.id)
        }
        guard let document = try? JSONValue.parse(body.readableBytesView), let items = document["data"]?.arrayValue else {
            throw GatewayError.modelListFailed("\(backend.id) /models returned invalid payload", router: backend.id)
        }
        return RouterListing(document: document, items: items)
    }

    /// `POST /models/load`; the status and body as the router answered.
    func load(_ model: String, requestID: String, deadline: AnyClock.Instant) async throws -> (status: Int, body: ByteBuffer) {
        let answer = try await call(.POST, "/models/load", body: .obj(("model", .string(model))), requestID: requestID, deadline: deadline)
        announce(answer.status == 200 ? "loading" : "failed", model: model, status: answer.status)
        return answer
    }

    /// `POST /models/unload`; the status and body as the router answered.
    func unload(_ model: String, requestID: String, deadline: AnyClock.Instant) async throws -> (status: Int, body: ByteBuffer) {
        let answer = try await call(.POST, "/models/unload", body: .obj(("model", .string(model))), requestID: requestID, deadline: deadline)
        announce(answer.status == 200 ? "unloaded" : "failed", model: model, status: answer.status)
        return answer
    }

    /// A `model` event on the feed: `action`, `model`, and the router's status when there is one.
    func announce(_ action: String, model: String, status: Int? = nil, _ extra: [(String, JSONValue)] = []) {
        var fields: [(String, JSONValue)] = [("action", .string(action)), ("model", .string(model))]
        if let status { fields.append(("status", .number(Double(status)))) }
        events?.publish(.model, backend: backend.id.rawValue, fields + extra)
    }

    /// The router's `--models-max` from `GET /props` (`max_instances`); nil when it does not say.
    func maxInstances(requestID: String, deadline: AnyClock.Instant) async -> Int? {
        guard let (status, body) = try? await call(.GET, "/props", body: nil, requestID: requestID, deadline: deadline), status == 200,
            let props = try? JSONValue.parse(body.readableBytesView), let max = props["max_instances"]?.intValue, max > 0
        else { return nil }
        return max
    }

    /// `GET /models/sse`, the router's live status stream; nil when the router has none.
    func statusEvents(requestID: String, deadline: AnyClock.Instant) async throws -> HTTPClientResponse? {
        let result = try await upstream.exchange(
            request(.GET, "/models/sse", body: nil, requestID: requestID),
            backend: backend, timeout: clock.now.duration(to: deadline), deadline: nil)
        guard result.response.status == .ok else { return nil }
        return result.response
    }

    /// A raw exchange with the router (for routes that pass its answer through).
    func call(
        _ method: HTTPMethod, _ path: String, body: JSONValue?, requestID: String,
        deadline: AnyClock.Instant
    ) async throws -> (status: Int, body: ByteBuffer) {
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { throw GatewayError.upstreamTimeout(backend.id, after: .zero) }
        let result = try await upstream.exchange(request(method, path, body: body, requestID: requestID), backend: backend, timeout: remaining, deadline: nil)
        do {
            let bytes = try await result.response.body.collect(upTo: Self.bodyLimit)
            return (Int(result.response.status.code), bytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw GatewayError.badGateway(backend.id, reason: "the response body broke off")
        }
    }

    func request(_ method: HTTPMethod, _ path: String, body: JSONValue?, requestID: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: upstream.upstreamURL(backend: backend, path: path, query: nil))
        request.method = method
        request.headers.add(name: "X-Request-ID", value: requestID)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.bytes()))
        }
        return request
    }
}
