import SynapseCore
import Testing

@testable import SynapseGateway

/// The `sources`, `level` and `backlog` query parameters of `GET /events/terminal`.
@Suite struct TerminalFeedQueryTests {
    static func query(
        sources: String? = nil, level: String? = nil, backlog: String? = nil,
        configure: (inout TerminalFeedSettings) -> Void = { _ in }
    ) -> TerminalFeedQuery {
        var settings = TerminalFeedSettings()
        configure(&settings)
        return TerminalFeedQuery(sources: sources, level: level, backlog: backlog, settings: settings)
    }

    @Test(arguments: [
        ("debug", TerminalFeedLevel.debug), ("INFO", .info), ("Warning", .warning), ("error", .error), ("CRITICAL", .critical),
        ("warn", .info), ("bogus", .info), ("", .info),
    ])
    func levelIsCaseInsensitiveAndInvalidMeansInfo(text: String, level: TerminalFeedLevel) {
        #expect(Self.query(level: text).filter.minimumLevel == level)
    }

    @Test func absentLevelTakesTheConfiguredDefault() {
        #expect(Self.query().filter.minimumLevel == .info)
        #expect(Self.query { $0.defaultLevel = "error" }.filter.minimumLevel == .error)
        #expect(Self.query { $0.defaultLevel = "loud" }.filter.minimumLevel == .info)
        #expect(Self.query(level: "debug") { $0.defaultLevel = "error" }.filter.minimumLevel == .debug)
    }

    @Test(arguments: [
        (String?.none, 80), ("abc", 80), ("", 80), ("12", 12), (" 12 ", 12), ("0", 1), ("-5", 1), ("1", 1), ("500", 500), ("501", 500), ("1000000", 500),
    ])
    func backlogFallsBackToTheDefaultAndIsClamped(text: String?, backlog: Int) {
        #expect(Self.query(backlog: text).backlog == backlog)
    }

    @Test func theConfiguredBacklogIsClampedToo() {
        #expect(Self.query { $0.backlogLines = 900 }.backlog == 500)
        #expect(Self.query(backlog: "x") { $0.backlogLines = 100 }.backlog == 100)
    }

    @Test func sourcesAreACommaListWithBlanksIgnored() {
        #expect(Self.query(sources: "httpx, src.router_llm,,").filter.sources == ["httpx", "src.router_llm"])
        #expect(Self.query(sources: "").filter.sources.isEmpty)
        #expect(Self.query().filter.sources.isEmpty)
    }
}
