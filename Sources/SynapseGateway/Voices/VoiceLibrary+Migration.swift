import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The original gateway's first layout, `VOICE_ID/reference.wav`, moved to `references/ref_001.wav`.
extension VoiceLibrary {
    /// Migrates a legacy voice folder; safe to repeat and to interrupt at any step:
    ///
    /// | state found                                  | action                                  |
    /// |----------------------------------------------|-----------------------------------------|
    /// | no `reference.wav`                           | nothing                                 |
    /// | `reference.wav`, no reference files yet      | link as `ref_001.wav`, then unlink      |
    /// | `ref_001.wav` is the same inode (interrupted) | unlink `reference.wav`                  |
    /// | other references already present            | leave it (as the original did)          |
    func migrateLegacyReference(in folder: String) throws {
        let legacy = folder + "/reference.wav"
        guard DurableStorage.exists(legacy) else { return }
        let references = folder + "/references"
        let first = references + "/" + Self.referenceName(1)
        try DurableStorage.makeDirectory(references, existingIsFine: true)
        let existing = DurableStorage.names(in: references).filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".wav") }
        if existing.isEmpty {
            try DurableStorage.linkNoReplace(legacy, to: first)
            try DurableStorage.syncDirectory(references)
        } else if !DurableStorage.sameFile(legacy, first) {
            return
        }
        // Without hard links the file was renamed, and the legacy name is already gone.
        if DurableStorage.exists(legacy), unlink(legacy) != 0 { throw StorageError(operation: "unlink", path: legacy, code: errno) }
        try DurableStorage.syncDirectory(folder)
    }

}
