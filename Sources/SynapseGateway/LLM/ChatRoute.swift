import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseResilience

/// `POST /v1/chat/completions`: the model chosen (`auto`) and its profile's defaults merged in,
/// the model loaded on the router, then the chat forwarded and its answer relayed as it streams.
///
/// ```
/// body ── 400s ── ModelChoice ── ProfileDefaults ── ModelSwitcher.ensureLoaded ── router ──▶ relay
/// ```
struct ChatRoute: Sendable {
    let models: ModelManagement
    let forwarder: Forwarder
    let logger: Logger

    static let modelField = HTTPField.Name("X-Synapse-Model")!
    static let reasonField = HTTPField.Name("X-Synapse-Model-Reason")!

    func respond(to request: Request, context: GatewayContext) async throws -> Response {
        let backend = try models.routerBackend()
        let started = ContinuousClock.now
        let timeout = forwarder.totalTimeout(backend: backend, rule: forwarder.config.routedBackend(forPath: "/v1/chat/completions"), fallback: .llm)
        let deadline = models.clock.now.advanced(by: timeout)
        let limit = min(backend.limits.maxRequestBodySize ?? forwarder.config.gateway.maxRequestBodySize, forwarder.config.gateway.maxJSONPassThroughSize)
        do {
            // Watching the connection lets a client that leaves cancel its wait for the model at
            // once; the connection is then closed after the answer, as on the other inference routes.
            var response = try await request.body.consumeWithCancellationOnInboundClose { body in
                let bytes = try await JSONBodyLimit.collect(body, contentLength: request.headers[.contentLength], limit: limit)
                var payload = try LLMRequestBody.object(from: bytes)
                let choice = models.policy.choose(model: payload[member: "model"], messages: payload[member: "messages"])
                payload.set("model", .string(choice.model))
                // Read once: the defaults and the runtime settings come from the same profile.
                let profile = models.store.profile(for: choice.model)
                let applied = ProfileDefaults.apply(profile: profile, to: &payload)
                logger.info(
                    "Chat model selection -> model=\(choice.model) reason=\(choice.reason.rawValue) defaults=\(applied)",
                    metadata: [
                        "synapse.request_id": "\(context.requestID)", "synapse.model": "\(choice.model)", "synapse.model_reason": "\(choice.reason.rawValue)",
                    ])
                let loadStarted = ContinuousClock.now
                let lease = try await models.ensureLoaded(choice.model, profile: profile, requestID: context.requestID, deadline: deadline)
                let loadWaited = ContinuousClock.now - loadStarted
                var response: Response
                do {
                    response = try await forward(
                        payload, request: request, context: context, backend: backend, deadline: deadline,
                        started: started, excluding: loadWaited, timeout: timeout)
                } catch {
                    lease.release()
                    throw error
                }
                response.body = Self.holding(lease, until: response.body)
                response.headers[Self.modelField] = choice.model
                response.headers[Self.reasonField] = choice.reason.rawValue
                return response
            }
            response.headers[.connection] = "close"
            return response
        } catch var error as GatewayError {
            error.headers[.connection] = "close"
            throw error
        }
    }

    /// The body, releasing `lease` once it has been written (or has failed): the model stays
    /// loaded while a chat's answer is still streaming.
    static func holding(_ lease: ModelLease, until body: ResponseBody) -> ResponseBody {
        ResponseBody(contentLength: body.contentLength) { writer in
            defer { lease.release() }
            try await body.write(writer)
        }
    }

    private func forward(
        _ payload: [(String, JSONValue)], request: Request, context: GatewayContext, backend: BackendConfig,
        deadline: AnyClock.Instant, started: ContinuousClock.Instant, excluding loadWaited: Duration,
        timeout: Duration
    ) async throws -> Response {
        var upstream = HTTPClientRequest(url: forwarder.upstreamURL(backend: backend, path: "/v1/chat/completions", query: request.uri.query))
        upstream.method = .POST
        upstream.headers = HeaderPolicy.upstreamHeaders(from: request.headers, context: context)
        upstream.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        upstream.body = .bytes(ByteBuffer(bytes: JSONValue.object(payload).bytes()))
        let remaining = models.clock.now.duration(to: deadline)
        guard remaining > .zero else { throw GatewayError.upstreamTimeout(backend.id, after: timeout) }
        // The chat's own deadline (the model wait has used part of it), on the same clock.
        let chatDeadline = Deadline(deadline, clock: models.clock)
        let result = try await forwarder.exchange(upstream, backend: backend, timeout: remaining, deadline: chatDeadline)
        var response = try await forwarder.respond(with: result.response, backend: backend, presentation: .passThrough, deadline: chatDeadline)
        response.headers[Forwarder.attemptsField] = String(result.attempts)
        // The wait for the model is the router's time, not the gateway's.
        let overhead = (ContinuousClock.now - started) - result.waited - loadWaited
        response.headers[Forwarder.overheadField] = String(max(0, overhead.milliseconds).rounded(toPlaces: 3))
        return response
    }
}
