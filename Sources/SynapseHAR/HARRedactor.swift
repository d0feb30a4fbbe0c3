import Foundation

/// What a recording never contains: credentials in headers, cookies and the query string.
///
/// | where | redacted |
/// |---|---|
/// | headers | `Authorization`, `Proxy-Authorization`, `X-API-Key`, `Cookie`, `Set-Cookie`, and the configured secret headers (any case): value `[REDACTED]` |
/// | cookies | the names are kept, every value is `[REDACTED]` |
/// | query | `api_key`, `apikey`, `key`, `access_token`, `token` (any case): value `[REDACTED]`, in `queryString` and in the URL |
///
/// Bodies are recorded as sent: a credential in a body is the caller's to keep out.
public struct HARRedactor: Sendable {
    public static let placeholder = "[REDACTED]"
    /// Always redacted, lower-cased.
    public static let standardHeaders: Set<String> = ["authorization", "proxy-authorization", "x-api-key", "cookie", "set-cookie"]
    /// Query parameters that carry API keys, lower-cased.
    public static let secretQueryNames: Set<String> = ["api_key", "apikey", "key", "access_token", "token"]

    /// Lower-cased header names whose values are replaced.
    public let headerNames: Set<String>

    /// - Parameter secretHeaders: further headers to redact (`X-Upstream-Token`), any case.
    public init(secretHeaders: [String] = []) {
        headerNames = Self.standardHeaders.union(secretHeaders.map { $0.lowercased() })
    }

    /// The headers with secret values replaced, and the names (lower-cased, once each) replaced.
    public func headers(_ fields: [(name: String, value: String)]) -> (headers: [HARNameValue], redacted: [String]) {
        var redacted: [String] = []
        let headers = fields.map { field -> HARNameValue in
            let lowered = field.name.lowercased()
            guard headerNames.contains(lowered) else { return HARNameValue(name: field.name, value: field.value) }
            if !redacted.contains(lowered) { redacted.append(lowered) }
            return HARNameValue(name: field.name, value: Self.placeholder)
        }
        return (headers, redacted)
    }

    /// The cookies of `Cookie` headers (`a=1; b=2`), names only.
    public func requestCookies(_ values: [String]) -> [HARNameValue] {
        values.flatMap { $0.split(separator: ";") }.compactMap { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingSpaces() } ?? ""
            return name.isEmpty ? nil : HARNameValue(name: name, value: Self.placeholder)
        }
    }

    /// The cookies of `Set-Cookie` headers (`a=1; Path=/`), names only.
    public func responseCookies(_ values: [String]) -> [HARNameValue] {
        values.compactMap { header in
            let first = header.split(separator: ";", maxSplits: 1).first ?? ""
            let name = first.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingSpaces() } ?? ""
            return name.isEmpty ? nil : HARNameValue(name: name, value: Self.placeholder)
        }
    }

    /// The query string (without `?`) as name/value pairs and as text, secret values replaced.
    /// Values stay percent-encoded, as sent.
    public func query(_ query: String) -> (items: [HARNameValue], text: String) {
        guard !query.isEmpty else { return ([], "") }
        var items: [HARNameValue] = []
        var parts: [String] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(halves[0])
            var value = halves.count > 1 ? String(halves[1]) : ""
            if Self.secretQueryNames.contains((name.removingPercentEncoding ?? name).lowercased()) {
                value = Self.placeholder
                parts.append("\(name)=\(value)")
            } else {
                parts.append(String(pair))
            }
            items.append(HARNameValue(name: name, value: value))
        }
        return (items, parts.joined(separator: "&"))
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
