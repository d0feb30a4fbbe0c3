import Foundation
import Logging
import SynapseCore
import Synchronization

/// Per-model profile values, persisted in one JSON file in the original gateway's format:
///
/// ```
/// {"models": {"<id>": {"updated_at": "2026-…+00:00", "values": {…}}}, "version": 1}
/// ```
///
/// written as `json.dumps(indent=2, sort_keys=True, ensure_ascii=True)` writes it, to
/// `<path>.tmp`, fsynced, renamed over the file, and the directory fsynced.
///
/// Unlike the original (read once, cached forever) every access compares the file's inode,
/// size and mtime with what was last read and re-reads it when they differ, so replicas that
/// share a volume see each other's writes. A missing, unreadable or invalid file is empty.
/// Writes are read-modify-write under this store's lock only; two replicas patching the same
/// instant can still lose one update, as in the original.
public final class ModelProfileStore: Sendable {
    /// The store file.
    public let path: String
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let state = Mutex(State())

    private struct State: Sendable {
        /// The raw records by model id, as read (unknown record shapes are kept and rewritten).
        var models: [String: JSONValue] = [:]
        /// The file as last read or written; nil before the first access or when it was absent.
        var signature: ProfileFile.Signature?
        var loaded = false
    }

    /// - Parameters:
    ///   - path: the JSON file (config `models.profilesPath`; the original's default is
    ///     `/data/voices/model-profiles.json`). Its directory is created on first use.
    ///   - logger: receives a warning when the file cannot be read or parsed.
    ///   - now: the clock for `updated_at`.
    public init(path: String, logger: Logger = Logger(label: "synapse.model-profiles"), now: @escaping @Sendable () -> Date = Date.init) {
        self.path = path
        self.logger = logger
        self.now = now
    }

    /// The stored values of `id`, sorted by key; empty when it has none.
    public func profile(for id: String) -> [(String, JSONValue)] {
        state.withLock { state in
            refresh(&state)
            return Self.values(of: state.models[id])
        }
    }

    /// Replaces all values of `id` (nulls dropped); no values left deletes its record.
    /// Returns the stored values, sorted by key.
    @discardableResult
    public func set(_ id: String, values: [(String, JSONValue)]) throws(ProfileStoreError) -> [(String, JSONValue)] {
        let clean = ModelProfileSchema.pythonDict(values).filter { if case .null = $0.1 { false } else { true } }
        return try store(id, values: clean)
    }

    /// Merges `updates` into the values of `id`: a value sets its key, nil removes it; no values
    /// left deletes the record. Returns the resulting values, sorted by key.
    @discardableResult
    public func patch(_ id: String, updates: [(String, JSONValue?)]) throws(ProfileStoreError) -> [(String, JSONValue)] {
        try state.withLock { (state) throws(ProfileStoreError) -> [(String, JSONValue)] in
            refresh(&state)
            var merged = Self.values(of: state.models[id])
            for (key, value) in updates {
                merged.removeAll { $0.0 == key }
                if let value { merged.append((key, value)) }
            }
            return try write(id, values: merged, into: &state)
        }
    }

    private func store(_ id: String, values: [(String, JSONValue)]) throws(ProfileStoreError) -> [(String, JSONValue)] {
        try state.withLock { (state) throws(ProfileStoreError) -> [(String, JSONValue)] in
            refresh(&state)
            return try write(id, values: values, into: &state)
        }
    }

    /// Records `values` for `id` (or removes the record), writes the file, and only then
    /// commits the change in memory, so a failed write leaves both as they were.
    private func write(_ id: String, values: [(String, JSONValue)], into state: inout State) throws(ProfileStoreError) -> [(String, JSONValue)] {
        var models = state.models
        if values.isEmpty {
            models[id] = nil
        } else {
            models[id] = .obj(("updated_at", .string(ProfileFile.isoformat(now()))), ("values", .object(values)))
        }
        let signature = try ProfileFile.write(models: models, to: path)
        state.models = models
        state.signature = signature
        state.loaded = true
        return ProfileFile.sorted(values)
    }

    /// Re-reads the file when it is not what was last read or written.
    private func refresh(_ state: inout State) {
        if !state.loaded {
            // The original creates the directory on first access; a failure surfaces on write.
            try? FileManager.default.createDirectory(atPath: ProfileFile.directory(of: path), withIntermediateDirectories: true)
        }
        let current = ProfileFile.signature(of: path)
        if state.loaded && current == state.signature { return }
        state.models = current == nil ? [:] : ProfileFile.read(path, logger: logger)
        state.signature = current
        state.loaded = true
    }

    /// The `values` object of a record, one member per key, sorted; empty for any other shape.
    private static func values(of record: JSONValue?) -> [(String, JSONValue)] {
        guard case .object(let values)? = record?["values"] else { return [] }
        return ProfileFile.sorted(ModelProfileSchema.pythonDict(values))
    }
}

/// The profile file could not be written (the original answers 500).
public struct ProfileStoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "Cannot write model profiles to \(path): \(message)" }
}
