import Logging
import SynapseCore
import SynapseResilience
import Synchronization
import UnixSignals

/// Configuration reload: `SIGHUP` and `POST /admin/reload` read the configuration again the way
/// start-up read it (one validator: `ConfigLoader`, as `synapse config check`).
///
/// ```
/// read + validate ──errors──▶ rejected: old configuration stays; errors in the log, the event
///      │                      feed and the admin answer
///      ▼
/// ConfigReload(current, new): restart-only settings kept, backends compared
///      ▼
/// next generation: new clients; breakers of unchanged backends carried over, state and all
///      ▼
/// activate: routes, responder, fast path swapped in ─▶ new requests use them
///      ▼
/// retire the old generation: requests in flight finish on it; its clients close once its
/// longest deadline has passed
/// ```
/// Reads the configuration again, as start-up read it (the file, the environment and the command
/// line's overrides).
public struct ConfigSource: Sendable {
    public let read: @Sendable () -> ConfigLoader.Outcome

    public init(_ read: @escaping @Sendable () -> ConfigLoader.Outcome) {
        self.read = read
    }
}

extension GatewayService {
    /// What a reload did.
    public enum ReloadOutcome: Sendable {
        /// In force from now on, as generation `generation`; `warnings` from the file.
        case reloaded(ConfigReload, generation: Int, warnings: [ConfigIssue])
        /// The file has errors; nothing changed.
        case rejected([ConfigIssue])
        /// Nothing to re-read (a gateway built from a configuration in memory).
        case unavailable
    }

    /// The tasks that close old generations once their last requests are done, by generation
    /// number; each removes itself when it has closed its generation.
    struct ReloadState {
        var closers: [Int: Task<Void, Never>] = [:]
    }

    /// Reads the configuration again and, if it is valid, puts it in force for new requests.
    /// Reloads run one at a time.
    @discardableResult
    public func reload(reason: String) -> ReloadOutcome {
        guard let reloadSource else { return .unavailable }
        return reloading.withLock { state in
            let outcome = reloadSource.read()
            guard let new = outcome.config else { return rejected(outcome.errors, reason: reason) }
            let old = generation
            let change = ConfigReload(current: old.config, new: new)
            // The listener's certificate first: a file that does not load refuses the whole reload.
            if let tls = listenerTLS.current, let files = change.effective.gateway.tls {
                do { try tls.reload(files) } catch {
                    let issue = error as? ConfigIssue ?? ConfigIssue("gateway.tls", "\(error)")
                    return rejected([issue], reason: reason)
                }
            }
            let kept = old.breakers.breakers(of: Set(change.unchangedBackends))
            let next = GatewayGeneration(
                number: old.number + 1, config: change.effective, pool: Self.makePool(change.effective),
                breakers: .init(backends: change.effective.backends, clock: clock, keeping: kept, onTransition: breakerTransition))
            generations.replace(with: next)
            let oldFastPath = activate(next)
            state.closers[old.number] = retire(old, fastPath: oldFastPath)
            let warnings = outcome.warnings
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "synapse.reload.reason": "\(reason)", "synapse.generation": "\(next.number)",
                    "synapse.backends.added": "\(change.addedBackends)", "synapse.backends.removed": "\(change.removedBackends)",
                    "synapse.backends.changed": "\(change.changedBackends)", "synapse.restart_only": "\(change.restartOnly)",
                ])
            for warning in warnings { logger.warning("\(warning)") }
            events.publish(.config, [("action", .string("reloaded")), ("reason", .string(reason))] + Self.summary(change, generation: next.number))
            return .reloaded(change, generation: next.number, warnings: warnings)
        }
    }

    /// A refused reload, in the log and on the event feed.
    private func rejected(_ errors: [ConfigIssue], reason: String) -> ReloadOutcome {
        logger.error(
            "configuration reload rejected; the running configuration stays",
            metadata: ["synapse.reload.reason": "\(reason)", "synapse.config.errors": "\(errors.map(\.description))"])
        events.publish(.config, [("action", .string("rejected")), ("reason", .string(reason)), ("errors", .array(errors.map { .string($0.description) }))])
        return .rejected(errors)
    }

    /// The reload's effect as JSON members, for the event feed and the admin answer.
    static func summary(_ change: ConfigReload, generation: Int) -> [(String, JSONValue)] {
        let names = { (ids: [BackendID]) in JSONValue.array(ids.map { .string($0.rawValue) }) }
        return [
            ("generation", .int(generation)), ("backends_added", names(change.addedBackends)), ("backends_removed", names(change.removedBackends)),
            ("backends_changed", names(change.changedBackends)), ("backends_unchanged", names(change.unchangedBackends)),
            ("restart_required_for", .array(change.restartOnly.map { .string($0) })),
        ]
    }

    /// Closes `generation`'s clients (and its fast path's connections) once every request it
    /// could have started has passed its deadline; or at shutdown, whichever comes first.
    private func retire(_ generation: GatewayGeneration, fastPath: FastPath?) -> Task<Void, Never> {
        let wait = generation.longestDeadline + .seconds(1)
        return Task { [clock, self] in
            try? await clock.sleep(for: wait)
            fastPath?.shutdown()
            await generation.pool.shutdown()
            _ = reloading.withLock { $0.closers.removeValue(forKey: generation.number) }
        }
    }

    /// Reloads on each `SIGHUP` until cancelled.
    func reloadOnHangUp() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals {
            reload(reason: "SIGHUP")
        }
    }

    /// Closes every backend client, the retired generations' too; once the server has stopped.
    func shutDownClients() async {
        let closers = reloading.withLock { $0.closers.values }
        for closer in closers {
            closer.cancel()
            await closer.value
        }
        fastPaths.current?.shutdown()
        await pool.shutdown()
    }
}
