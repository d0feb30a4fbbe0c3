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

/// The gateway's own reading of request heads (`WireRequestHead`) agrees with NIO's on heads
/// chosen to sit at the edges of what it reads (the `wire-request` fuzz target tries generated
/// ones); each case is one the fuzzer once found, or its neighbour.
@Suite struct WireRequestOracleTests {
    @Test(arguments: [
        "POST /v1/embeddings HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"input\":\"a\"}",
        "GET /health HTTP/1.1\r\nhost: a\r\nHOST: b\r\nX-Empty:\r\nCookie: a=1; b=2\r\nX-Tab:\t v \t\r\n\r\n",
        "PoST /v1/embeddings HTTP/1.1\r\nContent-Length: 2\r\n\r\nab",
        "POST /v1/embeddings HTTP/1.1\r\nContent-Length: 1\t\r\n\r\na",
        "POST /v1/embeddings HTTP/1.1\r\nContent-Length: 0002\r\n\r\nab",
        "POST /v1/embeddings HTTP/1.1\r\nContent-Length:    5\r\n\r\nab",
        "GE-infT /health HTTP/1.1\r\nhost: a\r\n\r\n",
        "GET health HTTP/1.1\r\n\r\n",
        "POST http://x/yings HTTP/1.1\r\n\r\n",
        "OPTIONS /v1/embeddings?x=%20&y HTTP/1.1\r\nX-A: ~!#$%&'*+-.^_`|\r\n\r\n",
        "DELETE /voices/a HTTP/1.1\r\n!#$%&'*+-.^_`|~09AZaz: v\r\n\r\n",
    ])
    func bothReadersAgree(head: String) {
        #expect(WireRequestOracle.difference(Array(head.utf8)) == nil)
    }
}
