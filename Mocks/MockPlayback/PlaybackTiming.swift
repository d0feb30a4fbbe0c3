/// How recorded timing is replayed (`--playback-timing`).
public enum PlaybackTiming: String, Sendable, CaseIterable {
    /// Wait the recorded time to first byte (`timings.wait`) before the head, and send each
    /// server-sent event at its recorded offset from the head.
    case recorded
    /// Answer at once; events back to back.
    case none
}
