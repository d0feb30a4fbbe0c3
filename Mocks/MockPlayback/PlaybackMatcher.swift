/// Which recorded entries answer a request: the policy, with no I/O beyond comparing a large
/// recorded body with its file.
///
/// An entry matches when the method is the same, the path is the same (byte for byte, as
/// percent-encoded) and the body matches under the `BodyMatch` mode. The query only breaks ties:
/// when some of the matching entries have the request's query (items in any order), only those
/// answer; otherwise all of them do. Several answers to one request are served in turn (see
/// `RoundRobin`).
struct PlaybackMatcher: Sendable {
    let entries: [PlaybackEntry]
    let bodyMatch: BodyMatch

    /// Indices of the entries that answer `request`, in recording order; empty when none does.
    func candidates(for request: PlaybackRequest) -> [Int] {
        let matching = entries.indices.filter { index in
            let entry = entries[index]
            return entry.method == request.method && entry.path == request.path
                && bodyMatch.compare(recorded: entry.body, incoming: request.body) == .same
        }
        let sameQuery = matching.filter { entries[$0].query == request.query }
        return sameQuery.isEmpty ? matching : sameQuery
    }
}

/// Serves several recorded answers to the same request in turn, as WireMock scenarios and
/// GoReplay do: the n-th request matching one set of entries gets entry n modulo the set's size,
/// so a recording with three answers to one request replays them in order, then starts again.
/// Deterministic: the sequence depends only on the order of the requests.
struct RoundRobin: Sendable {
    private var served: [[Int]: Int] = [:]

    /// The candidate whose turn it is, counting this request.
    mutating func next(among candidates: [Int]) -> Int {
        let count = served[candidates, default: 0]
        served[candidates] = count + 1
        return candidates[count % candidates.count]
    }

    /// Starts every sequence again (the mock's reset).
    mutating func reset() { served = [:] }
}
