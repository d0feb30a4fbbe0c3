import Foundation

/// JSON coding of `FaultSpec`: a flat object keyed by `"kind"`, with snake_case fields.
extension FaultSpec: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, ms
        case jitterMs = "jitter_ms"
        case phase, status, message
        case retryAfter = "retry_after"
        case variant
        case bytesPerSecond = "bytes_per_second"
        case afterBytes = "after_bytes"
        case afterEvents = "after_events"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kindName = try container.decode(String.self, forKey: .kind)
        guard let kind = Kind(rawValue: kindName) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown fault kind \"\(kindName)\"; expected one of \(known)")
        }
        switch kind {
        case .latency:
            let ms = try container.decode(Int.self, forKey: .ms)
            let jitter = try container.decodeIfPresent(Int.self, forKey: .jitterMs) ?? 0
            try Self.require(ms >= 0 && jitter >= 0, "ms and jitter_ms must not be negative", .ms, container)
            self = .latency(fixed: .milliseconds(ms), jitter: .milliseconds(jitter))
        case .refuse:
            self = .refuse
        case .loadFailure:
            self = .loadFailure
        case .reset:
            self = .reset(try container.decodeIfPresent(ResetPhase.self, forKey: .phase) ?? .afterRequest)
        case .hang:
            self = .hang
        case .status:
            let code = try container.decode(Int.self, forKey: .status)
            try Self.require((100...599).contains(code), "status must be between 100 and 599", .status, container)
            let retryAfter = try container.decodeIfPresent(Int.self, forKey: .retryAfter)
            try Self.require((retryAfter ?? 0) >= 0, "retry_after must not be negative", .retryAfter, container)
            self = .status(code: code, message: try container.decodeIfPresent(String.self, forKey: .message), retryAfter: retryAfter)
        case .malformed:
            self = .malformed(try container.decodeIfPresent(MalformedVariant.self, forKey: .variant) ?? .invalidJSON)
        case .slowBody:
            let rate = try container.decode(Int.self, forKey: .bytesPerSecond)
            try Self.require(rate > 0, "bytes_per_second must be positive", .bytesPerSecond, container)
            self = .slowBody(bytesPerSecond: rate)
        case .truncate:
            let bytes = try container.decodeIfPresent(Int.self, forKey: .afterBytes)
            let events = try container.decodeIfPresent(Int.self, forKey: .afterEvents)
            switch (bytes, events) {
            case (let bytes?, nil):
                try Self.require(bytes >= 0, "after_bytes must not be negative", .afterBytes, container)
                self = .truncate(.afterBytes(bytes))
            case (nil, let events?):
                try Self.require(events >= 0, "after_events must not be negative", .afterEvents, container)
                self = .truncate(.afterEvents(events))
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .afterBytes, in: container, debugDescription: "truncate needs exactly one of after_bytes or after_events")
            }
        case .stall:
            let events = try container.decode(Int.self, forKey: .afterEvents)
            try Self.require(events >= 0, "after_events must not be negative", .afterEvents, container)
            let ms = try container.decodeIfPresent(Int.self, forKey: .ms)
            try Self.require((ms ?? 0) >= 0, "ms must not be negative", .ms, container)
            self = .stall(afterEvents: events, duration: ms.map { .milliseconds($0) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        switch self {
        case .latency(let fixed, let jitter):
            try container.encode(fixed.faultMilliseconds, forKey: .ms)
            if jitter != .zero { try container.encode(jitter.faultMilliseconds, forKey: .jitterMs) }
        case .refuse, .hang, .loadFailure:
            break
        case .reset(let phase):
            try container.encode(phase, forKey: .phase)
        case .status(let code, let message, let retryAfter):
            try container.encode(code, forKey: .status)
            try container.encodeIfPresent(message, forKey: .message)
            try container.encodeIfPresent(retryAfter, forKey: .retryAfter)
        case .malformed(let variant):
            try container.encode(variant, forKey: .variant)
        case .slowBody(let rate):
            try container.encode(rate, forKey: .bytesPerSecond)
        case .truncate(.afterBytes(let bytes)):
            try container.encode(bytes, forKey: .afterBytes)
        case .truncate(.afterEvents(let events)):
            try container.encode(events, forKey: .afterEvents)
        case .stall(let events, let duration):
            try container.encode(events, forKey: .afterEvents)
            try container.encodeIfPresent(duration?.faultMilliseconds, forKey: .ms)
        }
    }

    private static func require(
        _ condition: Bool, _ message: String, _ key: CodingKeys, _ container: KeyedDecodingContainer<CodingKeys>
    ) throws {
        if !condition { throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message) }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down (fault JSON uses integer milliseconds).
    var faultMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
