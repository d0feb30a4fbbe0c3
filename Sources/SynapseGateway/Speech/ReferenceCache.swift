import Synchronization

/// Which reference file Chatterbox holds for each voice, with single-flight uploads.
///
/// ```
/// remoteReference(for: v) ──▶ ready(entry) ─────────────────────────────▶ entry      (cache hit)
///                        ──▶ absent ──▶ uploading(gen) ── upload() ──▶ ready(entry) (this caller leads)
///                        ──▶ uploading ──▶ wait ◀── the leader resumes every waiter
/// ```
/// An entry names the voice's chosen reference by content (its SHA-256 is in the uploaded
/// name). `invalidate` drops it when the voice's references change or the voice is deleted;
/// an upload that was running at that moment still answers its own waiters with `.retry`, so
/// nobody gets a reference from before the change.
final class ReferenceCache: Sendable {
    /// What Chatterbox knows for a voice.
    struct Entry: Sendable, Equatable {
        /// The name to send as `reference_audio_filename`.
        var remoteName: String
        /// SHA-256 (hex) of the bytes uploaded under that name.
        var digest: String
    }

    private enum Slot {
        case ready(Entry)
        case uploading(generation: Int, waiters: [CheckedContinuation<WaitOutcome, Never>], stale: Bool)
    }

    private enum WaitOutcome: Sendable {
        case entry(Entry)
        case failed(any Error)
        /// The upload was cancelled or invalidated: look again (and perhaps lead a new one).
        case retry
    }

    private struct State {
        var slots: [VoiceID: Slot] = [:]
        var generation = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The voice's cached entry, or the result of `upload`, run at most once at a time per voice.
    func remoteReference(for voice: VoiceID, upload: @Sendable () async throws -> Entry) async throws -> Entry {
        while true {
            try Task.checkCancellation()
            enum Action {
                case hit(Entry)
                case wait
                case lead(Int)
            }
            let action: Action = state.withLock { state in
                switch state.slots[voice] {
                case .ready(let entry): return .hit(entry)
                case .uploading: return .wait
                case nil:
                    state.generation += 1
                    state.slots[voice] = .uploading(generation: state.generation, waiters: [], stale: false)
                    return .lead(state.generation)
                }
            }
            switch action {
            case .hit(let entry):
                return entry
            case .wait:
                switch await wait(for: voice) {
                case .entry(let entry): return entry
                case .failed(let error): throw error
                case .retry: continue
                }
            case .lead(let generation):
                do {
                    let entry = try await upload()
                    finish(voice, generation: generation, outcome: .entry(entry))
                    return entry
                } catch {
                    // A cancelled leader says nothing about the upload itself: let a waiter lead.
                    finish(voice, generation: generation, outcome: error is CancellationError ? .retry : .failed(error))
                    throw error
                }
            }
        }
    }

    /// Forgets the voice's entry (references added, voice deleted).
    func invalidate(_ voice: VoiceID) {
        state.withLock { state in
            if case .uploading(let generation, let waiters, _) = state.slots[voice] {
                state.slots[voice] = .uploading(generation: generation, waiters: waiters, stale: true)
            } else {
                state.slots[voice] = nil
            }
        }
    }

    /// Forgets the entry only if it still names `remoteName` (Chatterbox said it does not know
    /// that file); a newer entry another request already made is kept.
    func invalidate(_ voice: VoiceID, ifRemoteName remoteName: String) {
        state.withLock { state in
            if case .ready(let entry) = state.slots[voice], entry.remoteName == remoteName { state.slots[voice] = nil }
        }
    }

    /// The cached entry, if any (for tests and logs).
    func entry(for voice: VoiceID) -> Entry? {
        state.withLock { state in
            if case .ready(let entry) = state.slots[voice] { return entry }
            return nil
        }
    }

    // MARK: Private

    private func wait(for voice: VoiceID) async -> WaitOutcome {
        await withCheckedContinuation { continuation in
            let immediate: WaitOutcome? = state.withLock { state in
                switch state.slots[voice] {
                case .uploading(let generation, var waiters, let stale):
                    waiters.append(continuation)
                    state.slots[voice] = .uploading(generation: generation, waiters: waiters, stale: stale)
                    return nil
                case .ready(let entry): return .entry(entry)
                case nil: return .retry
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private func finish(_ voice: VoiceID, generation: Int, outcome: WaitOutcome) {
        let waiters: [CheckedContinuation<WaitOutcome, Never>]
        var outcome = outcome
        (waiters, outcome) = state.withLock { state in
            guard case .uploading(let current, let waiters, let stale) = state.slots[voice], current == generation else {
                return ([], outcome)
            }
            if stale {
                state.slots[voice] = nil
                return (waiters, .retry)
            }
            if case .entry(let entry) = outcome {
                state.slots[voice] = .ready(entry)
            } else {
                state.slots[voice] = nil
            }
            return (waiters, outcome)
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }
}
