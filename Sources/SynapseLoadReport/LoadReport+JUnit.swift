import SynapseCore

/// The JUnit XML rendering for CI: one `<testsuite name="synapse load">`, one `<testcase>` per
/// threshold, a `<failure>` with actual and limit for each one that failed. No thresholds make a
/// valid suite of zero tests.
extension LoadReport {
    public func junit() -> String {
        let outcomes = outcomes
        let failures = outcomes.filter { !$0.passed }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuite name=\"synapse load\" tests=\"\(outcomes.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
        xml += " time=\"\(FigureUnit.decimal(elapsed.seconds, significant: 6))\">\n"
        xml += "  <properties>\n"
        xml += "    <property name=\"seed\" value=\"\(seed)\"/>\n"
        xml += "    <property name=\"command\" value=\"\(Markup.escape(commandLine))\"/>\n"
        xml += "  </properties>\n"
        for outcome in outcomes {
            let name = Markup.escape(outcome.threshold.source)
            xml += "  <testcase classname=\"synapse.load.thresholds\" name=\"\(name)\" time=\"0\">\n"
            switch outcome.verdict {
            case .passed:
                xml += "    <system-out>\(Markup.escape("actual \(outcome.actualText), limit \(outcome.limitText)"))</system-out>\n"
            case .failed:
                let detail = "actual \(outcome.actualText), limit \(outcome.limitText)"
                xml += "    <failure type=\"threshold\" message=\"\(Markup.escape(outcome.summary))\">\(Markup.escape(detail))</failure>\n"
            case .noData(let reason):
                xml += "    <failure type=\"no_data\" message=\"\(Markup.escape(outcome.summary))\">\(Markup.escape("no data: " + reason))</failure>\n"
            }
            xml += "  </testcase>\n"
        }
        return xml + "</testsuite>\n"
    }
}
