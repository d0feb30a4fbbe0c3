import Foundation
import SynapseCore

/// Journal expectations over the control API's entries (`GET /mocks/{name}/journal`).
extension StepExecution {
    /// (expected, observed, passed) for a journal check.
    func journal(_ check: JournalCheck, _ all: [JSONValue]) -> (String, String, Bool) {
        let entries = all.filter { entry in
            (check.path.map { entry["path"]?.stringValue == $0 } ?? true)
                && (check.method.map { entry["method"]?.stringValue == $0 } ?? true)
        }
        let labels = entries.map { "\($0["method"]?.stringValue ?? "?") \($0["path"]?.stringValue ?? "?")" }
        var expected: [String] = []
        var failures: [String] = []
        let scope = check.path.map { " to \(check.method.map { "\($0) " } ?? "")\($0)" } ?? ""
        if let count = check.count {
            expected.append("requests\(scope): \(count)")
            if !count.matches(.number(Double(entries.count))) { failures.append("\(entries.count) request\(entries.count == 1 ? "" : "s")\(scope)") }
        }
        if let paths = check.paths {
            expected.append("exactly [\(paths.joined(separator: ", "))]")
            let matches = paths.count == labels.count && zip(paths, labels).allSatisfy(Self.sameEntry)
            if !matches { failures.append("[\(labels.joined(separator: ", "))]") }
        }
        if let order = check.order {
            expected.append("in order [\(order.joined(separator: ", "))]")
            var remaining = labels[...]
            let found = order.allSatisfy { wanted in
                guard let index = remaining.firstIndex(where: { Self.sameEntry(wanted, $0) }) else { return false }
                remaining = remaining[(index + 1)...]
                return true
            }
            if !found { failures.append("[\(labels.joined(separator: ", "))]") }
        }
        if let repeated = check.neverTwiceInARow {
            expected.append("never \(repeated) twice in a row")
            if zip(labels, labels.dropFirst()).contains(where: { Self.sameEntry(repeated, $0) && Self.sameEntry(repeated, $1) }) {
                failures.append("[\(labels.joined(separator: ", "))]")
            }
        }
        if let last = check.last {
            expected.append("last request\(scope): \(describe(last))")
            if let entry = entries.last {
                if let problem = problem(with: entry, last) { failures.append("last: \(problem)") }
            } else {
                failures.append("no request\(scope)")
            }
        }
        if let each = check.each {
            expected.append("every request\(scope): \(describe(each))")
            for (index, entry) in entries.enumerated() {
                if let problem = problem(with: entry, each) {
                    failures.append("request \(index + 1): \(problem)")
                    break
                }
            }
        }
        let observed = failures.isEmpty ? "\(entries.count) request\(entries.count == 1 ? "" : "s")\(scope), as expected" : failures.joined(separator: "; ")
        return (expected.joined(separator: "; "), observed, failures.isEmpty)
    }

    /// `/tts` matches `POST /tts`; `POST /tts` must match the method too.
    static func sameEntry(_ wanted: String, _ label: String) -> Bool {
        wanted.contains(" ") ? wanted.uppercased() == label.uppercased() : label.hasSuffix(" " + wanted)
    }

    func describe(_ check: EntryCheck) -> String {
        var parts = check.fields.map { "\($0.0) \($0.1)" }
        if let label = check.sameBodyAs { parts.append("the same body as '\(label)'") }
        return parts.joined(separator: ", ")
    }

    /// The first way `entry` falls short of `check`, if any.
    func problem(with entry: JSONValue, _ check: EntryCheck) -> String? {
        for (path, matcher) in check.fields {
            let value = entry.value(at: path)
            if !matcher.matches(value) { return "\(path) is \(value.map { String($0.text().prefix(120)) } ?? "absent")" }
        }
        if let label = check.sameBodyAs {
            guard let sent = labelled[label] else { return "no request labelled '\(label)'" }
            if entry["body_complete"] != .bool(true) { return "body incomplete (\(entry["body_size"]?.text() ?? "?") bytes)" }
            let seen = entry["body_sha256"]?.stringValue ?? ""
            if seen != sent.bodySHA256 { return "body sha256 \(seen.prefix(12))… differs from the one sent (\(sent.bodySHA256.prefix(12))…)" }
        }
        return nil
    }
}

/// Reads Prometheus text: `name{label="value",…} number` lines.
enum MetricSeries {
    /// The sum over series named like `selector` that carry all of its labels; nil when none does.
    static func sum(of selector: String, in text: String) -> Double? {
        let (name, labels) = parse(selector)
        var total: Double?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let (seriesName, seriesLabels) = parse(String(line[..<space]))
            guard seriesName == name, labels.allSatisfy({ seriesLabels[$0.key] == $0.value }) else { continue }
            total = (total ?? 0) + value
        }
        return total
    }

    /// `name{a="x",b="y"}` → (`name`, [a: x, b: y]).
    static func parse(_ series: String) -> (String, [String: String]) {
        guard let open = series.firstIndex(of: "{"), series.hasSuffix("}") else { return (series.trimmingCharacters(in: .whitespaces), [:]) }
        let name = String(series[..<open])
        var labels: [String: String] = [:]
        let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
        for pair in body.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
        return (name, labels)
    }
}
