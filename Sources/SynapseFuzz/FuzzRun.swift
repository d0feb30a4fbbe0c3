import Foundation

/// What `synapse fuzz` does, as library code: load seeds, then either be a worker for one
/// target or supervise workers for each chosen target and collect their reports.
public enum FuzzRun {
    /// Seeds for `target`: every file in `<seedsDirectory>/<target>/`, plus the built-in ones.
    public static func input(for target: any FuzzTarget, seedsDirectory: String) -> FuzzInput {
        let folder = seedsDirectory + "/" + target.name
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let files = names.compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map { Array($0) } }
        return FuzzInput(seeds: files + target.builtInSeeds, dictionary: target.dictionary, maximumSize: target.maximumInputSize)
    }

    /// Resolves target names (`all` or empty means every target).
    public static func targets(named names: [String]) throws -> [any FuzzTarget] {
        if names.isEmpty || names == ["all"] { return FuzzTargets.all }
        return try names.map { name in
            guard let target = FuzzTargets.named(name) else { throw FuzzError.unknownTarget(name) }
            return target
        }
    }
}
