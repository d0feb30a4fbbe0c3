import SynapseCore

/// The JSON rendering: every figure, overall and per route, the time series, the thresholds and
/// their outcomes, the seed and the command. Object keys are sorted at every level so two runs
/// diff line by line.
///
/// Units are in the key names: `_us` for microseconds, `_seconds`, `_rps`; `rtf` is a plain
/// ratio; `error_rate` a fraction 0 … 1. The seed is a string, since a UInt64 does not survive
/// a trip through a JavaScript number.
extension LoadReport {
    public func json() -> String {
        let overall = statistics.overall
        var routes: [(String, JSONValue)] = []
        for label in statistics.routeLabels {
            if let route = statistics.routes[label] { routes.append((label, figures(route))) }
        }
        let outcomes = outcomes
        let document = JSONValue.object([
            ("command", .array(command.map(JSONValue.string))),
            ("command_line", .string(commandLine)),
            ("seed", .string(String(seed))),
            ("elapsed_seconds", .double(elapsed.seconds)),
            ("passed", .bool(outcomes.allSatisfy(\.passed))),
            ("overall", figures(overall)),
            ("routes", .object(routes)),
            ("thresholds", .array(outcomes.map(Self.outcome))),
            ("time_series", timeSeries()),
            (
                "histograms",
                .obj(
                    ("unit", .string("microseconds; rtf in millionths")), ("highest_value", .int(Int(MetricHistogram.highestValue))),
                    ("significant_digits", .int(3)))
            ),
        ])
        return document.sortingKeys.text(.indented(2)) + "\n"
    }

    private func figures(_ route: RouteStatistics) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("requests", .int(route.requests)),
            ("errors", .int(route.errors)),
            ("error_rate", route.errorRate.map(JSONValue.double) ?? .null),
            ("throughput_rps", throughput(of: route).map(JSONValue.double) ?? .null),
            ("bytes_sent", .int(route.bytesSent)),
            ("bytes_received", .int(route.bytesReceived)),
            ("statuses", .object(route.statuses.map { (String($0.key), JSONValue.int($0.value)) })),
            ("failures", .object(RequestSample.FailureKind.allCases.map { ($0.rawValue, JSONValue.int(route.failures[$0] ?? 0)) })),
            ("streams", .obj(("chat", .int(route.chatStreams)), ("audio", .int(route.audioStreams)), ("transcript", .int(route.transcriptStreams)))),
        ]
        for figure in TimingFigure.all(in: route) {
            members.append((figure.unit == .ratio ? figure.key : figure.key + "_us", Self.histogram(figure)))
        }
        return .object(members)
    }

    /// Count, clamped, and every reported statistic (plus p95, a common threshold); null when empty.
    private static func histogram(_ figure: TimingFigure) -> JSONValue {
        var members: [(String, JSONValue)] = [("count", .int(figure.histogram.count)), ("clamped", .int(figure.histogram.clamped))]
        for statistic in Statistic.reported + [.percentile(95)] {
            members.append((statistic.description, figure.value(statistic).map(Self.number) ?? .null))
        }
        return .object(members)
    }

    /// Whole numbers (microsecond percentiles, maxima) as integers, the rest as floats.
    private static func number(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 9_007_199_254_740_992 ? .int(Int(value)) : .double(value)
    }

    private static func outcome(_ outcome: ThresholdOutcome) -> JSONValue {
        let threshold = outcome.threshold
        var members: [(String, JSONValue)] = [
            ("source", .string(threshold.source)),
            ("scope", threshold.scope.map(JSONValue.string) ?? .null),
            ("metric", .string(threshold.metric.name)),
            ("comparison", .string(threshold.comparison.rawValue)),
            ("limit", Self.number(threshold.limit)),
            ("unit", .string(threshold.unit.rawValue)),
            ("actual", outcome.actual.map(Self.number) ?? .null),
            ("passed", .bool(outcome.passed)),
            ("summary", .string(outcome.summary)),
        ]
        switch outcome.verdict {
        case .passed: members.append(("verdict", .string("passed")))
        case .failed: members.append(("verdict", .string("failed")))
        case .noData(let reason):
            members.append(("verdict", .string("no_data")))
            members.append(("reason", .string(reason)))
        }
        return .object(members)
    }

    private func timeSeries() -> JSONValue {
        let series = statistics.timeSeries
        return .obj(
            ("bucket_seconds", .double(series.bucketWidth.seconds)),
            ("requests", .array(series.buckets.map { .int($0.requests) })),
            ("errors", .array(series.buckets.map { .int($0.errors) })),
            ("bytes", .array(series.buckets.map { .int($0.bytes) }))
        )
    }
}

extension JSONValue {
    /// The same value with every object's members sorted by key (byte order), recursively.
    var sortingKeys: JSONValue {
        switch self {
        case .array(let items): .array(items.map(\.sortingKeys))
        case .object(let members): .object(members.map { ($0.0, $0.1.sortingKeys) }.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) })
        default: self
        }
    }
}
