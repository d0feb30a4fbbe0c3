import Foundation
import NIOPosix
import SynapseCore
import Synchronization

/// The voice library on disk: list, look up, publish, extend and delete voices, each change
/// atomic and durable.
///
/// ```
/// ROOT/.tmp-TOKEN-UUID/references/ref_001.wav …   upload being received (VoiceUpload streams into it)
/// ROOT/.tmp-TOKEN-UUID/metadata.json               written last, then the folder is renamed:
/// ROOT/VOICE_ID/…                                  published: visible to readers from this instant
/// ROOT/.trash-TOKEN-UUID/                          a deleted voice, renamed away before removal
/// ```
/// A kill at any moment leaves either no voice or a whole one; `prepare()` (run at start-up)
/// removes this process's `.tmp-*` and `.trash-*` leftovers (and other processes' once stale:
/// see `VoiceLibrary+Sharing.swift`) and migrates legacy `reference.wav` voices.
/// The synchronous methods block on file I/O; the async ones run them on `NIOThreadPool`.
public final class VoiceLibrary: Sendable {
    /// The library folder (`gateway.voiceLibraryDir`).
    public let root: String
    /// This process's token in temporary names (`processToken(instanceID:)`).
    public let instance: String
    let now: @Sendable () -> Date
    /// One lock per voice, so reference numbering and deletion of one voice are serialized
    /// while different voices proceed in parallel.
    /// Per-voice locks, each kept only while someone holds or waits for it (counted in `users`),
    /// so the map never outgrows the voices being worked on at the moment.
    private let locks = Mutex<[VoiceID: (lock: VoiceLock, users: Int)]>([:])

    static let stagingPrefix = ".tmp-"
    static let trashPrefix = ".trash-"

