import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseClock
import SynapseCore
import SynapseResilience

/// The pass-through mechanism: turns a client request into a backend request and the backend's
/// answer into the client response, streaming bodies both ways.
///
/// ```
/// client ──body stream──▶ Forwarder ──UpstreamClient.Request──▶ backend   (pooled keep-alive connection)
///        ◀─ResponseBody── (relay: idle + total deadline) ◀──HTTPClientResponse──
/// ```
public struct Forwarder: Sendable {
    let caller: UpstreamCaller
    let config: SynapseConfig
    let logger: Logger

    /// Bodies up to this size with a known length are read whole before the response goes out, so
    /// head, body and end leave in one write (a streamed body costs a write and an event-loop hop
    /// per part); they arrive in a read or two, and the request's deadline bounds a stall.
    static let smallBodyLimit = 64 * 1024
    /// Backend error bodies are read up to this size to decide whether they are JSON.
    static let errorBodyLimit = 1 << 20

    static let attemptsField = HTTPField.Name("X-Synapse-Attempts")!
    static let overheadField = HTTPField.Name("X-Synapse-Overhead-Ms")!

    /// Everything about one forwarded request that is decided before contacting the backend.
    struct Plan {
        var backend: BackendConfig
        var route: ForwardRoute
        var totalTimeout: Duration
        var presentation: ResponsePresentation
    }

    func plan(for route: ForwardRoute) throws -> Plan {
        let (backend, timeout) = try backend(servingPath: route.path, fallback: route.defaultProfile)
        return Plan(backend: backend, route: route, totalTimeout: timeout, presentation: route.presentation)
    }

    /// The backend the configuration routes `path` to, and its total deadline there; 503 when
    /// no rule (nor the original's default table) names a configured backend.
    func backend(servingPath path: String, fallback: TimeoutProfile) throws -> (BackendConfig, Duration) {
        guard let rule = config.servingRule(forPath: path), let backend = config.backend(rule.backend) else {
            throw GatewayError.noBackend(for: path)
        }
        return (backend, totalTimeout(backend: backend, rule: rule, fallback: fallback))
    }

    /// The total deadline, as Resilience's `TimeoutPolicy` decides it: the backend's explicit
    /// `timeouts.total`, else its profile's (the route rule's profile first, then the backend's,
    /// then the route group's) from the configured table, else the built-in one.
    func totalTimeout(backend: BackendConfig, rule: RouteRule?, fallback: TimeoutProfile) -> Duration {
        let profile = rule?.timeoutProfile ?? backend.timeoutProfile ?? fallback
        return TimeoutPolicy(profile: profile, deadlines: config.timeoutProfiles, timeouts: backend.timeouts).total
    }

    /// The largest request body `plan`'s route takes: the backend's limit, else the gateway's;
    /// JSON is collected whole (checked, then sent as bytes), so capped apart from uploads.
    func bodyLimit(_ plan: Plan) -> Int {
        let limit = plan.backend.limits.maxRequestBodySize ?? config.gateway.maxRequestBodySize
        return plan.route.body == .json ? min(limit, config.gateway.maxJSONPassThroughSize) : limit
    }

