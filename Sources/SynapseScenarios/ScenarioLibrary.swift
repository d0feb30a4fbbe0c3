import Foundation

/// Finds and reads scenario files: folders are searched for `*.yaml` (sorted by name), files are
/// read as given; `filter` keeps scenarios whose name or file name contains it (case-insensitive).
public enum ScenarioLibrary {
    /// The scenario files under `paths`, in order, without duplicates.
    public static func files(in paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append(path)  // reported as unreadable by `load`
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// Reads every scenario under `paths`; throws `ScenarioError.invalidFile` with the problems of
    /// all files together.
    public static func load(paths: [String], filter: String? = nil) throws(ScenarioError) -> [Scenario] {
        var scenarios: [Scenario] = []
        var issues: [ScenarioIssue] = []
        for file in files(in: paths) {
            do {
                scenarios.append(try ScenarioParser.load(path: file))
            } catch {
                if case .invalidFile(let found) = error {
                    issues += found
                } else {
                    issues.append(ScenarioIssue(file: file, line: nil, keyPath: "", message: "\(error)"))
                }
            }
        }
        if !issues.isEmpty { throw .invalidFile(issues) }
        guard let filter, !filter.isEmpty else { return scenarios }
        let needle = filter.lowercased()
        return scenarios.filter { $0.name.lowercased().contains(needle) || ($0.file as NSString).lastPathComponent.lowercased().contains(needle) }
    }
}
