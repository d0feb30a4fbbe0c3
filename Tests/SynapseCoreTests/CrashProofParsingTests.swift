import Foundation
import SynapseCore
import Testing

/// Inputs that used to end the process (a trap) or expand without bound; each must now be refused
/// with an ordinary error.
@Suite struct CrashProofParsingTests {
    /// Nine levels of nine aliases: about 4·10⁸ nodes once expanded, 1 kB on disk.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(refs)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: ["=", "=5", " = ", "status=503;=", "status=503; =2", "latency=nan", "latency=inf", "status=1e300", "latency=-inf;jitter_ms=nan"])
    func compactFaultFormsWithoutANameOrANumberAreRefused(text: String) {
        #expect(throws: (any Error).self) { try FaultSpec(compact: text) }
    }

    @Test func aBillionLaughsConfigurationIsRefusedWithAnIssue() {
        #expect(Self.billionLaughs.utf8.count < 1_200)
        let outcome = ConfigLoader().load(yaml: "version: 1\n" + Self.billionLaughs)
        #expect(outcome.config == nil)
        #expect(outcome.errors.map(\.message) == [YAMLExpansionBudget.message])
    }

    @Test func aliasesWithinTheBudgetStillLoad() {
        let yaml = """
            version: 1
            backends:
              one: &shared { url: "http://127.0.0.1:1", type: openai-compatible }
              two: *shared
            """
        let outcome = ConfigLoader().load(yaml: yaml)
        #expect(outcome.errors.isEmpty)
    }

    /// Found by `synapse fuzz --target config`: `Int64(1e300 * 1000)` trapped inside the loader.
    @Test(arguments: ["1e300s", "1e300ms", "1e17h", "infs", "nan"])
    func hugeDurationsAreRefusedNotATrap(text: String) {
        #expect(ConfigScalars.duration(text) == nil)
        let outcome = ConfigLoader().load(yaml: "version: 1\ngateway: { healthProbeTimeout: \(text) }\n")
        #expect(outcome.config == nil && !outcome.errors.isEmpty)
    }

    @Test(arguments: ["1e300KiB", "infMiB", "nanGB", "1e19B"])
    func hugeSizesAreRefusedNotATrap(text: String) {
        #expect(ConfigScalars.size(text) == nil)
    }

    @Test(arguments: [(0.0, 0), (1.4, 1), (-2.5, -3), (9.0e18, 9_000_000_000_000_000_000)])
    func finiteDoublesConvert(value: Double, expected: Int) {
        #expect(Int(finite: value) == expected)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18])
    func nonFiniteOrHugeDoublesDoNotConvert(value: Double) {
        #expect(Int(finite: value) == nil)
        #expect((0...10).contains(Int(clamping: value, to: 0...10)))
    }
}
