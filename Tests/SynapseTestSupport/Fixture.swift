import Foundation

/// Files under the repository's `Fixtures/` folder, found relative to this source file so tests
/// work from any working directory and need no bundle resources.
public enum Fixture {
    /// The `Fixtures/` folder.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SynapseTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// A file or folder below `Fixtures/`, e.g. `Fixture.url("config/backends.yaml")`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture file.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}
