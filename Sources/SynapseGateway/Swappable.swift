import Synchronization

/// A value replaced whole while others read it: the gateway's current configuration generation,
/// responder and fast path, swapped by a reload. A reader keeps what it read for as long as it
/// needs it (an in-flight request finishes on the settings it started with).
final class Swappable<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    var current: Value { value.withLock { $0 } }

    /// Puts `new` in place and returns what was there.
    @discardableResult
    func replace(with new: Value) -> Value {
        value.withLock { value in
            let old = value
            value = new
            return old
        }
    }
}
