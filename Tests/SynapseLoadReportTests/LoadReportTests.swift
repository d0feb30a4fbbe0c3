import Foundation
import SynapseLoadReport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct LoadReportTests {
    /// A small run with a hostile route name, a chat stream, errors and three thresholds: one
    /// passes, one fails, one has no data.
    private func report(thresholds: [String] = ["p99<1s", "errors<1%", "ttfa.p95<800ms"]) throws -> LoadReport {
        var samples = (0..<200).map { Samples.ok("GET /v1/models", micros: Int64(1_000 + $0 * 10), at: $0 / 20, sent: 100, received: 2_000) }
        samples += (0..<20).map { Samples.ok("POST /<script>alert(\"x\")&'</script>", micros: 50_000, at: $0, status: $0 % 4 == 0 ? 503 : 200) }
        samples.append(Samples.chat(firstToken: .milliseconds(150), gaps: [.milliseconds(25), .milliseconds(30)]))
        samples.append(Samples.failed(.timeout, at: 3))
        return LoadReport(
            statistics: Samples.statistics(samples), elapsed: .seconds(10), thresholds: try thresholds.map { try Threshold.parse($0) },
            command: ["synapse", "load", "traffic.har", "--threshold", "p99<1s"], seed: 424_242)
    }

    @Test func failedThresholdsIncludeNoDataOnes() throws {
        let report = try report()
        #expect(report.failedThresholds.map(\.source) == ["errors<1%", "ttfa.p95<800ms"])
        #expect(try self.report(thresholds: ["p99<1s"]).failedThresholds.isEmpty)
    }

    @Test func textMarksEachThresholdAndNamesTheFailedOnes() throws {
        let text = try report().text()
        #expect(text.contains("✓ p99<1s: "))
        #expect(text.contains("✗ errors<1%: "))
        #expect(text.contains("✗ ttfa.p95<800ms: no data: no audio (TTS) responses were replayed"))
        #expect(text.contains("FAILED: errors<1%, ttfa.p95<800ms"))
        #expect(text.contains("GET /v1/models"))
        #expect(text.contains("503 ×5"))
        #expect(text.contains("timeout ×1"))
    }

    @Test func junitParsesWithOneTestcasePerThresholdAndAFailureForEachFailedOne() throws {
        let xml = try report().junit()
        let document = try XMLDocument(xmlString: xml, options: [])
        let suite = try #require(document.rootElement())
        #expect(suite.name == "testsuite")
        #expect(suite.attribute(forName: "name")?.stringValue == "synapse load")
        #expect(suite.attribute(forName: "tests")?.stringValue == "3")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")
        let cases = suite.elements(forName: "testcase")
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == ["p99<1s", "errors<1%", "ttfa.p95<800ms"])
        #expect(cases[0].elements(forName: "failure").isEmpty)
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue?.contains("limit < 1%") == true)
        #expect(cases[2].elements(forName: "failure").first?.stringValue?.contains("no data") == true)
        let command = suite.elements(forName: "properties").first?.elements(forName: "property").first {
            $0.attribute(forName: "name")?.stringValue == "command"
        }
        #expect(command?.attribute(forName: "value")?.stringValue == "synapse load traffic.har --threshold 'p99<1s'")
    }

    @Test func junitWithoutThresholdsIsAValidEmptySuite() throws {
        let document = try XMLDocument(xmlString: try report(thresholds: []).junit(), options: [])
        #expect(document.rootElement()?.attribute(forName: "tests")?.stringValue == "0")
        #expect(document.rootElement()?.elements(forName: "testcase").isEmpty == true)
    }

    @Test func htmlReferencesNothingOutsideItself() throws {
        let html = try report().html().lowercased()
        for forbidden in ["http://", "https://", "src=", "@import", "url(", "<script", "<link", "//fonts", "<iframe", "<img"] {
            #expect(!html.contains(forbidden), "the page contains \(forbidden)")
        }
        // The only href allowed would be a fragment; there are none.
        #expect(!html.contains("href="))
        #expect(html.contains("<svg"))
        #expect(html.contains("<style>"))
    }

    @Test func htmlEscapesRouteNamesAndShowsTheRun() throws {
        let html = try report().html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("POST /&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt;"))
        #expect(html.contains("424242"))
        #expect(html.contains("synapse load traffic.har --threshold &#39;p99&lt;1s&#39;"))
        #expect(html.contains("failed: 2 of 3 thresholds"))
        #expect(html.contains("no data: no audio (TTS) responses were replayed"))
    }

    @Test func htmlOfAnEmptyRunStillRenders() {
        let html = LoadReport(statistics: LoadStatistics(), elapsed: .zero, thresholds: [], command: [], seed: 0).html()
        #expect(html.contains("No requests were replayed."))
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test func jsonRoundTripsWithSortedKeysTheSeedAndTheCommand() throws {
        let json = try report().json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["seed"] as? String == "424242")
        #expect(object["command"] as? [String] == ["synapse", "load", "traffic.har", "--threshold", "p99<1s"])
        #expect(object["passed"] as? Bool == false)
        let overall = try #require(object["overall"] as? [String: Any])
        #expect(overall["requests"] as? Int == 222)
        #expect((overall["statuses"] as? [String: Int])?["503"] == 5)
        #expect((overall["failures"] as? [String: Int])?["timeout"] == 1)
        let ttft = try #require(overall["ttft_us"] as? [String: Any])
        #expect(ttft["count"] as? Int == 1)
        let latency = try #require(overall["latency_us"] as? [String: Any])
        #expect(Set(latency.keys).isSuperset(of: ["p50", "p90", "p99", "p99.9", "max", "mean"]))
        let routes = try #require(object["routes"] as? [String: Any])
        #expect(routes.keys.contains("GET /v1/models"))
        let thresholds = try #require(object["thresholds"] as? [[String: Any]])
        #expect(thresholds.map { $0["verdict"] as? String } == ["passed", "failed", "no_data"])
        let series = try #require(object["time_series"] as? [String: Any])
        #expect((series["requests"] as? [Int])?.reduce(0, +) == 222)

        // Sorted keys: the top-level keys appear in the text in order.
        let keys = ["command", "command_line", "elapsed_seconds", "histograms", "overall", "passed", "routes", "seed", "thresholds", "time_series"]
        let positions = keys.map { json.range(of: "\n  \"\($0)\":")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test func progressLineFitsOneHundredColumns() throws {
        let statistics = try report().statistics
        let line = ProgressLine().render(statistics, elapsed: .seconds(3_725), inFlight: 1_234_567)
        #expect(line.count <= 100)
        #expect(line.contains("222 req"))
        #expect(line.contains("in flight"))
        #expect(line.contains("p99 "))
        #expect(ProgressLine.frame("x") == "\rx\u{1B}[K")
    }
}
