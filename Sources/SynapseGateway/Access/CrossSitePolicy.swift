import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Which browser origins may call the gateway from another site, and the gateway's own CORS.
///
/// A browser names the page that made a request in `Origin` (and, in current browsers, how it
/// relates to the target in `Sec-Fetch-Site`). A state-changing request from another site is
/// refused unless its origin is allowed, which closes cross-site form POSTs (CSRF). Clients that
/// are not browsers (curl, the SDKs) send neither header and are not affected.
///
/// ```
/// OPTIONS + Origin + Access-Control-Request-Method ── allowed origin ──▶ 204 with CORS headers
///                                                  └─ other origin ───▶ 403 cross_origin_refused
/// POST/PUT/PATCH/DELETE from another site ──────── allowed origin ──▶ on, CORS headers on the answer
///                                                  └─ other origin ───▶ 403 cross_origin_refused
/// ```
struct CrossSitePolicy: Sendable {
    /// Lowercased `scheme://host[:port]` values.
    let allowedOrigins: Set<String>

    static let requestMethodField = HTTPField.Name("Access-Control-Request-Method")!
    static let requestHeadersField = HTTPField.Name("Access-Control-Request-Headers")!
    static let secFetchSiteField = HTTPField.Name("Sec-Fetch-Site")!
    static let allowMethodsField = HTTPField.Name("Access-Control-Allow-Methods")!
    static let allowHeadersField = HTTPField.Name("Access-Control-Allow-Headers")!
    static let exposeHeadersField = HTTPField.Name("Access-Control-Expose-Headers")!
    static let maxAgeField = HTTPField.Name("Access-Control-Max-Age")!
    static let forwardedHostField = HTTPField.Name("X-Forwarded-Host")!
    static let hostField = HTTPField.Name("Host")!

    static let stateChanging: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
    /// Headers a browser script may send (answered to preflights that ask for nothing specific).
    static let allowedRequestHeaders = "Authorization, Content-Type, X-API-Key, X-Request-ID"
    /// Gateway headers a browser script may read.
    static let exposedHeaders = "X-Request-ID, Retry-After, X-Synapse-Model, X-Synapse-Model-Reason, X-Synapse-Unavailable-Backends"

    init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins.map { $0.lowercased() })
    }

    func allows(origin: String) -> Bool {
        allowedOrigins.contains(origin.lowercased())
    }

    /// Whether this is a CORS preflight (the browser asking before the real request).
    static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers[.origin] != nil && request.headers[requestMethodField] != nil
    }

    /// The answer to a preflight: 204 with CORS headers for an allowed origin, else refused.
    func preflight(_ request: Request) throws -> Response {
        guard let origin = request.headers[.origin], allows(origin: origin) else {
            throw Self.refused("This origin is not allowed to call the gateway (gateway.corsAllowedOrigins)")
        }
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
        headers[Self.allowMethodsField] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
        headers[Self.allowHeadersField] = request.headers[Self.requestHeadersField].map(Self.headerList) ?? Self.allowedRequestHeaders
        headers[Self.maxAgeField] = "600"
        return Response(status: .noContent, headers: headers)
    }

    /// Refuses a state-changing request that a page of another site made, unless its origin is allowed.
    /// `forwardedHost` is believed only from a trusted proxy.
    func check(_ request: Request, trustingForwarded: Bool) throws {
        guard Self.stateChanging.contains(request.method) else { return }
        let origin = request.headers[.origin]
        if let origin, allows(origin: origin) { return }
        if let site = request.headers[Self.secFetchSiteField]?.lowercased(), site == "cross-site" || site == "same-site" {
            throw Self.refused("Cross-site \(request.method.rawValue) refused (Sec-Fetch-Site: \(site)); allow the page's origin in gateway.corsAllowedOrigins")
        }
        guard let origin else { return }
        var hosts = [request.headers[Self.hostField], request.head.authority]
        if trustingForwarded { hosts.append(request.headers[Self.forwardedHostField]) }
        let own = Set(hosts.compactMap { $0.map(Self.normalisedAuthority) })
        guard let authority = Self.authority(ofOrigin: origin), own.contains(authority) else {
            throw Self.refused("Cross-site \(request.method.rawValue) from \(Self.printable(origin)) refused; allow it in gateway.corsAllowedOrigins")
        }
    }

    /// CORS headers on an answer to an allowed origin (replacing any a backend sent).
    func decorate(_ response: inout Response, for request: Request) {
        guard let origin = request.headers[.origin], allows(origin: origin) else { return }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[Self.exposeHeadersField] = Self.exposedHeaders
        if !response.headers[values: .vary].contains(where: { $0.lowercased().contains("origin") }) {
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
        }
    }

    static func refused(_ message: String) -> GatewayError {
        GatewayError(status: .forbidden, code: "cross_origin_refused", type: "permission_error", message: message)
    }

    /// `https://Example.com:443` → `example.com`; `null` or anything else that is not an origin → nil.
    static func authority(ofOrigin origin: String) -> String? {
        let lower = origin.lowercased()
        for (scheme, port) in [("http://", ":80"), ("https://", ":443")] where lower.hasPrefix(scheme) {
            var authority = String(lower.dropFirst(scheme.count))
            guard !authority.isEmpty, !authority.contains("/") else { return nil }
            if authority.hasSuffix(port) { authority.removeLast(port.count) }
            return authority
        }
        return nil
    }

    /// A `Host` value lowercased, without the default HTTP port (the scheme is not known here:
    /// behind a TLS ingress the origin says https while the gateway hears plain HTTP).
    static func normalisedAuthority(_ host: String) -> String {
        var lower = host.lowercased().trimmingCharacters(in: .whitespaces)
        for port in [":80", ":443"] where lower.hasSuffix(port) { lower.removeLast(port.count) }
        return lower
    }

    /// Requested header names, kept only when they are plain tokens.
    static func headerList(_ value: String) -> String {
        let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter {
                !$0.isEmpty
                    && $0.utf8.allSatisfy { byte in
                        byte == UInt8(ascii: "-") || (byte < 0x80 && (Character(UnicodeScalar(byte)).isLetter || Character(UnicodeScalar(byte)).isNumber))
                    }
            }
        return names.isEmpty ? allowedRequestHeaders : names.joined(separator: ", ")
    }

    /// At most 100 visible ASCII characters of a client value, for a message.
    static func printable(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.prefix(100).map { $0.value >= 0x20 && $0.value < 0x7F ? $0 : "?" }))
    }
}
