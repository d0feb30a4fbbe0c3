import SynapseLoadReport
import Testing

@Suite struct ThresholdTests {
    // MARK: Parsing

    @Test(
        arguments: [
            ("p99<500ms", nil, Threshold.Metric.latency(.percentile(99)), Threshold.Comparison.less, 500_000.0),
            ("p99.9 <= 2s", nil, .latency(.percentile(99.9)), .lessOrEqual, 2_000_000),
            ("max<1m", nil, .latency(.max), .less, 60_000_000),
            ("mean<250us", nil, .latency(.mean), .less, 250),
            ("latency.p90<1.5s", nil, .latency(.percentile(90)), .less, 1_500_000),
            ("ttft.p95<800ms", nil, .timing(.ttft, .percentile(95)), .less, 800_000),
            ("itl.p99<50ms", nil, .timing(.itl, .percentile(99)), .less, 50_000),
            ("ttfb.p50<100ms", nil, .timing(.ttfb, .percentile(50)), .less, 100_000),
            ("ttfa.max<3s", nil, .timing(.ttfa, .max), .less, 3_000_000),
            ("rtf.p50<0.5", nil, .timing(.rtf, .percentile(50)), .less, 0.5),
            ("ttfs.p90<1s", nil, .timing(.ttfs, .percentile(90)), .less, 1_000_000),
            ("overhead.p99<5ms", nil, .timing(.overhead, .percentile(99)), .less, 5_000),
            ("errors<1%", nil, .errorRate, .less, 0.01),
            ("errors<=0.05", nil, .errorRate, .lessOrEqual, 0.05),
            ("rps>100", nil, .throughput, .greater, 100),
            ("throughput>=20", nil, .throughput, .greaterOrEqual, 20),
            ("requests>=1000", nil, .requests, .greaterOrEqual, 1_000),
            ("/v1/chat/completions:p99<2s", "/v1/chat/completions", .latency(.percentile(99)), .less, 2_000_000),
            ("POST /v1/chat/completions:ttft.p95<800ms", "POST /v1/chat/completions", .timing(.ttft, .percentile(95)), .less, 800_000),
        ] as [(String, String?, Threshold.Metric, Threshold.Comparison, Double)])
    func goodThresholdsParse(text: String, scope: String?, metric: Threshold.Metric, comparison: Threshold.Comparison, limit: Double) throws {
        let threshold = try Threshold.parse(text)
        #expect(threshold.source == text)
        #expect(threshold.scope == scope)
        #expect(threshold.metric == metric)
        #expect(threshold.comparison == comparison)
        #expect(abs(threshold.limit - limit) < 1e-9)
    }

