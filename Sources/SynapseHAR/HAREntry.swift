/// One exchange: the request, the response, and when and how long.
public struct HAREntry: Codable, Sendable, Equatable {
    /// ISO 8601 with fractional seconds and a zone (`2026-12-07T03:01:02.123Z`).
    public var startedDateTime: String
    /// Total time in milliseconds (the sum of the non-negative timings).
    public var time: Double
    public var request: HARRequest
    public var response: HARResponse
    public var timings: HARTimings
    public var serverIPAddress: String?
    public var connection: String?
    public var comment: String?
    /// What Synapse knows about the exchange beyond HTTP (absent in browser exports).
    public var synapse: HARSynapseInfo?

    public init(
        startedDateTime: String, time: Double, request: HARRequest, response: HARResponse, timings: HARTimings,
        serverIPAddress: String? = nil, connection: String? = nil, comment: String? = nil, synapse: HARSynapseInfo? = nil
    ) {
        self.startedDateTime = startedDateTime
        self.time = time
        self.request = request
        self.response = response
        self.timings = timings
        self.serverIPAddress = serverIPAddress
        self.connection = connection
        self.comment = comment
        self.synapse = synapse
    }

    enum CodingKeys: String, CodingKey {
        case startedDateTime, time, request, response, cache, timings, serverIPAddress, connection, comment
        case synapse = "_synapse"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startedDateTime = try c.decode(String.self, forKey: .startedDateTime)
        time = try c.decodeIfPresent(Double.self, forKey: .time) ?? 0
        request = try c.decode(HARRequest.self, forKey: .request)
        response = try c.decode(HARResponse.self, forKey: .response)
        timings = try c.decodeIfPresent(HARTimings.self, forKey: .timings) ?? HARTimings(send: 0, wait: 0, receive: 0)
        serverIPAddress = try c.decodeIfPresent(String.self, forKey: .serverIPAddress)
        connection = try c.decodeIfPresent(String.self, forKey: .connection)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
        synapse = try c.decodeIfPresent(HARSynapseInfo.self, forKey: .synapse)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startedDateTime, forKey: .startedDateTime)
        try c.encode(time, forKey: .time)
        try c.encode(request, forKey: .request)
        try c.encode(response, forKey: .response)
        // Required by the spec; Synapse records no cache state.
        try c.encode([String: String](), forKey: .cache)
        try c.encode(timings, forKey: .timings)
        try c.encodeIfPresent(serverIPAddress, forKey: .serverIPAddress)
        try c.encodeIfPresent(connection, forKey: .connection)
        try c.encodeIfPresent(comment, forKey: .comment)
        try c.encodeIfPresent(synapse, forKey: .synapse)
    }
}

/// Phase durations in milliseconds; -1 where a phase does not apply (the spec's convention).
public struct HARTimings: Codable, Sendable, Equatable {
    public var blocked: Double?
    public var dns: Double?
    public var connect: Double?
    public var ssl: Double?
    /// Receiving the request (Synapse: until the request body was read).
    public var send: Double
    /// Waiting for the first response byte: `send` + `wait` is the time to first byte.
    public var wait: Double
    /// Sending the response body.
    public var receive: Double

    public init(blocked: Double? = -1, dns: Double? = -1, connect: Double? = -1, ssl: Double? = -1, send: Double, wait: Double, receive: Double) {
        self.blocked = blocked
        self.dns = dns
        self.connect = connect
        self.ssl = ssl
        self.send = send
        self.wait = wait
        self.receive = receive
    }

    enum CodingKeys: String, CodingKey { case blocked, dns, connect, ssl, send, wait, receive }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        blocked = try c.decodeIfPresent(Double.self, forKey: .blocked)
        dns = try c.decodeIfPresent(Double.self, forKey: .dns)
        connect = try c.decodeIfPresent(Double.self, forKey: .connect)
        ssl = try c.decodeIfPresent(Double.self, forKey: .ssl)
        send = try c.decodeIfPresent(Double.self, forKey: .send) ?? 0
        wait = try c.decodeIfPresent(Double.self, forKey: .wait) ?? 0
        receive = try c.decodeIfPresent(Double.self, forKey: .receive) ?? 0
    }
}

/// Synapse's `_synapse` object on an entry.
public struct HARSynapseInfo: Codable, Sendable, Equatable {
    /// The backend the gateway forwarded to (`llama-embed`), nil for the gateway's own routes.
    public var backend: String?
    /// The path (and query) the gateway called on that backend (`/v1/embeddings`), for playback.
    public var upstreamPath: String?
    /// The route as registered (`/voices/{voice_id}`).
    public var route: String?
    public var requestID: String?
    /// `X-Synapse-Overhead-Ms`, when the gateway set it.
    public var overheadMs: Double?
    /// Headers whose values were replaced by `[REDACTED]`, lower-cased.
    public var redacted: [String]?

    public init(
        backend: String? = nil, upstreamPath: String? = nil, route: String? = nil, requestID: String? = nil, overheadMs: Double? = nil,
        redacted: [String]? = nil
    ) {
        self.backend = backend
        self.upstreamPath = upstreamPath
        self.route = route
        self.requestID = requestID
        self.overheadMs = overheadMs
        self.redacted = redacted
    }
}
