import SynapseLoadReport
import Testing

@Suite struct LoadStatisticsTests {
    @Test func uniformLatenciesGivePercentilesWithinHistogramPrecision() {
        let statistics = Samples.statistics((1...10_000).map { Samples.ok(micros: Int64($0)) })
        let latency = statistics.overall.latency
        #expect(latency.count == 10_000)
        // Three significant digits: each value is within 0.1% (plus the bucket's rounding up).
        let p50 = Double(latency.micros(atPercentile: 50)!)
        let p90 = Double(latency.micros(atPercentile: 90)!)
        let p99 = Double(latency.micros(atPercentile: 99)!)
        let p999 = Double(latency.micros(atPercentile: 99.9)!)
        #expect(abs(p50 - 5_000) <= 5)
        #expect(abs(p90 - 9_000) <= 9)
        #expect(abs(p99 - 9_900) <= 10)
        #expect(abs(p999 - 9_990) <= 10)
        #expect(latency.maxMicros == 10_000)
        #expect(abs(latency.meanMicros! - 5_000.5) < 5)
    }

    @Test func mergingWorkersEqualsRecordingIntoOne() {
        let samples = (0..<3_000).map { index in
            index % 7 == 0
                ? Samples.failed(.reset, route: index % 2 == 0 ? "GET /a" : "POST /b", at: index / 100)
                : Samples.ok(index % 3 == 0 ? "GET /a" : "POST /b", micros: Int64(index * 37 % 50_000 + 1), at: index / 100, sent: 10, received: 100)
        }
        let whole = Samples.statistics(samples)
        var merged = LoadStatistics()
        for worker in 0..<4 {
            merged.merge(Samples.statistics(samples.enumerated().filter { $0.offset % 4 == worker }.map(\.element)))
        }
        #expect(merged.requests == whole.requests)
        #expect(merged.errors == whole.errors)
        #expect(merged.routeLabels == whole.routeLabels)
        #expect(merged.timeSeries == whole.timeSeries)
        for label in whole.routeLabels {
            let a = whole.routes[label]!
            let b = merged.routes[label]!
            #expect(a.statuses == b.statuses)
            #expect(a.failures == b.failures)
            #expect(a.bytesReceived == b.bytesReceived)
            for statistic in Statistic.reported + [.percentile(95)] {
                #expect(a.latency.value(of: statistic) == b.latency.value(of: statistic))
                #expect(a.firstByte.value(of: statistic) == b.firstByte.value(of: statistic))
            }
        }
    }

    @Test func routesAreKeptApartAndOverallIsTheirSum() {
        let statistics = Samples.statistics(
            (0..<100).map { _ in Samples.ok("GET /fast", micros: 1_000) } + (0..<50).map { _ in Samples.ok("POST /slow", micros: 900_000) })
        #expect(statistics.routeLabels == ["GET /fast", "POST /slow"])
        #expect(statistics.routes["GET /fast"]!.requests == 100)
        #expect(statistics.routes["GET /fast"]!.latency.maxMicros == 1_000)
        #expect(statistics.routes["POST /slow"]!.latency.micros(atPercentile: 50)! >= 899_000)
        #expect(statistics.overall.requests == 150)
        #expect(statistics.overall.latency.maxMicros == 900_000)
    }

    @Test func errorsAreClassifiedByStatusAndByKind() {
        let statistics = Samples.statistics([
            Samples.ok(micros: 10, status: 200), Samples.ok(micros: 10, status: 404), Samples.ok(micros: 10, status: 422),
            Samples.ok(micros: 10, status: 500), Samples.ok(micros: 10, status: 503), Samples.ok(micros: 10, status: 503),
            Samples.failed(.refused), Samples.failed(.reset), Samples.failed(.timeout), Samples.failed(.timeout), Samples.failed(.other),
        ])
        let overall = statistics.overall
        #expect(overall.requests == 11)
        // 4xx count by status but are not errors; 5xx and every failure are.
        #expect(overall.errors == 8)
        #expect(overall.statuses == [200: 1, 404: 1, 422: 1, 500: 1, 503: 2])
        #expect(overall.failures == [.refused: 1, .reset: 1, .timeout: 2, .other: 1])
        #expect(overall.errorRate == 8.0 / 11.0)
    }

