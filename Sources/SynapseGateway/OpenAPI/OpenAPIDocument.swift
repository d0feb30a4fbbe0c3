import Foundation

/// The gateway's OpenAPI document, for `synapse openapi` (offline imports into OpenAPI tools).
public enum OpenAPIDocument {
    /// `/openapi.json`, byte for byte: `synapse serve`'s, or `synapse dev`'s (`development`: with
    /// the `/dev/mocks…` routes).
    public static func json(development: Bool = false) -> Data {
        development ? APIReference.developmentDocument : APIReference.document
    }
}
