import Foundation
import SynapseMockKit
import Synchronization

/// A `MockTime` whose sleeps return at once and are recorded, so tests assert on the delays a
/// mock asked for instead of waiting for them.
final class RecordingTime: Sendable {
    private let sleeps = Mutex<[Duration]>([])

    /// Every sleep requested so far, in order.
    var recorded: [Duration] { sleeps.withLock { $0 } }

    /// The total requested sleep.
    var total: Duration { recorded.reduce(.zero, +) }

    var time: MockTime {
        MockTime(
            sleep: { duration in self.sleeps.withLock { $0.append(duration) } },
            now: { Date(timeIntervalSince1970: 1_700_000_000) }
        )
    }
}