    @Test func streamingTimingsLandInTheirOwnHistograms() {
        let statistics = Samples.statistics([
            Samples.chat(firstToken: .milliseconds(120), gaps: [.milliseconds(20), .milliseconds(30)]),
            Samples.speech(latency: .milliseconds(2_500), audioSeconds: 10),
            RequestSample(
                route: "POST /v1/audio/transcriptions", scheduledAt: .zero, latency: .seconds(2), outcome: .status(200),
                stream: .transcriptEvents, firstSegment: .milliseconds(300), overheadMilliseconds: 1.5),
        ])
        let overall = statistics.overall
        #expect(overall.firstToken.maxMicros == 120_000)
        #expect(overall.tokenGaps.count == 2)
        #expect(overall.firstAudio.count == 1)
        #expect(overall.firstSegment.maxMicros == 300_000)
        #expect(overall.overhead.maxMicros == 1_500)
        // 2.5 s for 10 s of audio: RTF 0.25, kept in millionths.
        #expect(overall.realTimeFactor.maxMicros == 250_000)
        #expect(overall.chatStreams == 1 && overall.audioStreams == 1 && overall.transcriptStreams == 1)
    }

    @Test func realTimeFactorNeedsACompleteAnswerWithItsAudioLength() {
        #expect(RouteStatistics.realTimeFactor(of: Samples.speech(latency: .seconds(3), audioSeconds: 1.5)) == 2)
        #expect(RouteStatistics.realTimeFactor(of: Samples.speech(latency: .seconds(3), audioSeconds: nil)) == nil)
        #expect(RouteStatistics.realTimeFactor(of: Samples.speech(latency: .seconds(3), audioSeconds: 0)) == nil)
        #expect(RouteStatistics.realTimeFactor(of: Samples.speech(latency: .seconds(3), audioSeconds: 2, status: 500)) == nil)
    }

    @Test func valuesAboveTheRangeAreClampedAndCounted() {
        var histogram = MetricHistogram()
        histogram.record(.seconds(7_200))
        histogram.record(.milliseconds(5))
        histogram.record(.seconds(Int64.max))
        histogram.record(ratio: .infinity)
        #expect(histogram.count == 4)
        #expect(histogram.clamped == 3)
        #expect(histogram.maxMicros == MetricHistogram.highestValue)
    }

    @Test func timeSeriesCoarsensByPairsAndStaysWithinItsCapacity() {
        var series = TimeSeries(capacity: 8)
        for second in 0..<8 { series.record(Samples.ok(micros: 1, at: second)) }
        #expect(series.buckets.count == 8)
        #expect(series.bucketWidth == .seconds(1))
        series.record(Samples.failed(.timeout, at: 8))
        #expect(series.bucketWidth == .seconds(2))
        #expect(series.buckets.count == 5)
        #expect(series.buckets.map(\.requests) == [2, 2, 2, 2, 1])
        #expect(series.buckets[4].errors == 1)
        for second in 0..<1_000 { series.record(Samples.ok(micros: 1, at: second)) }
        #expect(series.buckets.count <= 8)
        #expect(series.buckets.map(\.requests).reduce(0, +) == 1_009)
        #expect(series.bucketWidth == .seconds(128))
    }

    @Test func mergingSeriesOfDifferentWidthsKeepsEveryCount() {
        var fine = TimeSeries(capacity: 4)
        fine.record(Samples.ok(micros: 1, at: 1))
        var coarse = TimeSeries(capacity: 4)
        for second in 0..<10 { coarse.record(Samples.ok(micros: 1, at: second)) }
        fine.merge(coarse)
        #expect(fine.bucketWidth == coarse.bucketWidth)
        #expect(fine.buckets.map(\.requests).reduce(0, +) == 11)
    }
}