    /// - Parameters:
    ///   - instance: this process's token in temporary names; processes sharing the folder
    ///     need different ones. Default `processToken(instanceID: "synapse-gateway")`.
    ///   - now: the clock stamped into `created_at` and used to age leftovers; tests pass a fixed one.
    public init(
        root: String, instance: String = VoiceLibrary.processToken(instanceID: "synapse-gateway"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.instance = instance
        self.now = now
    }

    // MARK: Start-up

    /// Creates the root if needed, removes what interrupted uploads and deletions left behind
    /// (this process's, and other processes' once stale), and migrates legacy voices. Returns
    /// the number of leftovers removed.
    @discardableResult
    public func prepare() throws -> Int {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var removed = 0
        for name in DurableStorage.names(in: root) {
            if name.hasPrefix(Self.stagingPrefix) || name.hasPrefix(Self.trashPrefix) {
                guard isRemovableLeftover(name) else { continue }
                DurableStorage.remove(path(name))
                removed += 1
            } else if let id = VoiceID(name) {
                let folder = path(id.rawValue)
                if !hasValidMetadata(folder) {
                    // Half gone (or never whole): not listed; removed only once nobody touches it.
                    if isStale(folder), (try? discard(folder)) != nil { removed += 1 }
                    continue
                }
                try? migrateLegacyReference(in: folder)
            }
        }
        if removed > 0 { try DurableStorage.syncDirectory(root) }
        return removed
    }

    // MARK: Reading

    /// Every voice, oldest first.
    public func voices() -> [VoiceRecord] {
        DurableStorage.names(in: root).compactMap { VoiceID($0).flatMap(voice) }.sorted(by: VoiceRecord.oldestFirst)
    }

    /// One voice; nil when absent, when its metadata cannot be read, or when it is deleted (or
    /// replaced) while being read: a record is always one whole voice.
    public func voice(_ id: VoiceID) -> VoiceRecord? {
        let folder = path(id.rawValue)
        guard let identity = Self.identity(folder),
            let data = FileManager.default.contents(atPath: folder + "/metadata.json"),
            let metadata = try? JSONValue.parse(data), metadata.objectValue != nil
        else { return nil }
        try? migrateLegacyReference(in: folder)
        let name = metadata["name"]?.stringValue ?? ""
        let createdAt = metadata["created_at"]?.stringValue ?? ""
        let references = referenceNames(in: folder)
        // Another process may have renamed the folder away meanwhile: then what was read may mix
        // two states (or miss the references), so the voice counts as absent.
        guard Self.identity(folder) == identity else { return nil }
        return VoiceRecord(voiceID: id, name: name, createdAt: createdAt, references: references)
    }

    /// Absolute paths of a voice's references, in name order.
    public func referencePaths(_ id: VoiceID) -> [String] {
        let folder = path(id.rawValue) + "/references"
        return referenceNames(in: path(id.rawValue)).map { folder + "/" + $0 }
    }

    // MARK: Changing

    /// A fresh staging folder (`ROOT/.tmp-TOKEN-UUID/references/`) for an upload to stream into.
    func makeStaging() throws -> String {
        let staging = path(temporaryName(Self.stagingPrefix))
        try DurableStorage.makeDirectory(staging)
        try DurableStorage.makeDirectory(staging + "/references")
        return staging
    }

    /// Publishes a staged upload as a new voice: metadata written and synced, the folder synced,
    /// renamed into place under a fresh id, and the root synced. With `requested`, under that id,
    /// failing when a voice holds it (the rename never replaces a voice, even one another
    /// process published an instant before).
    func publish(staging: String, name: String, totalDuration: Double, as requested: VoiceID? = nil) throws -> VoiceRecord {
        var id = requested ?? VoiceID.generate()
        while requested == nil && DurableStorage.exists(path(id.rawValue)) { id = VoiceID.generate() }
        let createdAt = VoiceRecord.timestamp(now())
        let metadata = JSONValue.object([
            ("voice_id", .string(id.rawValue)), ("name", .string(name)), ("created_at", .string(createdAt)),
            ("duration_seconds", .double((totalDuration * 1000).rounded() / 1000)),
        ])
        try DurableStorage.writeNewFile(staging + "/metadata.json", bytes: Array(metadata.text(.indented(2)).utf8))
        try DurableStorage.syncDirectory(staging + "/references")
        try DurableStorage.syncDirectory(staging)
        // Listed before the rename: from then on another process may already be deleting it.
        let references = referenceNames(in: staging)
        // Never replaces a published voice: rename refuses a non-empty target (ENOTEMPTY/EEXIST).
        try DurableStorage.move(staging, to: path(id.rawValue))
        try DurableStorage.syncDirectory(root)
        return VoiceRecord(voiceID: id, name: name, createdAt: createdAt, references: references)
    }

    /// Moves staged reference files into a voice under the next free numbers. Nil when the voice
    /// does not exist. Each file appears whole (a hard link to an already-synced file), and a
    /// name that is taken is never replaced.
    func addReferences(_ id: VoiceID, staged files: [String]) throws -> VoiceRecord? {
        do {
            return try withLock(id) {
                let folder = path(id.rawValue)
                guard DurableStorage.exists(folder + "/metadata.json") else { return nil }
                try migrateLegacyReference(in: folder)
                let references = folder + "/references"
                try DurableStorage.makeDirectory(references, existingIsFine: true)
                var number = (referenceNames(in: folder).compactMap(Self.referenceNumber).max() ?? 0) + 1
                for file in files {
                    while true {
                        do {
                            try DurableStorage.linkNoReplace(file, to: references + "/" + Self.referenceName(number))
                            number += 1
                            break
                        } catch let error as StorageError where error.code == EEXIST {
                            number += 1
                        }
                    }
                }
                try DurableStorage.syncDirectory(references)
                return voice(id)
            }
        } catch let error as StorageError where error.code == ENOENT && !DurableStorage.exists(path(id.rawValue)) {
            return nil  // deleted meanwhile by another process: as if it had never been there
        }
    }

    /// Deletes a voice: renamed out of sight atomically, then removed. False when absent.
    func delete(_ id: VoiceID) throws -> Bool {
        try withLock(id) {
            let folder = path(id.rawValue)
            guard DurableStorage.isDirectory(folder) else { return false }
            let trash = path(temporaryName(Self.trashPrefix))
            do { try DurableStorage.move(folder, to: trash) } catch let error as StorageError where error.code == ENOENT {
                return false  // another process deleted it first
            }
            try DurableStorage.syncDirectory(root)
            DurableStorage.remove(trash)
            return true
        }
    }

    // MARK: Async façade

    /// Runs blocking library work on NIO's thread pool, off the cooperative pool.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    // MARK: Helpers

    func path(_ name: String) -> String { root + "/" + name }

    static func referenceName(_ number: Int) -> String { String(format: "ref_%03d.wav", number) }

    static func referenceNumber(_ name: String) -> Int? {
        guard name.hasPrefix("ref_"), name.lowercased().hasSuffix(".wav") else { return nil }
        return Int(name.dropFirst(4).dropLast(4))
    }

    /// `.wav` files directly in `VOICE/references`, hidden ones excluded, sorted.
    private func referenceNames(in folder: String) -> [String] {
        DurableStorage.names(in: folder + "/references")
            .filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".wav") }
            .sorted()
    }

    private func withLock<T>(_ id: VoiceID, _ body: () throws -> T) throws -> T {
        let lock = locks.withLock { locks in
            let entry = locks[id] ?? (lock: VoiceLock(), users: 0)
            locks[id] = (entry.lock, entry.users + 1)
            return entry.lock
        }
        defer {
            locks.withLock { locks in
                guard let entry = locks[id] else { return }
                locks[id] = entry.users > 1 ? (entry.lock, entry.users - 1) : nil
            }
        }
        return try lock.mutex.withLock { _ in try body() }
    }

    /// Voices whose lock is currently held or awaited (for tests: zero when the library is idle).
    var lockedVoiceCount: Int { locks.withLock { $0.count } }
}

/// A per-voice lock; held only around short synchronous file operations on the thread pool.
private final class VoiceLock: Sendable {
    let mutex = Mutex(())
}
