import SynapseCore

/// One fault-injection scenario, as read from a `version: 1` YAML file (see docs/scenarios.md).
///
/// A scenario names the mocks it needs, optional gateway configuration overrides, a seed, and an
/// ordered list of steps; each step may carry expectations checked right after it ran.
public struct Scenario: Sendable {
    /// Short title, unique within a library.
    public var name: String
    /// What behaviour the scenario demonstrates.
    public var description: String
    /// The file it was read from (for reports and errors).
    public var file: String
    /// Seed of everything random in the scenario (multipart boundaries, generated payloads, fault
    /// coins without their own seed). `--seed` overrides it. Default 1.
    public var seed: UInt64
    /// Mocks to start, by name; nil: every mock the mock set has.
    public var mocks: [String]?
    /// What the mock set must be able to do (`requires: [virtualTime]`); a run without it reports
    /// the scenario as skipped, with the reason. Default none.
    public var requires: MockSetCapabilities = []
    /// Merged over the generated `backends.yaml` before the gateway starts (in-process only).
    public var config: JSONValue?
    /// Line of the `config` key, for configuration problems.
    public var configLine: Int?
    public var steps: [Step]

    public init(
        name: String, description: String = "", file: String = "", seed: UInt64 = 1, mocks: [String]? = nil,
        config: JSONValue? = nil, configLine: Int? = nil, steps: [Step] = []
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.seed = seed
        self.mocks = mocks
        self.config = config
        self.configLine = configLine
        self.steps = steps
    }
}

extension Scenario {
    /// Whether a step replays load: such a scenario runs on real time even in process, since
    /// load is paced by the real clock.
    public var hasLoad: Bool {
        steps.contains {
            if case .load = $0.action { return true }
            return false
        }
    }
}

/// One step: an action, then the expectations checked after it.
public struct Step: Sendable {
    /// What the step does.
    public enum Action: Sendable {
        /// Adds a fault rule (FaultRule JSON: `kind`, its fields, `route`, `times`, …) to a mock.
        case fault(mock: String, rule: JSONValue)
        /// Clears the faults of these mocks (nil: every mock).
        case clear(mocks: [String]?)
        /// Clears faults, journal and state of a mock, like a restart of the real server.
        case reset(mock: String)
        /// Sends requests through the gateway.
        case request(RequestSpec)
        /// Lets time pass, or waits until expectations hold.
        case wait(WaitSpec)
        /// Replays a recording as load, then checks its figures against thresholds.
        case load(LoadStepSpec)
        /// Only checks expectations.
        case expect
    }

    /// 1-based line of the step in its file.
    public var line: Int
    /// `steps[3]`, for messages.
    public var keyPath: String
    public var action: Action
    public var expectations: [Expectation]

    public init(line: Int, keyPath: String, action: Action, expectations: [Expectation] = []) {
        self.line = line
        self.keyPath = keyPath
        self.action = action
        self.expectations = expectations
    }
}

/// `wait:` — advance time by a duration, or until conditions hold (bounded).
public struct WaitSpec: Sendable {
    /// Time to let pass (virtual time in-process; a real sleep against a target).
    public var duration: Duration?
    /// Conditions to wait for, checked after every move of the clock.
    public var until: [Expectation]
    /// Upper bound for `until`. Default 60 s.
    public var timeout: Duration

    public init(duration: Duration? = nil, until: [Expectation] = [], timeout: Duration = .seconds(60)) {
        self.duration = duration
        self.until = until
        self.timeout = timeout
    }
}

/// `request:` — one request, or `count` of them with at most `concurrency` in flight.
public struct RequestSpec: Sendable {
    /// A part of a multipart body.
    public struct Part: Sendable {
        /// Where a part's bytes come from.
        public enum Source: Sendable {
            /// A text value.
            case value(String)
            /// A file under `Fixtures/` (or relative to the scenario file).
            case file(String)
            /// A generated WAV: a sine tone, 24 kHz mono 16-bit.
            case tone(seconds: Double, hertz: Double)
            /// Deterministic pseudo-random bytes from the scenario's seed.
            case random(bytes: Int)
            /// Mock speech (24 kHz mono WAV) saying `text` in `voice`, as the TTS mock makes it and
            /// the STT mock reads it; about 0.06 s per character.
            case speech(text: String, voice: String)
        }

        public var name: String
        public var filename: String?
        public var contentType: String?
        public var source: Source

        public init(name: String, filename: String? = nil, contentType: String? = nil, source: Source) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.source = source
        }
    }

    /// Where the body comes from.
    public enum Body: Sendable {
        case none
        case json(JSONValue)
        /// Request i of a `count` sends item i modulo the list's length (two clients alternating
        /// two models, say).
        case jsonCycle([JSONValue])
        case jsonFile(String)
        case text(String)
        case multipart([Part])
    }

    public var method: String
    /// Path and query on the gateway, e.g. `/v1/embeddings`.
    public var path: String
    public var headers: [(String, String)]
    public var body: Body
    public var count: Int
    public var concurrency: Int
    /// Read the body as server-sent events as they arrive.
    public var stream: Bool
    /// A name by which later steps refer to these responses (`of:`, `sameBodyAs:`).
    public var label: String?
    /// Client-side limit on one request. Default 600 s.
    public var timeout: Duration
    /// Control actions (`fault`, `clear`, `reset`) done while the requests are in flight, at a
    /// time on the scenario clock counted from the step's start: "the backend comes back at 1.2 s".
    public var during: [(at: Duration, action: Step.Action)] = []
    /// Values kept from the (first) response for `${name}` in later steps.
    public var captures: [Capture] = []

    public init(
        method: String = "GET", path: String, headers: [(String, String)] = [], body: Body = .none, count: Int = 1,
        concurrency: Int = 1, stream: Bool = false, label: String? = nil, timeout: Duration = .seconds(600)
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.count = count
        self.concurrency = concurrency
        self.stream = stream
        self.label = label
        self.timeout = timeout
    }
}
