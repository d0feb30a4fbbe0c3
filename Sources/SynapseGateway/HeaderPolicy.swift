import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1

/// Which headers cross the gateway, in each direction.
///
/// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded, nor is
/// any header the `Connection` header names. Framing (`Content-Length`, `Transfer-Encoding`) is
/// recomputed by the side that writes the body.
enum HeaderPolicy {
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// Dropped on the way to the backend besides hop-by-hop ones: the backend gets its own `Host`
    /// and framing, `Expect: 100-continue` was already answered by the gateway's server, and each
    /// attempt carries its own trace context (`UpstreamCaller.propagate`).
    static let notForwardedUpstream: Set<String> = hopByHop.union(["host", "content-length", "expect", "traceparent", "tracestate"])
    /// Besides framing: the backend's identity (`Server`, `X-Powered-By`); its CORS headers
    /// (`Access-Control-*`) are dropped too, the gateway's own CORS (`CrossSitePolicy`) replaces them.
    static let notForwardedDownstream: Set<String> = hopByHop.union(["content-length", "server", "x-powered-by"])

    /// Forwarding headers a client could forge; believed only from a trusted proxy.
    static let forwardingHeaders: Set<String> = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded"]

    /// Headers for the backend request, with `X-Request-ID` and `X-Forwarded-*` set.
    ///
    /// From a trusted proxy (`trustingForwarded`) the incoming `X-Forwarded-For` is kept and the
    /// peer appended, and `X-Forwarded-Proto` kept; from anyone else every forwarding header is
    /// dropped and replaced by the peer's address and `http`.
    static func upstreamHeaders(
        from fields: HTTPFields, requestID: String, clientAddress: SocketAddress?,
        trustingForwarded: Bool = false, strippingCredentials: Bool = false
    ) -> HTTPHeaders {
        let named = connectionNamed(fields)
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count + 3)
        var forwardedFor: String?
        var forwardedProto: String?
        for field in fields {
            let name = field.name.canonicalName
            if notForwardedUpstream.contains(name) || named.contains(name) { continue }
            if !trustingForwarded && forwardingHeaders.contains(name) { continue }
            if strippingCredentials && (name == "authorization" || name == "x-api-key") { continue }
            switch name {
            case "x-request-id": continue
            case "x-forwarded-for": forwardedFor = forwardedFor.map { "\($0), \(field.value)" } ?? field.value
            case "x-forwarded-proto": forwardedProto = field.value
            default: headers.add(name: field.name.rawName, value: field.value)
            }
        }
        headers.add(name: "X-Request-ID", value: requestID)
        if let ip = clientAddress?.ipAddress {
            headers.add(name: "X-Forwarded-For", value: forwardedFor.map { "\($0), \(ip)" } ?? ip)
        } else if let forwardedFor {
            headers.add(name: "X-Forwarded-For", value: forwardedFor)
        }
        // Behind an ingress that terminated TLS the client's scheme is already recorded; keep it.
        headers.add(name: "X-Forwarded-Proto", value: forwardedProto ?? "http")
        return headers
    }

    /// `upstreamHeaders` for a request the gateway received: the context says whether the peer is a
    /// trusted proxy and whether the client's credentials were the gateway's own API key.
    /// With the request's trace context (`Tracer.current`), so that an attempt whose span is not
    /// exported sends them as they are.
    static func upstreamHeaders(from fields: HTTPFields, context: GatewayContext) -> HTTPHeaders {
        var headers = upstreamHeaders(
            from: fields, requestID: context.requestID, clientAddress: context.remoteAddress,
            trustingForwarded: context.trustsForwardedHeaders, strippingCredentials: context.consumedCredentials)
        if let trace = Tracer.current { UpstreamCaller.propagate(trace, into: &headers) }
        return headers
    }

    /// Headers for the client response, copied from the backend's.
    static func downstreamHeaders(from headers: HTTPHeaders) -> HTTPFields {
        var named = Set<String>()
        for value in headers["connection"] {
            for token in value.split(separator: ",") { named.insert(token.trimmingCharacters(in: .whitespaces).lowercased()) }
        }
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count + 1)
        for (name, value) in headers {
            let lower = name.lowercased()
            if notForwardedDownstream.contains(lower) || named.contains(lower) || lower.hasPrefix("access-control-") { continue }
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }

    private static func connectionNamed(_ fields: HTTPFields) -> Set<String> {
        guard let connection = fields.value(of: .connection) else { return [] }
        return Set(connection.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }
}
