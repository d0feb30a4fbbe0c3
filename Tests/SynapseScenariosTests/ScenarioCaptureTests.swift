import InProcessMocks
import SynapseScenarios
import Testing

/// `capture:` and `${name}`: checked while parsing, substituted while running.
@Suite struct ScenarioCaptureTests {
    func issues(_ yaml: String) -> [ScenarioIssue] {
        do {
            _ = try ScenarioParser.parse(yaml: yaml, file: "vars.yaml")
            return []
        } catch {
            if case .invalidFile(let issues) = error { return issues }
            return []
        }
    }

    @Test func aVariableNobodyCapturedIsReportedAtItsLine() {
        let found = issues(
            """
            version: 1
            name: unknown variable
            mocks: [chatterbox-tts]
            steps:
              - request: {path: /voices}
                capture: {first: json.0.voice_id}
              - request:
                  path: "/voices/${frist}"
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 8)
        #expect(found.first?.keyPath == "steps[1].request.path")
        #expect(found.first?.message == "unknown variable 'frist' (captured so far: first)")
    }

    @Test func aRequestCannotUseWhatItCapturesButItsExpectationsCan() {
        let found = issues(
            """
            version: 1
            name: own capture
            mocks: [chatterbox-tts]
            steps:
              - request: {path: "/voices/${id}"}
                capture: {id: json.voice_id}
                expect: {json: {voice_id: "${id}"}}
            """)
        #expect(found.map(\.line) == [5])
        #expect(found.first?.keyPath == "steps[0].request.path")
    }

    @Test func badCapturesAndMalformedReferencesAreErrors() {
        let found = issues(
            """
            version: 1
            name: bad
            mocks: [chatterbox-tts]
            steps:
              - request: {path: /voices}
                capture: {id: body.voice_id, 2nd: status}
              - request: {path: "/voices/${id"}
              - expect: {json: {voice_id: "${id:zero}"}}
              - wait: 1s
                capture: {x: status}
            """)
        #expect(found.map(\.line) == [6, 6, 7, 8, 10])
        #expect(
            found.map(\.keyPath) == [
                "steps[0].capture.id", "steps[0].capture.2nd", "steps[1].request.path",
                "steps[2].expect.json.voice_id", "steps[3].capture",
            ])
        #expect(found.first?.message.contains("unknown capture source 'body.voice_id'") == true)
    }

    @Test func capturesAreReadFromTheStep() throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: ok
                mocks: [chatterbox-tts]
                steps:
                  - request:
                      path: /voices
                      multipart: [{name: files, speech: {text: hello there}}]
                    capture: {id: json.voice_id, ref: sent.files.sha256, code: status, where: header.Location, all: sent.sha256}
                  - request: {method: DELETE, path: "/voices/${id}"}
                    expect: {json: {voice_id: "${id}", note: "${ref:12}-${code}-${where}-${all}"}}
                """, file: "ok.yaml")
        guard case .request(let spec) = scenario.steps[0].action else {
            Issue.record("not a request")
            return
        }
        #expect(spec.captures.map(\.name) == ["id", "ref", "code", "where", "all"])
        #expect(spec.captures.map(\.source) == [.json("voice_id"), .sentPartSHA256("files"), .status, .header("Location"), .sentBodySHA256])
    }
}

/// Captured values at run time, through a real gateway and mock.
@Suite struct ScenarioCaptureRunTests {
    @Test func aCapturedValueIsSubstitutedIntoBodiesAndExpectations() async throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: capture and reuse
                mocks: [llama-embed]
                steps:
                  - request: {path: /v1/embeddings, json: {input: first, model: nomic}}
                    capture: {model: json.model, code: status}
                    expect: {status: 200}
                  - request: {path: /v1/embeddings, json: {input: "seen ${model} ${code}", model: "${model}"}}
                    expect: {status: 200, json: {model: "${model}"}}
                  - expect:
                      journal:
                        llama-embed: {last: {json.input: {prefix: "seen ${model:3}ic 2"}, json.model: "${model}"}}
                """, file: "capture.yaml")
        let report = await ScenarioRunner(mocks: InProcessMockSets()).run([scenario])
        #expect(report.passed, "\(report.consoleText(verbose: true))")
        #expect(report.scenarios.first?.steps.count == 3)
    }

    @Test func aValueThatIsNotInTheResponseFailsTheStepAndWhatUsesIt() async throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: missing capture
                mocks: [llama-embed]
                steps:
                  - request: {path: /v1/embeddings, json: {input: a, model: m}}
                    capture: {id: json.voice_id}
                  - request: {path: "/v1/embeddings?id=${id}", json: {input: b, model: m}}
                """, file: "missing.yaml")
        let report = await ScenarioRunner(mocks: InProcessMockSets()).run([scenario])
        let steps = try #require(report.scenarios.first?.steps)
        #expect(!report.passed)
        #expect(steps.first?.error == "capture id: json.voice_id is absent (status 200)")
        #expect(steps.last?.error?.contains("variable 'id' has no value") == true)
    }
}
