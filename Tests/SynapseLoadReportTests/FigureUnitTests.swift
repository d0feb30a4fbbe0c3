import SynapseLoadReport
import Testing

@Suite struct FigureUnitTests {
    @Test(arguments: [
        (0.0, "0 µs"), (850.0, "850 µs"), (12_345.0, "12.3 ms"), (500_000.0, "500 ms"), (1_520_000.0, "1.52 s"),
        (125_000_000.0, "2m 05s"),
    ])
    func durationsPickTheirUnit(micros: Double, text: String) {
        #expect(FigureUnit.duration(micros: micros) == text)
    }

    @Test func ratesPercentagesAndBytesReadCleanly() {
        #expect(FigureUnit.fraction.format(0.01) == "1%")
        #expect(FigureUnit.fraction.format(0.013_316) == "1.33%")
        #expect(FigureUnit.rate.format(1_000) == "1000/s")
        #expect(FigureUnit.ratio.format(0.5) == "0.5")
        #expect(FigureUnit.count.format(42) == "42")
        #expect(FigureUnit.bytes(512) == "512 B")
        #expect(FigureUnit.bytes(1_536) == "1.5 KiB")
        #expect(FigureUnit.bytes(12 * 1_048_576) == "12.0 MiB")
    }

    @Test func statisticsAreSpelledAsThresholdsWriteThem() {
        #expect(Statistic.reported.map(\.description) == ["p50", "p90", "p99", "p99.9", "max", "mean"])
    }

    @Test func aClosedDescriptorIsNotATerminal() {
        #expect(!ProgressLine.isTerminal(fileDescriptor: -1))
    }

    @Test(arguments: [
        ("report.html", LoadReport.Format.html), ("out/run.JSON", .json), ("junit.xml", .junit), ("summary.txt", .text),
    ])
    func outputFileNamesImplyAFormat(name: String, format: LoadReport.Format) {
        #expect(LoadReport.Format(fileName: name) == format)
    }

    @Test func unknownExtensionsImplyNoFormat() {
        #expect(LoadReport.Format(fileName: "report") == nil)
        #expect(LoadReport.Format(fileName: "dir.html/report") == nil)
        #expect(LoadReport.Format(fileName: "report.csv") == nil)
    }
}
