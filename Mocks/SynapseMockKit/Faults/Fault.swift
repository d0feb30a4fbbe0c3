import Hummingbird
import NIOCore
import SynapseCore

/// The mechanism of one fault kind: a middleware-shaped method that may delay, replace or break
/// the response, or the connection. One small conformer per `FaultSpec` case.
///
/// A fault never decides *whether* it applies (that is `FaultRule`'s schedule, run by
/// `FaultInjector`); it only says *how*. What it needs beyond request and response it declares
/// in `capabilities`, so the injector never asks which concrete fault it holds.
public protocol Fault: Sendable {
    /// What the fault needs from the host. Default: nothing.
    var capabilities: FaultCapabilities { get }

    /// The mock event the fault strikes at instead of a request (see `MockEvent`); nil for the
    /// faults `FaultInjector` applies to requests. Default nil.
    var event: MockEvent? { get }

    /// Produces the (faulty) response; `next` runs the mock's real handler.
    func apply(
        to request: Request, context: FaultContext, next: (Request) async throws -> Response
    ) async throws -> Response
}

extension Fault {
    public var capabilities: FaultCapabilities { [] }
    public var event: MockEvent? { nil }
}

/// Needs a fault declares to the injector and the host.
public struct FaultCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Acts on the listening socket while its rule is active (the host closes and re-opens it);
    /// `apply` only handles requests that raced in on a connection opened before.
    public static let controlsListener = FaultCapabilities(rawValue: 1 << 0)
    /// The whole request body is read (and journalled) before `apply` runs.
    public static let readsRequestFirst = FaultCapabilities(rawValue: 1 << 1)
}

/// What a fault may use while it acts on one request.
public struct FaultContext: Sendable {
    /// The mock being faulted; `status` faults use its error format.
    public let mock: any MockServer
    /// The mock's clock for every delay.
    public let time: MockTime
    /// The client connection, for faults that close or reset it.
    public let channel: any Channel
    /// Randomness handed out by the injector (jitter, garbage bytes), derived from the rule's seed.
    public var random: SplitMix64

    public init(mock: any MockServer, time: MockTime, channel: any Channel, random: SplitMix64) {
        self.mock = mock
        self.time = time
        self.channel = channel
        self.random = random
    }
}

/// Thrown by a fault that has closed the connection on purpose: nothing more is written.
public struct ConnectionAbandoned: Error, Sendable {
    public init() {}
}

extension FaultSpec {
    /// The mechanism for this fault.
    public var fault: any Fault {
        switch self {
        case .latency(let fixed, let jitter): LatencyFault(fixed: fixed, jitter: jitter)
        case .refuse: RefuseFault()
        case .reset(let phase): ResetFault(phase: phase)
        case .hang: HangFault()
        case .status(let code, let message, let retryAfter): StatusFault(code: code, message: message, retryAfter: retryAfter)
        case .malformed(let variant): MalformedFault(variant: variant)
        case .slowBody(let rate): SlowBodyFault(bytesPerSecond: rate)
        case .truncate(let point): TruncateFault(point: point)
        case .stall(let events, let duration): StallFault(afterEvents: events, duration: duration)
        case .loadFailure: LoadFailureFault()
        }
    }
}
