import Foundation

/// The gateway's OpenAPI document, for `synapse openapi` (offline imports into OpenAPI tools).
public enum OpenAPIDocument {
    /// `/openapi.json`, byte for byte.
    public static var json: Data { APIReference.document }
}