    @Test(arguments: [
        ("", "empty threshold"),
        ("p99", "p99: no comparison; use <, <=, > or >="),
        ("<500ms", "no metric before <"),
        ("p99<", "no limit after the comparison"),
        ("ttft.p95<800xs", "ttft.p95<800xs: unknown unit xs; use us, ms, s or m"),
        ("p99<500", "500 needs a unit (500ms)"),
        ("p99<fast", "fast is not a number"),
        ("p99<-5ms", "cannot be negative"),
        ("p99<5%", "unknown unit %"),
        ("latencyy<5ms", "unknown metric latencyy"),
        ("foo.p99<5ms", "unknown metric foo"),
        ("ttft<800ms", "ttft needs a statistic (ttft.p95)"),
        ("ttft.p101<800ms", "unknown statistic p101"),
        ("ttft.median2<1s", "unknown statistic median2"),
        ("errors<5ms", "errors is a rate"),
        ("errors<5", "a bare error rate is a fraction 0…1; write 5% for a percentage"),
        ("errors<120%", "more than 100%"),
        ("rps>100ms", "rps takes a bare number"),
        ("rtf.p50<1s", "rtf.p50 takes a bare number (rtf.p50<1), not s"),
        (":p99<1s", "nothing before ':'"),
    ])
    func badThresholdsSayWhatIsWrong(text: String, message: String) {
        #expect {
            try Threshold.parse(text)
        } throws: { error in
            (error as? ThresholdError)?.description.contains(message) == true
        }
    }

    @Test func rtfTakesABareNumber() throws {
        #expect(throws: ThresholdError.self) { try Threshold.parse("rtf.p50<1ms") }
        #expect(try Threshold.parse("rtf.p99<1").limit == 1)
    }

    // MARK: Evaluation

    @Test func latencyThresholdsPassAndFailWithTheActualValue() throws {
        let statistics = Samples.statistics((1...1_000).map { Samples.ok(micros: Int64($0) * 1_000) })
        let pass = try Threshold.parse("p99<1s").evaluate(statistics, elapsed: .seconds(10))
        #expect(pass.verdict == .passed)
        #expect(abs(pass.actual! - 990_000) < 1_000)
        let fail = try Threshold.parse("p50<100ms").evaluate(statistics, elapsed: .seconds(10))
        #expect(fail.verdict == .failed)
        #expect(fail.summary.hasPrefix("p50<100ms: 500 ms, limit < 100 ms"))
    }

    @Test func rateThresholdsUseRequestsErrorsAndElapsedTime() throws {
        let statistics = Samples.statistics(
            (0..<98).map { _ in Samples.ok(micros: 10) } + [Samples.failed(.refused), Samples.ok(micros: 10, status: 502)])
        let errors = try Threshold.parse("errors<1%").evaluate(statistics, elapsed: .seconds(10))
        #expect(errors.verdict == .failed)
        #expect(errors.actual == 0.02)
        #expect(try Threshold.parse("errors<=2%").evaluate(statistics, elapsed: .seconds(10)).passed)
        let rate = try Threshold.parse("rps>=10").evaluate(statistics, elapsed: .seconds(10))
        #expect(rate.passed && rate.actual == 10)
        #expect(try !Threshold.parse("rps>10").evaluate(statistics, elapsed: .seconds(10)).passed)
        #expect(try Threshold.parse("requests>=100").evaluate(statistics, elapsed: .seconds(10)).passed)
    }

    @Test func aThresholdWithNoDataFailsWithItsReason() throws {
        let statistics = Samples.statistics([Samples.ok(micros: 10)])
        let outcome = try Threshold.parse("ttft.p95<800ms").evaluate(statistics, elapsed: .seconds(1))
        #expect(outcome.verdict == .noData("no chat event streams were replayed"))
        #expect(!outcome.passed)
        #expect(outcome.actual == nil)
        #expect(try Threshold.parse("rtf.p50<1").evaluate(statistics, elapsed: .seconds(1)).verdict == .noData("no audio (TTS) responses were replayed"))
        #expect(try !Threshold.parse("p99<1s").evaluate(LoadStatistics(), elapsed: .seconds(1)).passed)
        #expect(try !Threshold.parse("errors<1%").evaluate(LoadStatistics(), elapsed: .seconds(1)).passed)
        let unknownRoute = try Threshold.parse("/v1/nothing:p99<1s").evaluate(statistics, elapsed: .seconds(1))
        #expect(unknownRoute.verdict == .noData("no replayed route matches /v1/nothing"))
    }

    @Test func streamingThresholdsReadTheirTimings() throws {
        let statistics = Samples.statistics([
            Samples.chat(firstToken: .milliseconds(700), gaps: [.milliseconds(40)]), Samples.speech(latency: .seconds(2), audioSeconds: 4),
        ])
        #expect(try Threshold.parse("ttft.p95<800ms").evaluate(statistics, elapsed: .seconds(1)).passed)
        #expect(try !Threshold.parse("itl.max<30ms").evaluate(statistics, elapsed: .seconds(1)).passed)
        let rtf = try Threshold.parse("rtf.p99<0.6").evaluate(statistics, elapsed: .seconds(1))
        #expect(rtf.passed)
        #expect(abs(rtf.actual! - 0.5) < 0.001)
    }

    @Test func aRouteScopeMatchesTheLabelThePathOrAPathPrefix() throws {
        let statistics = Samples.statistics([
            Samples.ok("POST /v1/chat/completions", micros: 3_000_000), Samples.ok("GET /v1/chat/completions", micros: 1_000),
            Samples.ok("GET /health", micros: 10),
        ])
        let byPath = try Threshold.parse("/v1/chat/completions:requests>=2").evaluate(statistics, elapsed: .seconds(1))
        #expect(byPath.passed)
        let byLabel = try Threshold.parse("GET /v1/chat/completions:p99<2s").evaluate(statistics, elapsed: .seconds(1))
        #expect(byLabel.passed)
        let post = try Threshold.parse("POST /v1/chat/completions:p99<2s").evaluate(statistics, elapsed: .seconds(1))
        #expect(post.verdict == .failed)
        #expect(try Threshold.parse("/v1/*:requests>=2").evaluate(statistics, elapsed: .seconds(1)).actual == 2)
        #expect(try Threshold.parse("p99<2s").evaluate(statistics, elapsed: .seconds(1)).actual! >= 2_000_000)
    }
}
