import Foundation
import SynapseCore

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One library folder shared by several gateway processes (replicas on one volume).
///
/// Every temporary name carries the writing process's token, `INSTANCE.PID`:
///
/// ```
/// ROOT/.tmp-pod-a.1-UUID/      pod-a's upload in progress
/// ROOT/.trash-pod-b.1-UUID/    pod-b's deletion in progress
/// ```
/// | found at start-up                                  | action                          |
/// |----------------------------------------------------|---------------------------------|
/// | `.tmp-`/`.trash-` with this process's token        | removed (an earlier run of it)  |
/// | `.tmp-`/`.trash-` of another token, or none         | removed once untouched for 1 h  |
/// | voice folder without a readable `metadata.json`    | never listed; removed after 1 h |
///
/// "Untouched" is the newest modification time in the folder, its `references/` and their
/// files, so an upload still being written (or a slow client's) is never taken for a leftover.
/// The token is stable across restarts of one replica (a pod keeps its `$HOSTNAME`, and a
/// container's gateway is usually PID 1), so a replica sweeps its own leftovers at once.
extension VoiceLibrary {
    /// How long another process's leftover must lie untouched before anyone removes it. 1 hour.
    static let staleAfter: TimeInterval = 3600

    /// This process's token for temporary names: the instance id (characters other than
    /// letters, digits, `-` and `_` replaced by `_`, at most 64) and the process id.
    public static func processToken(instanceID: String) -> String {
        let safe = instanceID.unicodeScalars.prefix(64).map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "_"
        }
        return String(safe.isEmpty ? ["_"] : safe) + "." + String(getpid())
    }

    /// A new temporary name of this process: `PREFIX` + token + `-` + random.
    func temporaryName(_ prefix: String) -> String {
        prefix + instance + "-" + UUID().uuidString.lowercased()
    }

    /// Whether a staging or trash name was made by this process token. The token contains
    /// exactly one `.` and no `-` after it, so no other token's names share this prefix.
    func isOwn(_ name: String) -> Bool {
        name.hasPrefix(Self.stagingPrefix + instance + "-") || name.hasPrefix(Self.trashPrefix + instance + "-")
    }

    /// Whether a start-up sweep may remove this `.tmp-`/`.trash-` entry.
    func isRemovableLeftover(_ name: String) -> Bool {
        isOwn(name) || isStale(path(name))
    }

    /// Untouched (newest modification time, two levels deep) for at least `staleAfter`.
    func isStale(_ folder: String) -> Bool {
        guard let newest = Self.newestModification(folder, depth: 2) else { return false }
        return now().timeIntervalSince(newest) >= Self.staleAfter
    }

    /// Whether a voice folder holds a readable `metadata.json` (a JSON object).
    func hasValidMetadata(_ folder: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: folder + "/metadata.json") else { return false }
        return (try? JSONValue.parse(data))?.objectValue != nil
    }

    /// Removes a folder the way `delete` does: renamed out of sight first, so no reader ever sees
    /// it half removed. A folder already gone is fine.
    func discard(_ folder: String) throws {
        let trash = path(temporaryName(Self.trashPrefix))
        do { try DurableStorage.move(folder, to: trash) } catch let error as StorageError where error.code == ENOENT { return }
        try DurableStorage.syncDirectory(root)
        DurableStorage.remove(trash)
    }

    /// Newest modification time of `path` and, for a directory, of its entries down to `depth`
    /// levels. Nil when `path` is gone (another process removed it meanwhile).
    static func newestModification(_ path: String, depth: Int) -> Date? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            var newest = attributes[.modificationDate] as? Date
        else { return nil }
        if depth > 0, attributes[.type] as? FileAttributeType == .typeDirectory {
            for name in DurableStorage.names(in: path) {
                if let inner = newestModification(path + "/" + name, depth: depth - 1), inner > newest { newest = inner }
            }
        }
        return newest
    }

    /// The folder's identity (device, inode), to tell "the same folder" from "one renamed away
    /// and another published under the same name" while reading it.
    static func identity(_ path: String) -> [NSNumber]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let device = attributes[.systemNumber] as? NSNumber, let inode = attributes[.systemFileNumber] as? NSNumber
        else { return nil }
        return [device, inode]
    }
}
