import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseClock
import SynapseCore
import SynapseResilience

/// `GET /admin/breakers` and `POST /admin/breakers/{backend}/open|close|reset`, the recording
/// switch (`/admin/recording`) and `POST /admin/reload`.
///
/// Every call needs `Authorization: Bearer <adminToken>` (env `SYNAPSE_ADMIN_TOKEN`), compared in
/// constant time. Loopback clients are served without it only with `insecureLocalAdmin`
/// (`--insecure-local-admin`, `synapse dev`): being local alone proves nothing, as any web page
/// in the operator's browser can reach loopback.
struct AdminAPI {
    let breakers: BreakerRegistry<AnyClock>
    /// `GET|POST|DELETE /admin/recording` (see `AdminAPI+Recording.swift`).
    var recorder: Recorder? = nil
    /// `POST /admin/reload` (`GatewayService.reload`).
    var reload: (@Sendable () -> GatewayService.ReloadOutcome)? = nil
    let token: String?
    var insecureLocalAdmin = false

    func register(in table: inout RouteTable) {
        if let recorder { registerRecording(recorder, in: &table) }
        if let reload {
            table.add(.post, "/admin/reload") { request, context in
                try authorize(request, context)
                return try Self.answer(reload(), requestID: context.requestID)
            }
        }
        table.add(.get, "/admin/breakers") { request, context in
            try authorize(request, context)
            let all = breakers.snapshots.map { ($0.0.rawValue, $0.1.json) }
            return GatewayService.json(.obj(("breakers", .object(all))))
        }
        table.add(.post, "/admin/breakers/{backend}/{action}") { request, context in
            try authorize(request, context)
            let name = context.parameters.get("backend") ?? ""
            guard let id = BackendID(name), let breaker = breakers[id] else {
                throw GatewayError(status: .notFound, code: "unknown_backend", type: "invalid_request_error", message: "No backend named \(name)")
            }
            let transition: BreakerTransition?
            switch context.parameters.get("action") {
            case "open": transition = breaker.forceOpen()
            case "close": transition = breaker.forceClose()
            case "reset": transition = breaker.reset()
            default:
                throw GatewayError.invalidRequest("action must be open, close or reset", code: "unknown_action")
            }
            var body: [(String, JSONValue)] = [("backend", .string(id.rawValue)), ("breaker", breaker.snapshot.json)]
            if let transition {
                body.append(
                    (
                        "transition",
                        .obj(
                            ("from", .string(transition.from.rawValue)), ("to", .string(transition.to.rawValue)),
                            ("reason", .string(transition.reason.rawValue)))
                    ))
            }
            return GatewayService.json(.object(body))
        }
    }

    /// 200 with what changed, or 422 `config_invalid` with every error (the old configuration stays).
    static func answer(_ outcome: GatewayService.ReloadOutcome, requestID: String) throws -> Response {
        switch outcome {
        case .reloaded(let change, let generation, let warnings):
            return GatewayService.json(
                .object(
                    [("status", .string("reloaded"))] + GatewayService.summary(change, generation: generation) + [
                        ("warnings", .array(warnings.map { .string($0.description) }))
                    ]))
        case .rejected(let errors):
            // The error envelope, with every error of the file (`synapse config check`'s lines).
            let error = JSONValue.obj(
                ("code", .string("config_invalid")), ("errors", .array(errors.map { .string($0.description) })),
                ("message", .string("The configuration has \(errors.count) error(s); the running configuration stays")),
                ("request_id", .string(requestID)), ("type", .string("invalid_request_error")))
            return GatewayService.json(.obj(("error", error)), status: .unprocessableContent)
        case .unavailable:
            throw GatewayError(
                status: .notFound, code: "reload_unavailable", type: "invalid_request_error",
                message: "Nothing to reload: this gateway was not started from a configuration file")
        }
    }

    func authorize(_ request: Request, _ context: GatewayContext) throws {
        if let token, let presented = ClientCredentials.bearer(in: request.headers), SecretSet([token]).contains(presented) { return }
        if insecureLocalAdmin, context.remoteAddress?.isLoopback ?? false { return }
        if token != nil {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            throw GatewayError(
                status: .unauthorized, code: "unauthorized", type: "authentication_error",
                message: "The admin API needs Authorization: Bearer <SYNAPSE_ADMIN_TOKEN>", headers: headers)
        }
        throw GatewayError(
            status: .forbidden, code: "forbidden", type: "permission_error",
            message: "The admin API is disabled: set SYNAPSE_ADMIN_TOKEN (or run with --insecure-local-admin for loopback clients)")
    }
}

extension SocketAddress {
    var isLoopback: Bool {
        guard let ip = ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}

extension BreakerSnapshot {
    /// `{"state":"open","consecutive_failures":5,"seconds_until_half_open":12.3,"forced":false,"probe_in_flight":false}`
    var json: JSONValue {
        var object: [(String, JSONValue)] = [
            ("state", .string(state.rawValue)), ("consecutive_failures", .int(consecutiveFailures)), ("forced", .bool(isForced)),
            ("probe_in_flight", .bool(probeInFlight)),
        ]
        if let left = timeUntilHalfOpen { object.append(("seconds_until_half_open", .number((Double(left.milliseconds) / 1000).rounded(toPlaces: 3)))) }
        return .object(object)
    }
}
