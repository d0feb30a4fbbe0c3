/// What a mock does wrong: one fault, as data. The mechanism lives in SynapseMockKit.
///
/// Encoded as a JSON object with a snake_case `"kind"` discriminator and the kind's own fields:
///
/// | kind         | fields (defaults)                                                   |
/// | ------------ | ------------------------------------------------------------------- |
/// | `latency`    | `ms`, `jitter_ms` (0)                                               |
/// | `refuse`     | –                                                                   |
/// | `reset`      | `phase`: `before_request` \| `after_request` (`after_request`)       |
/// | `hang`       | –                                                                   |
/// | `status`     | `status`, `message` (the reason phrase), `retry_after` (seconds)    |
/// | `malformed`  | `variant`: `invalid_json` \| `garbage` \| `wrong_content_type` (`invalid_json`) |
/// | `slow_body`  | `bytes_per_second`                                                  |
/// | `truncate`   | exactly one of `after_bytes`, `after_events`                        |
/// | `stall`      | `after_events`, `ms` (absent: until the client gives up)            |
/// | `load_failure` | – (a model-serving mock's next model loads crash; see `MockEvent`) |
public enum FaultSpec: Sendable, Hashable {
    /// Delays the response by `fixed` plus a uniformly drawn `0...jitter`.
    case latency(fixed: Duration, jitter: Duration = .zero)
    /// The mock stops accepting connections (clients see ECONNREFUSED) until the fault is cleared.
    case refuse
    /// Accepts the connection, then closes it with a TCP RST.
    case reset(ResetPhase = .afterRequest)
    /// Reads the request and never answers.
    case hang
    /// Answers with this status and a body in the backend's own error format.
    case status(code: Int, message: String? = nil, retryAfter: Int? = nil)
    /// Answers 200 with a broken body.
    case malformed(MalformedVariant = .invalidJSON)
    /// Sends the response body at this rate.
    case slowBody(bytesPerSecond: Int)
    /// Cuts the response off and closes the connection without a proper end.
    case truncate(TruncatePoint)
    /// Pauses a streamed response after `afterEvents` events, for `duration` (nil: indefinitely).
    case stall(afterEvents: Int, duration: Duration? = nil)
    /// Not an HTTP fault: a mock that loads models (the llama router) makes each load it starts
    /// while the rule fires end with the child crashing (exit code 1). The load request itself
    /// still succeeds.
    case loadFailure

    /// When a `reset` fault closes the connection.
    public enum ResetPhase: String, Sendable, Hashable, Codable, CaseIterable {
        /// Before reading the request body.
        case beforeRequest = "before_request"
        /// After reading the whole request, instead of answering.
        case afterRequest = "after_request"
    }

    /// How a `malformed` fault breaks the response.
    public enum MalformedVariant: String, Sendable, Hashable, Codable, CaseIterable {
        /// `Content-Type: application/json` with a body that does not parse.
        case invalidJSON = "invalid_json"
        /// Random-looking (but deterministic) non-UTF-8 bytes.
        case garbage
        /// The real body, labelled with the wrong `Content-Type` (`text/html`).
        case wrongContentType = "wrong_content_type"
    }

    /// Where a `truncate` fault cuts the response.
    public enum TruncatePoint: Sendable, Hashable {
        /// After this many body bytes.
        case afterBytes(Int)
        /// After this many server-sent events (blocks ending in a blank line).
        case afterEvents(Int)
    }

    /// The snake_case discriminator of this fault.
    public var kind: Kind {
        switch self {
        case .latency: .latency
        case .refuse: .refuse
        case .reset: .reset
        case .hang: .hang
        case .status: .status
        case .malformed: .malformed
        case .slowBody: .slowBody
        case .truncate: .truncate
        case .stall: .stall
        case .loadFailure: .loadFailure
        }
    }

    /// The `"kind"` values, one per case.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case latency, refuse, reset, hang, status, malformed
        case slowBody = "slow_body"
        case truncate, stall
        case loadFailure = "load_failure"
    }
}
