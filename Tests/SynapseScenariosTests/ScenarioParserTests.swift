import SynapseScenarios
import Testing

/// Parsing errors name the file, the line and the key at fault.
@Suite struct ScenarioParserTests {
    func issues(_ yaml: String) -> [ScenarioIssue] {
        do {
            _ = try ScenarioParser.parse(yaml: yaml, file: "bad.yaml")
            return []
        } catch {
            if case .invalidFile(let issues) = error { return issues }
            return []
        }
    }

    @Test func anUnknownStepKeyIsReportedAtItsLine() {
        let found = issues(
            """
            version: 1
            name: typo
            steps:
              - request:
                  path: /health
                  cout: 3
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.keyPath == "steps[0].request.cout")
        #expect(found.first?.description.hasPrefix("bad.yaml:6: steps[0].request.cout: unknown key") == true)
    }

    /// A header name that is not one (outside ASCII it trapped in NIO's headers when the step
    /// ran) is reported at its line, for requests and for load steps.
    @Test func aHeaderNameThatIsNotOneIsReportedAtItsLine() {
        let found = issues(
            """
            version: 1
            name: headers
            steps:
              - request:
                  path: /health
                  headers:
                    X-Fine: "1"
                    Clé: "2"
              - load:
                  recording: r.har
                  rate: 1
                  duration: 1s
                  headers:
                    "X Team": a
            """)
        #expect(found.map(\.keyPath) == ["steps[0].request.headers.Clé", "steps[1].load.headers.X Team"])
        #expect(found.map(\.line) == [8, 14])
        #expect(found.allSatisfy { $0.description.contains("not a header name") })
    }

    @Test func requiresNamesCapabilitiesAndAnUnknownOneIsReportedAtItsLine() throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: virtual only
                requires: [virtualTime]
                steps:
                  - expect: {status: 200}
                """, file: "ok.yaml")
        #expect(scenario.requires == [.virtualTime])
        let found = issues(
            """
            version: 1
            name: typo
            requires: [virtualtime]
            steps:
              - expect: {status: 200}
            """)
        #expect(found.map(\.line) == [3])
        #expect(found.first?.description.contains("unknown capability 'virtualtime' (expected one of: virtualTime)") == true)
    }

    @Test func aBadFaultKindNamesTheFaultAndItsLine() {
        let found = issues(
            """
            version: 1
            name: bad fault
            mocks: [llama-embed]
            steps:
              - expect: {status: 200}
              - fault: {mock: llama-embed, kind: explode}
            """)
        #expect(found.map(\.line) == [6])
        #expect(found.first?.keyPath == "steps[1].fault")
        #expect(found.first?.message.contains("unknown fault kind") == true)
    }

    /// `mocks:` names are checked for their form only: which mocks exist is the mock set's to say
    /// when the scenario starts (`RemoteMockSetTests`), so the parser knows no catalogue.
    @Test func everyProblemIsReportedTogether() {
        let found = issues(
            """
            version: 2
            name: many
            mocks: [llama-embed, Nope!]
            steps:
              - wait: soon
              - request: {path: /x, count: many}
              - expect:
                  breaker: {llama-embed: ajar}
            """)
        #expect(found.map(\.line) == [1, 3, 5, 6, 8])
        #expect(found.map(\.keyPath) == ["version", "mocks[1]", "steps[0].wait", "steps[1].request.count", "steps[2].expect.breaker.llama-embed"])
    }

    @Test func aYAMLSyntaxErrorHasItsLine() {
        let found = issues("version: 1\nname: x\nsteps:\n  - request: {path: /health\n  - wait: 1s\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax error") == true)
        #expect(found.first?.line != nil)
    }

    @Test func aValidScenarioKeepsItsStepsAndLines() throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: ok
                seed: 9
                steps:
                  - request:
                      method: post
                      path: /v1/embeddings
                      json: {input: a, model: b}
                      count: 4
                      concurrency: 2
                  - wait: 30s
                """, file: "ok.yaml")
        #expect(scenario.seed == 9)
        #expect(scenario.steps.map(\.line) == [5, 11])
        guard case .request(let spec) = scenario.steps[0].action else {
            Issue.record("not a request")
            return
        }
        #expect(spec.method == "POST")
        #expect(spec.count == 4 && spec.concurrency == 2)
    }
}
