/// The part of a run one event loop carries: loop `index` of `count` takes the requests whose
/// ordinal (the n-th request of the run) is `index` modulo `count`. Every loop works through
/// its own share with no lock and no shared counter.
struct LoopShare: Sendable, Equatable {
    var index: Int
    var count: Int

    /// The run's ordinal of this loop's `local`-th request.
    func ordinal(_ local: Int) -> Int { local * count + index }

    /// This loop's part of a whole (connections, concurrency): the remainder goes to the first loops.
    func part(of total: Int) -> Int { total / count + (index < total % count ? 1 : 0) }
}

/// Which recorded request an ordinal sends: the recording in order, again and again with
/// `--loop`, once without.
struct RequestCycle: Sendable {
    var requestCount: Int
    var loops: Bool

    /// The request index for `ordinal`, or nil when the recording is used up.
    func request(for ordinal: Int) -> Int? {
        guard requestCount > 0, loops || ordinal < requestCount else { return nil }
        return ordinal % requestCount
    }
}
