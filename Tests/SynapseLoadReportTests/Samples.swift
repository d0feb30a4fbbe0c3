import SynapseLoadReport

/// Small builders for the samples the tests record.
enum Samples {
    static func ok(
        _ route: String = "GET /health", micros: Int64, at second: Int = 0, status: Int = 200, sent: Int = 0, received: Int = 0
    ) -> RequestSample {
        RequestSample(
            route: route, scheduledAt: .seconds(second), latency: .microseconds(micros), outcome: .status(status), bytesSent: sent,
            bytesReceived: received, firstByte: .microseconds(micros / 2))
    }

    static func failed(_ kind: RequestSample.FailureKind, route: String = "GET /health", at second: Int = 0) -> RequestSample {
        RequestSample(route: route, scheduledAt: .seconds(second), latency: .milliseconds(1), outcome: .failure(kind))
    }

    static func chat(firstToken: Duration, gaps: [Duration], latency: Duration = .seconds(1)) -> RequestSample {
        RequestSample(
            route: "POST /v1/chat/completions", scheduledAt: .zero, latency: latency, outcome: .status(200), stream: .chatEvents,
            firstToken: firstToken, tokenGaps: gaps)
    }

    static func speech(latency: Duration, audioSeconds: Double?, status: Int = 200) -> RequestSample {
        RequestSample(
            route: "POST /tts/generate", scheduledAt: .zero, latency: latency, outcome: .status(status), stream: .audio,
            firstAudio: latency / 4, audioSeconds: audioSeconds)
    }

    /// Statistics of `samples`, recorded in order into one value.
    static func statistics(_ samples: [RequestSample]) -> LoadStatistics {
        var statistics = LoadStatistics()
        for sample in samples { statistics.record(sample) }
        return statistics
    }
}
