/// A fault plus the policy around it: which requests, how many, how often, with what odds.
///
/// JSON is one flat object: the `FaultSpec` fields plus `id`, `route`, `method`, `times`,
/// `every`, `probability` and `seed`, e.g.
/// `{"kind": "status", "status": 500, "times": 3, "route": "/v1/embeddings"}`.
public struct FaultRule: Sendable, Hashable, Identifiable {
    /// Assigned by the mock when the rule is injected (`f1`, `f2`, …) unless given.
    public var id: String
    /// What goes wrong.
    public var spec: FaultSpec
    /// Which requests are targeted. Default: all.
    public var match: RequestMatch
    /// Fire for this many targeted requests, then the rule is spent. Default: unlimited.
    public var times: Int?
    /// Fire only on every k-th targeted request (k, 2k, …). Default: every request.
    public var every: Int?
    /// Chance in 0...1 that a targeted request is hit. Default: 1.
    public var probability: Double?
    /// Seed of the rule's coin; the same seed gives the same hit sequence. Default 0.
    public var seed: UInt64?

    public init(
        id: String = "", _ spec: FaultSpec, match: RequestMatch = .any, times: Int? = nil, every: Int? = nil,
        probability: Double? = nil, seed: UInt64? = nil
    ) {
        self.id = id
        self.spec = spec
        self.match = match
        self.times = times
        self.every = every
        self.probability = probability
        self.seed = seed
    }

    /// Problems that make the rule unusable, as messages naming the field.
    public var problems: [String] {
        var problems: [String] = []
        if let times, times < 1 { problems.append("times must be at least 1") }
        if let every, every < 1 { problems.append("every must be at least 1") }
        if let probability, !(0...1).contains(probability) { problems.append("probability must be between 0 and 1") }
        if let route = match.route, !route.hasPrefix("/"), route != "*" { problems.append("route must start with /") }
        return problems
    }
}

extension FaultRule: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, route, method, times, every, probability, seed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decodeIfPresent(String.self, forKey: .id) ?? "",
            try FaultSpec(from: decoder),
            match: RequestMatch(
                route: try container.decodeIfPresent(String.self, forKey: .route),
                method: try container.decodeIfPresent(String.self, forKey: .method)),
            times: try container.decodeIfPresent(Int.self, forKey: .times),
            every: try container.decodeIfPresent(Int.self, forKey: .every),
            probability: try container.decodeIfPresent(Double.self, forKey: .probability),
            seed: try container.decodeIfPresent(UInt64.self, forKey: .seed)
        )
        if let problem = problems.first {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try spec.encode(to: encoder)
        try container.encodeIfPresent(match.route, forKey: .route)
        try container.encodeIfPresent(match.method, forKey: .method)
        try container.encodeIfPresent(times, forKey: .times)
        try container.encodeIfPresent(every, forKey: .every)
        try container.encodeIfPresent(probability, forKey: .probability)
        try container.encodeIfPresent(seed, forKey: .seed)
    }
}
