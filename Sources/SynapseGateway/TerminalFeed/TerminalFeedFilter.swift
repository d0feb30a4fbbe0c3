import Foundation
import SynapseCore

/// Which events a subscriber wants: the `sources` and `level` query parameters.
struct TerminalFeedFilter: Sendable, Equatable {
    /// Exact logger names; empty admits every source.
    var sources: Set<String> = []
    /// Events at this level or above pass.
    var minimumLevel: TerminalFeedLevel = .info

    func admits(_ event: TerminalFeedEvent) -> Bool {
        event.level >= minimumLevel && (sources.isEmpty || sources.contains(event.source))
    }
}

/// The query of `GET /events/terminal`, read as the original reads it.
///
/// | Parameter | Absent                   | Invalid                  | Otherwise                          |
/// | --------- | ------------------------ | ------------------------ | ---------------------------------- |
/// | `sources` | every source             | –                        | comma list, blanks trimmed         |
/// | `level`   | settings' `defaultLevel` | `INFO`                   | any case of DEBUG…CRITICAL         |
/// | `backlog` | settings' `backlogLines` | settings' `backlogLines` | the integer; always clamped 1…500  |
struct TerminalFeedQuery: Sendable, Equatable {
    static let backlogRange = 1...500

    var filter: TerminalFeedFilter
    var backlog: Int

    init(sources: String?, level: String?, backlog: String?, settings: TerminalFeedSettings) {
        let names = (sources ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let level = TerminalFeedLevel(name: level ?? settings.defaultLevel) ?? .info
        filter = TerminalFeedFilter(sources: Set(names), minimumLevel: level)
        let count = backlog.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? settings.backlogLines
        self.backlog = min(max(count, Self.backlogRange.lowerBound), Self.backlogRange.upperBound)
    }
}