    /// Forwards `request` according to `plan` (made once per route at start-up by `plan(for:)`).
    func forward(_ request: Request, context: GatewayContext, plan: Plan) async throws -> Response {
        var plan = plan
        let route = plan.route
        let limit = bodyLimit(plan)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            try await RequestBodyCheck.drainIfModest(request.body, length: length)
            var error = GatewayError.payloadTooLarge(limit: limit)
            // Not drained: close rather than read the rest after answering.
            if length > RequestBodyCheck.drainLimit { error.headers[.connection] = "close" }
            throw error
        }
        if route.cancelsOnClientClose {
            // Watching the connection consumes it: the server closes it after this response. Say
            // so, or a keep-alive client could send its next request into the closing socket.
            do {
                var response = try await request.body.consumeWithCancellationOnInboundClose { body in
                    var request = request
                    request.body = body
                    return try await self.send(request, context: context, plan: &plan, bodyLimit: limit)
                }
                response.headers[.connection] = "close"
                return response
            } catch var error as GatewayError {
                error.headers[.connection] = "close"
                throw error
            }
        }
        return try await send(request, context: context, plan: &plan, bodyLimit: limit)
    }

    private func send(_ request: Request, context: GatewayContext, plan: inout Plan, bodyLimit: Int) async throws -> Response {
        let started = ContinuousClock.now
        // The request's one deadline, on the injected clock: the upstream call and the relay both use it.
        let deadline = deadline(after: plan.totalTimeout)
        let body = try await RequestBodyCheck.prepare(
            request, kind: plan.route.body, limit: bodyLimit,
            spoolMemoryLimit: plan.backend.retry.memoryBufferLimit, presentation: &plan.presentation)
        let upstreamRequest = UpstreamClient.Request(
            method: HTTPMethod(rawValue: request.method.rawValue),
            target: Self.target(backend: plan.backend, path: plan.route.backendPath, query: request.uri.query),
            headers: HeaderPolicy.upstreamHeaders(from: request.headers, context: context), body: body,
            // On an event loop (a handler that stays there), the backend connection comes from the
            // same loop; an upload handled on the pool spreads its two sockets over two loops.
            eventLoop: MultiThreadedEventLoopGroup.currentEventLoop)

        let result = try await Self.countingAttempts {
            try await caller.call(upstreamRequest, backend: plan.backend, timeout: plan.totalTimeout, deadline: deadline)
        }
        let responding = ContinuousClock.now
        var response = try await respond(with: result.response, backend: plan.backend, presentation: plan.presentation, deadline: deadline)
        // `respond` waits for the backend's bytes (a small body, an error body), not for the gateway.
        let readingBody = ContinuousClock.now - responding
        response.headers[Self.attemptsField] = String(result.attempts)
        let overhead = (ContinuousClock.now - started) - result.waited - readingBody
        response.headers[Self.overheadField] = Self.overheadValue(overhead)
        return response
    }

    /// `X-Synapse-Overhead-Ms`'s value: milliseconds, three decimals, never negative.
    static func overheadValue(_ overhead: Duration) -> String {
        String(max(0, overhead.milliseconds).rounded(toPlaces: 3))
    }

    /// Sends a request the gateway built to `backend`, under the backend's breaker and retry policy
    /// and within `timeout`; returns the response whatever its status. Transport failures throw
    /// `GatewayError` (with `X-Synapse-Attempts`).
    func exchange(
        _ request: HTTPClientRequest, backend: BackendConfig, timeout: Duration,
        deadline: Deadline<AnyClock>? = nil
    ) async throws -> UpstreamCaller.Result {
        try await Self.countingAttempts { try await caller.call(request, backend: backend, timeout: timeout, deadline: deadline) }
    }

    /// `call`'s result; a transport failure as its `GatewayError`, with `X-Synapse-Attempts`.
    private static func countingAttempts(_ call: () async throws -> UpstreamCaller.Result) async throws -> UpstreamCaller.Result {
        do {
            return try await call()
        } catch let failure as UpstreamCaller.Failure {
            var error = failure.error
            error.headers[attemptsField] = String(failure.attempts)
            throw error
        }
    }

    /// The gateway's tracer, for the steps of a flow that should show in a trace (`Tracer.withSpan`).
    var tracer: Tracer { caller.tracer }

    /// A deadline `timeout` from now on the gateway's clock (the injected one).
    func deadline(after timeout: Duration) -> Deadline<AnyClock> {
        Deadline(after: timeout, clock: caller.clock)
    }

    func upstreamURL(backend: BackendConfig, path: String, query: String?) -> String {
        backend.url.origin + Self.target(backend: backend, path: path, query: query)
    }

    /// The request target on `backend` (its base path, `path`, and `query`), as its request line carries it.
    static func target(backend: BackendConfig, path: String, query: String?) -> String {
        var target = backend.url.basePath + path
        if let query, !query.isEmpty { target += "?" + query }
        return target
    }

    /// The client response for a backend response: a success relayed as it streams (presented
    /// as asked), an error passed through or wrapped.
    func respond(
        with upstream: HTTPClientResponse, backend: BackendConfig, presentation: ResponsePresentation,
        deadline: Deadline<AnyClock>
    ) async throws -> Response {
        if upstream.status.code >= 400 {
            return try await relayError(upstream, backend: backend.id)
        }
        return try await relaySuccess(upstream, backend: backend, presentation: presentation, deadline: deadline)
    }

    // MARK: Responses

    private func relaySuccess(
        _ upstream: HTTPClientResponse, backend: BackendConfig, presentation: ResponsePresentation,
        deadline: Deadline<AnyClock>
    ) async throws -> Response {
        var fields = Self.successHeaders(from: upstream.headers, presentation: presentation)
        let length = upstream.headers.first(name: "content-length").flatMap(Int.init)
        if let length { fields[.contentLength] = String(length) }
        let body: ResponseBody
        if let length, length <= Self.smallBodyLimit {
            body = ResponseBody(byteBuffer: try await Self.collect(upstream.body, length: length, backend: backend))
        } else {
            let isEventStream = upstream.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
            let relay = StreamRelay(
                source: upstream.body, idleTimeout: backend.timeouts.idle, deadline: deadline,
                endsCleanlyOnUpstreamFailure: isEventStream, backend: backend.id, logger: logger)
            body = relay.responseBody(contentLength: length)
        }
        return Response(status: .init(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase), headers: fields, body: body)
    }

    /// The client's headers for a backend's success, presented as the route asks.
    static func successHeaders(from headers: HTTPHeaders, presentation: ResponsePresentation) -> HTTPFields {
        var fields = HeaderPolicy.downstreamHeaders(from: headers)
        if case .attachment(let mediaType, let filename) = presentation {
            fields[.contentType] = mediaType
            fields[.contentDisposition] = "attachment; filename=\(filename)"
        }
        return fields
    }

    /// A small body of announced `length`, read whole. A backend that sends more than it announced
    /// or breaks off is a bad gateway: nothing has gone to the client yet, so it gets a clean error.
    private static func collect(_ source: HTTPClientResponse.Body, length: Int, backend: BackendConfig) async throws -> ByteBuffer {
        let (collected, truncated) = try await read(source, upTo: length, backend: backend.id)
        let problem =
            truncated
            ? "more body than its Content-Length"
            : collected.readableBytes < length ? "body ended \(length - collected.readableBytes) bytes short of its Content-Length" : nil
        if let problem { throw UpstreamFailure.malformedResponse(problem).gatewayError(backend: backend.id, timeout: .zero) }
        return collected
    }

    /// A backend body read up to `limit` bytes (`truncated` when there was more); a transport
    /// failure while reading is the backend's error.
    private static func read(_ source: HTTPClientResponse.Body, upTo limit: Int, backend: BackendID) async throws -> (ByteBuffer, truncated: Bool) {
        var collected = ByteBuffer()
        do {
            for try await var chunk in source {
                let room = limit - collected.readableBytes
                if chunk.readableBytes > room {
                    collected.writeImmutableBuffer(chunk.readSlice(length: room)!)
                    return (collected, true)
                }
                // A body that comes in one chunk (the usual small answer) is kept, not copied.
                if collected.readableBytes == 0 { collected = chunk } else { collected.writeBuffer(&chunk) }
            }
        } catch {
            let failure = UpstreamFailure.classify(error)
            if case .cancelled = failure { throw CancellationError() }
            throw failure.gatewayError(backend: backend, timeout: .zero)
        }
        return (collected, false)
    }

    /// A backend's own error: JSON bodies pass through unchanged, anything else is wrapped.
    private func relayError(_ upstream: HTTPClientResponse, backend: BackendID) async throws -> Response {
        let status = HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase)
        let (collected, truncated) = try await Self.read(upstream.body, upTo: Self.errorBodyLimit, backend: backend)
        let fields = try Self.errorAnswer(status: status, headers: upstream.headers, body: collected, truncated: truncated, backend: backend)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: collected))
    }

    /// The client's headers for a backend's error answer whose body (read up to `errorBodyLimit`)
    /// is JSON, passed through as it is; any other body is wrapped: throws the `GatewayError`.
    static func errorAnswer(
        status: HTTPResponse.Status, headers: HTTPHeaders, body: ByteBuffer, truncated: Bool, backend: BackendID
    ) throws -> HTTPFields {
        let bytes = body.readableBytesView
        // Validity is all that matters here: the syntax scanner answers it without building values.
        if !truncated, !bytes.isEmpty, body.withUnsafeReadableBytes({ JSONSyntax.problem(in: $0) }) == nil {
            var fields = HeaderPolicy.downstreamHeaders(from: headers)
            fields[.contentLength] = String(bytes.count)
            return fields
        }
        let detail = String(decoding: bytes.prefix(1000), as: UTF8.self)
        throw GatewayError(
            status: status, code: "upstream_error", type: "upstream_error",
            message: "Backend \(backend) answered \(status.code) \(status.reasonPhrase)", backend: backend, detail: detail)
    }
}
