import Foundation
import SynapseCore

/// One request a mock received, as recorded by its `RequestJournal`.
public struct JournalEntry: Sendable, Encodable {
    /// A part of a `multipart/form-data` body (its content is only summarized).
    public struct FormPart: Sendable, Hashable, Codable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        /// Bytes in the part's body.
        public var size: Int

        private enum CodingKeys: String, CodingKey {
            case name, filename, size
            case contentType = "content_type"
        }
    }

    /// Position in arrival order, starting at 1.
    public let index: Int
    /// When the request head arrived (mock time).
    public let time: Date
    public let method: String
    /// The path without the query string.
    public let path: String
    /// The raw query string (without `?`), if any.
    public let query: String?
    /// Request headers in order, names as received.
    public let headers: [Header]
    /// Bytes in the body (as far as it was read; see `bodyComplete`).
    public var bodySize = 0
    /// SHA-256 of the body, lowercase hex.
    public var bodySHA256 = ""
    /// Whether the whole body was read (false when a fault closed the connection first).
    public var bodyComplete = false
    /// The first bytes of the body (at most `RequestJournal.Configuration.prefixLimit`).
    public var bodyPrefix: [UInt8] = []
    /// Parts of a multipart body, in order.
    public var formParts: [FormPart] = []
    /// Why a multipart body could not be parsed, if it could not.
    public var multipartError: String?
    /// The body parsed as JSON, when the content type says JSON and the body fits the prefix.
    public var json: JSONValue?
    /// The fault applied to this request, in compact form (`status=503`), if any.
    public var fault: String?

    /// A header line.
    public struct Header: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Multipart field names in order.
    public var formFieldNames: [String] { formParts.map(\.name) }

    /// File names of the multipart file parts, in order.
    public var filenames: [String] { formParts.compactMap(\.filename) }

    private enum CodingKeys: String, CodingKey {
        case index, time, method, path, query, headers, fault
        case bodySize = "body_size"
        case bodySHA256 = "body_sha256"
        case bodyComplete = "body_complete"
        case formParts = "form_parts"
        case multipartError = "multipart_error"
        case json
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(time.timeIntervalSince1970, forKey: .time)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(query, forKey: .query)
        try container.encode(headers.map { [$0.name, $0.value] }, forKey: .headers)
        try container.encode(bodySize, forKey: .bodySize)
        try container.encode(bodySHA256, forKey: .bodySHA256)
        try container.encode(bodyComplete, forKey: .bodyComplete)
        if !formParts.isEmpty { try container.encode(formParts, forKey: .formParts) }
        try container.encodeIfPresent(multipartError, forKey: .multipartError)
        try container.encodeIfPresent(json, forKey: .json)
        try container.encodeIfPresent(fault, forKey: .fault)
    }
}
