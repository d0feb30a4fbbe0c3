import NIOCore

/// How fast a client must send its request; pure bookkeeping, fed by `ConnectionGuard`.
///
/// ```
///  idle ──bytes, no head yet──▶ head ──head parsed──▶ body ──end──▶ idle
///             headerReadTimeout ┘      bodyIdleTimeout, minBodyRate ┘
/// ```
///
/// Only time the gateway spends *waiting* for the client counts: while it has asked for more
/// bytes (a read is pending). When the gateway itself holds back (its backend is slow to take an
/// upload, so nothing is read), the client is not blamed: the body's clock pauses.
///
/// | check | when | verdict |
/// |---|---|---|
/// | head complete within `headerReadTimeout` of its first byte | timer | `.headTooSlow` |
/// | a body byte within `bodyIdleTimeout` of asking for one | timer | `.bodyIdle` |
/// | bytes ≥ `minBodyRate` × waited seconds, once waited ≥ `bodyRateGracePeriod` | each chunk, timer | `.bodyTooSlow` |
///
/// Instants are `NIODeadline.uptimeNanoseconds`; tests pass any numbers.
struct ClientPace {
    struct Configuration: Sendable {
        var headerReadTimeout: Duration
        var bodyIdleTimeout: Duration
        /// Bytes per second.
        var minBodyRate: Int
        var bodyRateGracePeriod: Duration
    }

    enum Verdict: Equatable, Sendable { case fine, headTooSlow, bodyIdle, bodyTooSlow }

    enum Phase: Equatable {
        /// Between requests: nothing of the next head has arrived.
        case idle
        /// Part of a head has arrived, since this instant.
        case head(since: UInt64)
        /// The head is in; the body is being read.
        case body
    }

    private let headerReadTimeout: UInt64
    private let bodyIdleTimeout: UInt64
    private let minBodyRate: Double
    private let bodyRateGracePeriod: UInt64

    private(set) var phase = Phase.idle
    /// Whether the gateway has asked for more bytes and none came yet.
    private var readPending = false
    /// When the pending read was asked for.
    private var pendingSince: UInt64 = 0
    /// Body bytes received for the current request.
    private var bodyBytes = 0
    /// Time spent waiting for the current body, not counting the pending read.
    private var bodyWaited: UInt64 = 0

    init(_ configuration: Configuration) {
        headerReadTimeout = Self.nanoseconds(configuration.headerReadTimeout)
        bodyIdleTimeout = Self.nanoseconds(configuration.bodyIdleTimeout)
        minBodyRate = Double(configuration.minBodyRate)
        bodyRateGracePeriod = Self.nanoseconds(configuration.bodyRateGracePeriod)
    }

    // MARK: Events

    /// The gateway asked the connection for more bytes.
    mutating func readRequested(at now: UInt64) {
        guard !readPending else { return }
        readPending = true
        pendingSince = now
    }

    /// A read finished (bytes arrived); `sawParts` says whether they completed any request part.
    /// Bytes that completed nothing while idle are the start of a head.
    mutating func readCompleted(at now: UInt64, sawParts: Bool) {
        if readPending, phase == .body { bodyWaited &+= now &- pendingSince }
        readPending = false
        if phase == .idle, !sawParts { phase = .head(since: now) }
    }

    /// The head is in: the body's clock starts now (a read asked for while the connection sat
    /// idle before this request is not the body's waiting).
    mutating func headReceived(at now: UInt64) {
        phase = .body
        bodyBytes = 0
        bodyWaited = 0
        if readPending { pendingSince = now }
    }

    /// A body chunk arrived; the rate is checked at every chunk.
    mutating func bodyReceived(_ count: Int, at now: UInt64) -> Verdict {
        bodyBytes &+= count
        return rateVerdict(at: now)
    }

    mutating func endReceived() {
        phase = .idle
    }

    // MARK: Checks

    /// The verdict at `now` (on the timer).
    func check(at now: UInt64) -> Verdict {
        switch phase {
        case .idle:
            return .fine
        case .head(let since):
            return now &- since >= headerReadTimeout ? .headTooSlow : .fine
        case .body:
            if readPending, now &- pendingSince >= bodyIdleTimeout { return .bodyIdle }
            return rateVerdict(at: now)
        }
    }

    /// When the timer should look again, or nil when nothing is being waited for.
    func nextCheck(after now: UInt64) -> UInt64? {
        switch phase {
        case .idle:
            return nil
        case .head(let since):
            return since &+ headerReadTimeout
        case .body:
            // Not waiting on the client (nothing asked for): look again later.
            return (readPending ? pendingSince : now) &+ bodyIdleTimeout
        }
    }

    /// The average rate so far, in bytes per second of waiting (for messages).
    func bodyRate(at now: UInt64) -> Double {
        let waited = waited(at: now)
        return waited == 0 ? 0 : Double(bodyBytes) * 1e9 / Double(waited)
    }

    private func waited(at now: UInt64) -> UInt64 {
        bodyWaited &+ (readPending ? now &- pendingSince : 0)
    }

    private func rateVerdict(at now: UInt64) -> Verdict {
        guard phase == .body, minBodyRate > 0 else { return .fine }
        let waited = waited(at: now)
        guard waited >= bodyRateGracePeriod else { return .fine }
        return Double(bodyBytes) * 1e9 < minBodyRate * Double(waited) ? .bodyTooSlow : .fine
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(UInt64.max / 2_000_000_000) else { return UInt64.max / 2 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
