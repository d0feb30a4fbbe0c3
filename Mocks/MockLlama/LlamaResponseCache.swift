import Synchronization

/// Answers already computed, by request body. The mock is deterministic (same request, same
/// answer), so a repeated request — the common case in load tests replaying recorded traffic —
/// is served without recomputing a 1024-dimension vector and its JSON. Bounded: at most
/// `capacity` entries, bodies up to `maxBodySize`, oldest evicted first.
final class LlamaResponseCache: Sendable {
    struct Key: Hashable, Sendable {
        var route: String
        var body: [UInt8]
    }

    let capacity: Int
    let maxBodySize: Int
    private let state = Mutex<(entries: [Key: String], order: [Key])>(([:], []))

    init(capacity: Int = 512, maxBodySize: Int = 16 * 1024) {
        self.capacity = capacity
        self.maxBodySize = maxBodySize
    }

    func answer(for key: Key) -> String? {
        state.withLock { $0.entries[key] }
    }

    func store(_ answer: String, for key: Key) {
        guard key.body.count <= maxBodySize else { return }
        state.withLock { state in
            guard state.entries.updateValue(answer, forKey: key) == nil else { return }
            state.order.append(key)
            if state.order.count > capacity {
                state.entries.removeValue(forKey: state.order.removeFirst())
            }
        }
    }
}
