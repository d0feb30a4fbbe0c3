import Foundation
import SynapseFuzz
import Testing

/// The fuzz generator is reproducible from `(seed, index)` alone (the supervisor regenerates a
/// crashing input that way), and every parser target takes its seeds and mutations in-process.
@Suite struct FuzzInputTests {
    static let input = FuzzInput(seeds: [Array("status=503".utf8), Array("latency=1".utf8)], dictionary: [Array("=".utf8)], maximumSize: 64)

    @Test func anInputIsAFunctionOfSeedAndIndexAlone() {
        let forwards = (0..<500).map { Self.input.input(index: $0, seed: 7) }
        let backwards = (0..<500).reversed().map { Self.input.input(index: $0, seed: 7) }.reversed()
        #expect(forwards == Array(backwards))
        #expect(forwards != (0..<500).map { Self.input.input(index: $0, seed: 8) })
    }

    @Test func inputsStayWithinTheMaximumSizeAndVary() {
        let inputs = (0..<2_000).map { Self.input.input(index: $0, seed: 1) }
        #expect(inputs.allSatisfy { $0.count <= 64 })
        #expect(Set(inputs).count > 1_000)
        // Every 16th input or so is a seed unchanged, so the valid paths run too.
        #expect(inputs.filter { $0 == Array("status=503".utf8) || $0 == Array("latency=1".utf8) }.count > 30)
    }

    @Test func everyParserTargetTakesItsSeedsAndMutations() async throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/fuzz").standardized.path
        for target in FuzzTargets.all where target.name != "http" {
            let input = FuzzRun.input(for: target, seedsDirectory: seeds)
            #expect(input.seeds.count > target.builtInSeeds.count, "\(target.name) has seed files")
            try await target.withSession { session in
                for index in 0..<300 { await session.execute(input.input(index: index, seed: 3)) }
            }
        }
    }
}
