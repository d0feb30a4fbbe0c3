import SynapseCore

/// One check, written under `expect:` (or `wait: until:`), with where it was written.
public struct Expectation: Sendable {
    /// What is checked.
    public enum Check: Sendable {
        /// Every response's status is one of these.
        case status([Int])
        /// Exact number of responses per status.
        case statusMix([Int: Int])
        /// A response header on every response (name compared case-insensitively).
        case header(String, Matcher)
        /// A value at a JSON path of every response body (the empty path is the whole body).
        case json(String, Matcher)
        /// The events of streamed responses.
        case events(EventCheck)
        /// Time from sending to the end of the body, on the scenario's clock.
        case latency(min: Duration?, max: Duration?)
        /// A backend's breaker state from the gateway (`closed`, `open`, `halfOpen`).
        case breaker(backend: String, state: String)
        /// A Prometheus series (labels given are matched, the others summed over).
        case metric(String, Matcher)
        /// What a mock received.
        case journal(mock: String, JournalCheck)
        /// Files in the gateway's voice library (paths relative to its root).
        case voiceFiles(present: [String], absent: [String])
    }

    public var line: Int
    public var keyPath: String
    public var check: Check
    /// For response checks: the labelled request whose responses are checked (default: the
    /// step's own request, else the last one sent).
    public var of: String?

    public init(line: Int, keyPath: String, check: Check, of: String? = nil) {
        self.line = line
        self.keyPath = keyPath
        self.check = check
        self.of = of
    }

    /// Whether the check is about responses (rather than gateway or mock state).
    var needsResponses: Bool {
        switch check {
        case .status, .statusMix, .header, .json, .events, .latency: true
        case .breaker, .metric, .journal, .voiceFiles: false
        }
    }
}

/// `events:` — server-sent events of streamed responses (each response checked).
public struct EventCheck: Sendable {
    /// Number of `data:` events.
    public var count: Matcher?
    /// The data of the last event.
    public var last: Matcher?
    /// Some event's data contains this text.
    public var contains: String?
    /// Whether the stream ended cleanly (true) or was cut (false).
    public var complete: Bool?
    /// Every event's data (except `[DONE]`) is JSON.
    public var allJSON: Bool?

    public init(count: Matcher? = nil, last: Matcher? = nil, contains: String? = nil, complete: Bool? = nil, allJSON: Bool? = nil) {
        self.count = count
        self.last = last
        self.contains = contains
        self.complete = complete
        self.allJSON = allJSON
    }
}

/// `journal: {mock: {...}}` — requests a mock received, optionally only those for one path.
public struct JournalCheck: Sendable {
    /// Only entries with this path (and method) are considered.
    public var path: String?
    public var method: String?
    /// Number of (filtered) entries.
    public var count: Matcher?
    /// The exact sequence of entries, each `"/path"` or `"METHOD /path"`.
    public var paths: [String]?
    /// These entries appear in this order (others may come between).
    public var order: [String]?
    /// No two consecutive (filtered) entries match this one, e.g. `POST /models/load`: with a
    /// `method: POST` filter, something else was sent between any two loads.
    public var neverTwiceInARow: String?
    /// Checks on the last (filtered) entry.
    public var last: EntryCheck?
    /// Checks on every (filtered) entry.
    public var each: EntryCheck?

    public init(
        path: String? = nil, method: String? = nil, count: Matcher? = nil, paths: [String]? = nil, order: [String]? = nil,
        last: EntryCheck? = nil, each: EntryCheck? = nil
    ) {
        self.path = path
        self.method = method
        self.count = count
        self.paths = paths
        self.order = order
        self.last = last
        self.each = each
    }
}

/// Checks on one journal entry.
public struct EntryCheck: Sendable {
    /// Values at JSON paths of the entry as the control API shows it (`json.model`, `body_size`,
    /// `form_parts.0.filename`).
    public var fields: [(String, Matcher)]
    /// The entry's body is complete and byte-identical to the body sent by this labelled request.
    public var sameBodyAs: String?

    public init(fields: [(String, Matcher)] = [], sameBodyAs: String? = nil) {
        self.fields = fields
        self.sameBodyAs = sameBodyAs
    }
}
