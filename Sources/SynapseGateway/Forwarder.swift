import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseCore

/// The pass-through mechanism: turns a client request into a backend request and the backend's
/// answer into the client response, streaming bodies both ways.
///
/// ```
/// client ──body stream──▶ Forwarder ──HTTPClientRequest──▶ backend
///        ◀─ResponseBody── (relay: idle + total deadline) ◀──HTTPClientResponse──
/// ```
public struct Forwarder: Sendable {
    let pool: BackendPool
    let config: SynapseConfig
    let logger: Logger

    /// Bodies up to this size with a known length are relayed without the idle watchdog: they
    /// arrive in a read or two, and the client's read timeout backstops a stall.
    static let smallBodyLimit = 64 * 1024
    /// Backend error bodies are read up to this size to decide whether they are JSON.
    static let errorBodyLimit = 1 << 20

    public init(pool: BackendPool, config: SynapseConfig, logger: Logger) {
        self.pool = pool
        self.config = config
        self.logger = logger
    }

    /// Everything about one forwarded request that is decided before contacting the backend.
    struct Plan {
        var backend: BackendConfig
        var route: ForwardRoute
        var profile: TimeoutProfile
        var totalTimeout: Duration
        var presentation: ResponsePresentation
    }

    func plan(for route: ForwardRoute) throws -> Plan {
        let rule = config.routedBackend(forPath: route.path)
        let backendID = rule?.backend ?? route.defaultBackend
        guard let backend = config.backend(backendID) else { throw GatewayError.noBackend(for: route.path) }
        let profile = rule?.timeoutProfile ?? backend.timeoutProfile ?? route.defaultProfile
        let total = backend.timeouts.total ?? config.timeoutProfiles[profile] ?? .seconds(60)
        return Plan(backend: backend, route: route, profile: profile, totalTimeout: total, presentation: route.presentation)
    }

    /// Forwards `request` along `route`.
    public func forward(_ request: Request, context: GatewayContext, route: ForwardRoute) async throws -> Response {
        var plan = try plan(for: route)
        let limit = plan.backend.limits.maxRequestBodySize ?? config.gateway.maxRequestBodySize
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            try await RequestBodyCheck.drainIfModest(request.body, length: length)
            throw GatewayError.payloadTooLarge(limit: limit)
        }
        if route.cancelsOnClientClose {
            return try await request.body.consumeWithCancellationOnInboundClose { body in
                var request = request
                request.body = body
                return try await self.send(request, context: context, plan: &plan, bodyLimit: limit)
            }
        }
        return try await send(request, context: context, plan: &plan, bodyLimit: limit)
    }

    private func send(_ request: Request, context: GatewayContext, plan: inout Plan, bodyLimit: Int) async throws -> Response {
        let body = try await RequestBodyCheck.prepare(request, kind: plan.route.body, path: plan.route.path, limit: bodyLimit, presentation: &plan.presentation)
        guard let client = pool.client(for: plan.backend.id) else { throw GatewayError.noBackend(for: plan.route.path) }

        var upstreamRequest = HTTPClientRequest(url: upstreamURL(plan: plan, query: request.uri.query))
        upstreamRequest.method = HTTPMethod(rawValue: request.method.rawValue)
        upstreamRequest.headers = HeaderPolicy.upstreamHeaders(from: request.headers, requestID: context.requestID, clientAddress: context.remoteAddress)
        upstreamRequest.body = body

        let started = ContinuousClock.now
        let deadline = started + plan.totalTimeout
        let upstream: HTTPClientResponse
        do {
            upstream = try await client.execute(upstreamRequest, deadline: NIODeadline.now() + .nanoseconds(plan.totalTimeout.nanoseconds), logger: logger)
        } catch {
            if let tooLarge = error as? RequestBodyCheck.TooLarge { throw GatewayError.payloadTooLarge(limit: tooLarge.limit) }
            throw map(UpstreamFailure.classify(error), backend: plan.backend.id, timeout: plan.totalTimeout)
        }
        if upstream.status.code >= 400 {
            return try await relayError(upstream, backend: plan.backend.id)
        }
        return relaySuccess(upstream, plan: plan, deadline: deadline)
    }

    private func upstreamURL(plan: Plan, query: String?) -> String {
        var url = plan.backend.url.descriptionWithUserInfo + plan.route.backendPath
        if let query, !query.isEmpty { url += "?" + query }
        return url
    }

    func map(_ failure: UpstreamFailure, backend: BackendID, timeout: Duration) -> any Error {
        switch failure {
        case .connectFailed(let reason): return GatewayError.backendUnavailable(backend, reason: reason)
        case .deadlineExceeded: return GatewayError.upstreamTimeout(backend, after: timeout)
        case .reset: return GatewayError.badGateway(backend, reason: "connection closed before a response")
        case .malformedResponse(let reason): return GatewayError.badGateway(backend, reason: reason)
        case .cancelled: return CancellationError()
        case .other(let reason): return GatewayError.badGateway(backend, reason: reason)
        }
    }

    // MARK: Responses

    private func relaySuccess(_ upstream: HTTPClientResponse, plan: Plan, deadline: ContinuousClock.Instant) -> Response {
        var fields = HeaderPolicy.downstreamHeaders(from: upstream.headers)
        if case .attachment(let mediaType, let filename) = plan.presentation {
            fields[.contentType] = mediaType
            fields[.contentDisposition] = "attachment; filename=\(filename)"
        }
        let length = upstream.headers.first(name: "content-length").flatMap(Int.init)
        if let length { fields[.contentLength] = String(length) }
        let body: ResponseBody
        if let length, length <= Self.smallBodyLimit {
            let upstreamBody = upstream.body
            body = ResponseBody(contentLength: length) { writer in
                try await writer.write(upstreamBody)
                try await writer.finish(nil)
            }
        } else {
            let isEventStream = upstream.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
            let relay = StreamRelay(
                source: upstream.body, idleTimeout: plan.backend.timeouts.idle, deadline: deadline,
                endsCleanlyOnUpstreamFailure: isEventStream, backend: plan.backend.id, logger: logger)
            body = relay.responseBody(contentLength: length)
        }
        return Response(status: .init(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase), headers: fields, body: body)
    }

    /// A backend's own error: JSON bodies pass through unchanged, anything else is wrapped.
    private func relayError(_ upstream: HTTPClientResponse, backend: BackendID) async throws -> Response {
        let status = HTTPResponse.Status(code: Int(upstream.status.code), reasonPhrase: upstream.status.reasonPhrase)
        var collected = ByteBuffer()
        var truncated = false
        do {
            for try await chunk in upstream.body {
                var chunk = chunk
                let room = Self.errorBodyLimit - collected.readableBytes
                if chunk.readableBytes > room {
                    collected.writeImmutableBuffer(chunk.readSlice(length: room)!)
                    truncated = true
                    break
                }
                collected.writeBuffer(&chunk)
            }
        } catch {
            throw map(UpstreamFailure.classify(error), backend: backend, timeout: .zero)
        }
        let bytes = Data(collected.readableBytesView)
        if !truncated, !bytes.isEmpty, (try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])) != nil {
            var fields = HeaderPolicy.downstreamHeaders(from: upstream.headers)
            fields[.contentLength] = String(bytes.count)
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: collected))
        }
        let detail = String(decoding: bytes.prefix(1000), as: UTF8.self)
        throw GatewayError(status: status, code: "upstream_error", type: "upstream_error",
                           message: "Backend \(backend) answered \(status.code) \(status.reasonPhrase)", backend: backend, detail: detail)
    }
}
