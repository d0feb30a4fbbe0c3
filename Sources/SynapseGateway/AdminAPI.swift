import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseClock
import SynapseCore
import SynapseResilience

/// `GET /admin/breakers` and `POST /admin/breakers/{backend}/open|close|reset`.
///
/// Every call needs `Authorization: Bearer <adminToken>` (env `SYNAPSE_ADMIN_TOKEN`), compared in
/// constant time. Loopback clients are served without it only with `insecureLocalAdmin`
/// (`--insecure-local-admin`, `synapse dev`): being local alone proves nothing, as any web page
/// in the operator's browser can reach loopback.
struct AdminAPI {
    let breakers: BreakerRegistry<AnyClock>
    let token: String?
    var insecureLocalAdmin = false

    func register(in table: inout RouteTable) {
        table.add(.get, "/admin/breakers") { request, context in
            try authorize(request, context)
            var all: [String: Any] = [:]
            for (backend, snapshot) in breakers.snapshots { all[backend.rawValue] = snapshot.json }
            return GatewayService.json(["breakers": all])
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
            var body: [String: Any] = ["backend": id.rawValue, "breaker": breaker.snapshot.json]
            if let transition { body["transition"] = ["from": transition.from.rawValue, "to": transition.to.rawValue, "reason": transition.reason.rawValue] }
            return GatewayService.json(body)
        }
    }

    private func authorize(_ request: Request, _ context: GatewayContext) throws {
        if let token, let presented = ClientCredentials.bearer(in: request.headers), SecretSet([token]).contains(presented) { return }
        if insecureLocalAdmin, context.remoteAddress?.isLoopback ?? false { return }
        if token != nil {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            throw GatewayError(status: .unauthorized, code: "unauthorized", type: "authentication_error",
                               message: "The admin API needs Authorization: Bearer <SYNAPSE_ADMIN_TOKEN>", headers: headers)
        }
        throw GatewayError(status: .forbidden, code: "forbidden", type: "permission_error",
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
    var json: [String: Any] {
        var object: [String: Any] = [
            "state": state.rawValue, "consecutive_failures": consecutiveFailures, "forced": isForced, "probe_in_flight": probeInFlight,
        ]
        if let left = timeUntilHalfOpen { object["seconds_until_half_open"] = (Double(left.milliseconds) / 1000).rounded(toPlaces: 3) }
        return object
    }
}
