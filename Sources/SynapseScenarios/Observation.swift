import Foundation
import SynapseCore

/// What one request through the gateway produced, as the client saw it.
public struct Observation: Sendable {
    /// HTTP status; 0 when no response arrived (see `error`).
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Data of each server-sent event, in order (only for `stream: true` requests).
    public var events: [String]
    /// Whether the body ended cleanly (false when the connection was cut mid-body).
    public var complete: Bool
    /// From sending to the end of the body, on the scenario's clock.
    public var latency: Duration
    /// Why there is no (complete) response, if there is none.
    public var error: String?

    public init(
        status: Int, headers: [(String, String)] = [], body: [UInt8] = [], events: [String] = [], complete: Bool = true,
        latency: Duration = .zero, error: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.events = events
        self.complete = complete
        self.latency = latency
        self.error = error
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }

    /// The body parsed as JSON, if it is JSON.
    public var json: JSONValue? { try? JSONValue.parse(body) }
}
