import Foundation
import HTTPTypes

/// The credential a client presents: `Authorization: Bearer KEY`, else `X-API-Key: KEY`.
enum ClientCredentials {
    static let apiKeyField = HTTPField.Name("X-API-Key")!

    /// The bearer token of `Authorization` (scheme matched case-insensitively), if any.
    static func bearer(in fields: HTTPFields) -> String? {
        guard let value = fields.value(of: .authorization) else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Every value a client may have meant as its API key, bearer first.
    static func presented(in fields: HTTPFields) -> [String] {
        var values: [String] = []
        if let bearer = bearer(in: fields) { values.append(bearer) }
        for value in fields.values(of: apiKeyField) where !value.isEmpty { values.append(value.trimmingCharacters(in: .whitespaces)) }
        return values
    }
}
