import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// What a request must pass before it reaches a route, in this order:
///
/// ```
/// CORS preflight ──▶ answered here (204 for an allowed origin, else 403)
/// API key        ──▶ 401 unauthorized        (when gateway.apiKeys is set; open paths and /admin/* excepted)
/// another site   ──▶ 403 cross_origin_refused (state-changing requests only)
/// body type      ──▶ 415 unsupported_media_type (browser form types on the JSON routes read raw)
/// ```
///
/// The admin API has its own rule (`AdminAPI`): the admin token, not an API key.
struct RequestGate: Sendable {
    let keys: SecretSet
    /// Paths served without an API key.
    let openPaths: Set<String>
    let crossSite: CrossSitePolicy
    let trustedProxies: [IPRange]

    /// Always open: probes and the static pages (which hold no secrets and load only `/health`).
    static let alwaysOpen: Set<String> = ["/healthz", "/readyz", "/", "/ui", "/dashboard", "/docs", "/redoc", "/openapi.json"]
    /// Body types a browser may send cross-site without a preflight ("simple" requests).
    static let browserFormTypes: Set<String> = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]

    init(settings: GatewaySettings) {
        keys = SecretSet(settings.apiKeys)
        openPaths = Self.alwaysOpen.union(settings.publicRoutes)
        crossSite = CrossSitePolicy(allowedOrigins: settings.corsAllowedOrigins)
        trustedProxies = settings.trustedProxies
    }

    /// Thrown by `screen` with an answer that is not an error (a preflight's 204).
    struct EarlyAnswer: Error, Sendable {
        var response: Response
    }

    /// Throws a `GatewayError` refusing the request, or an `EarlyAnswer`; returns to let it through.
    func screen(_ request: Request, context: inout GatewayContext) throws {
        if CrossSitePolicy.isPreflight(request) { throw EarlyAnswer(response: try crossSite.preflight(request)) }
        let path = request.uri.path
        guard let consumed = credentials(path: path, fields: request.headers) else { throw Self.unauthorized() }
        if consumed { context.consumedCredentials = true }
        try crossSite.check(request, trustingForwarded: context.trustsForwardedHeaders)
        if CrossSitePolicy.stateChanging.contains(request.method), Self.readsRawJSON(path),
            let contentType = request.headers[.contentType]
        {
            let media = RequestBodyCheck.mediaType(contentType)
            if Self.browserFormTypes.contains(media) {
                throw GatewayError.unsupportedMediaType("Expected a JSON body (Content-Type: application/json), got \(CrossSitePolicy.printable(media))")
            }
        }
    }

    /// The API key rule: nil when `path` needs a key the request does not present; otherwise
    /// whether it presented one of the gateway's keys (which are then not forwarded).
    func credentials(path: String, fields: HTTPFields) -> Bool? {
        guard !keys.isEmpty, !openPaths.contains(path), !Self.isAdmin(path) else { return false }
        // Every presented value is checked, so a wrong X-API-Key costs as much as a right one.
        let matched = ClientCredentials.presented(in: fields).reduce(false) { keys.contains($1) || $0 }
        return matched ? true : nil
    }

    /// Whether the peer is a configured proxy whose `X-Forwarded-*` headers are believed.
    func trustsForwardedHeaders(from address: SocketAddress?) -> Bool {
        guard !trustedProxies.isEmpty, let ip = address?.ipAddress else { return false }
        return trustedProxies.contains { $0.contains(ip) }
    }

    func decorate(_ response: inout Response, for request: Request) {
        crossSite.decorate(&response, for: request)
    }

    static func isAdmin(_ path: String) -> Bool {
        path == "/admin" || path.hasPrefix("/admin/")
    }

    /// Routes that read their JSON body whatever its declared type, as the original's FastAPI
    /// handlers did (chat, `/models*`, `/tts/*`). The pass-through JSON routes check the type
    /// themselves (`RequestBodyCheck`).
    static func readsRawJSON(_ path: String) -> Bool {
        path == "/v1/chat/completions" || path == "/models" || path.hasPrefix("/models/") || path.hasPrefix("/tts/")
    }

    static func unauthorized() -> GatewayError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return GatewayError(
            status: .unauthorized, code: "unauthorized", type: "authentication_error",
            message: "A valid API key is required (Authorization: Bearer KEY or X-API-Key: KEY)", headers: headers)
    }
}
