import Foundation

/// A chart drawn as inline SVG for the HTML report: lines or bars over numeric axes, with grid
/// lines, tick labels and a legend. No script, no fonts, no reference outside the element, so
/// the page stays one self-contained file.
struct SVGChart {
    struct Series {
        enum Style { case line, bars }
        /// Shown in the legend; escaped (route names come from recordings).
        var name: String
        /// A CSS colour (`#1f77b4`).
        var color: String
        var points: [(x: Double, y: Double)]
        var style = Style.line
    }

    /// For screen readers (`aria-label`).
    var title: String
    var xTitle: String
    var yTitle: String
    /// The x axis span and its labelled ticks (a percentile axis has its own, non-linear labels).
    var xRange: ClosedRange<Double>
    var xTicks: [(value: Double, label: String)]
    /// Writes a y tick label.
    var yLabel: (Double) -> String
    var series: [Series]
    var width = 760.0
    var height = 300.0

    private let left = 78.0
    private let right = 34.0
    private let top = 16.0
    private let bottom = 46.0

    /// The chart and, below it, its legend as HTML (it wraps on narrow screens and never hides
    /// a line; a chart of one unnamed series has none).
    func html() -> String {
        let named = series.filter { !$0.name.isEmpty }
        guard !named.isEmpty else { return svg() }
        var legend = "<ul class=\"legend\">"
        for item in named {
            legend += "<li><span class=\"swatch\" style=\"background:\(item.color)\"></span>\(Markup.escape(item.name))</li>"
        }
        return svg() + legend + "</ul>\n"
    }

    func svg() -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let yMax = series.flatMap(\.points).map(\.y).filter(\.isFinite).max() ?? 0
        let (yTop, yStep) = Self.niceScale(max: yMax)
        let xSpan = max(xRange.upperBound - xRange.lowerBound, .leastNonzeroMagnitude)
        func px(_ x: Double) -> Double { left + (x - xRange.lowerBound) / xSpan * plotWidth }
        func py(_ y: Double) -> Double { top + plotHeight - min(max(y, 0), yTop) / yTop * plotHeight }

        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" role=\"img\" aria-label=\"\(Markup.escape(title))\">\n"
        out += "<rect class=\"plot\" x=\"\(Self.n(left))\" y=\"\(Self.n(top))\" width=\"\(Self.n(plotWidth))\" height=\"\(Self.n(plotHeight))\"/>\n"
        var tick = 0.0
        while tick <= yTop * 1.000_001 {
            let y = py(tick)
            out += "<line class=\"grid\" x1=\"\(Self.n(left))\" y1=\"\(Self.n(y))\" x2=\"\(Self.n(left + plotWidth))\" y2=\"\(Self.n(y))\"/>"
            out += "<text class=\"tick\" x=\"\(Self.n(left - 6))\" y=\"\(Self.n(y + 4))\" text-anchor=\"end\">\(Markup.escape(yLabel(tick)))</text>\n"
            tick += yStep
        }
        for (value, label) in xTicks where xRange.contains(value) {
            let x = px(value)
            out += "<line class=\"grid\" x1=\"\(Self.n(x))\" y1=\"\(Self.n(top))\" x2=\"\(Self.n(x))\" y2=\"\(Self.n(top + plotHeight))\"/>"
            out += "<text class=\"tick\" x=\"\(Self.n(x))\" y=\"\(Self.n(top + plotHeight + 16))\" text-anchor=\"middle\">\(Markup.escape(label))</text>\n"
        }
        out += "<text class=\"axis\" x=\"\(Self.n(left + plotWidth / 2))\" y=\"\(Self.n(height - 6))\" text-anchor=\"middle\">\(Markup.escape(xTitle))</text>\n"
        out +=
            "<text class=\"axis\" transform=\"translate(14 \(Self.n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(Markup.escape(yTitle))</text>\n"

        // The first series is the main one: drawn last, so on top.
        for item in series.reversed() {
            switch item.style {
            case .line:
                let points = item.points.filter { $0.y.isFinite }.map { "\(Self.n(px($0.x))),\(Self.n(py($0.y)))" }
                out +=
                    "<polyline fill=\"none\" stroke=\"\(item.color)\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(points.joined(separator: " "))\">"
                out += "<title>\(Markup.escape(item.name))</title></polyline>\n"
            case .bars:
                let slot = plotWidth / Double(max(item.points.count, 1))
                for point in item.points where point.y > 0 {
                    let y = py(point.y)
                    out += "<rect fill=\"\(item.color)\" x=\"\(Self.n(px(point.x) + slot * 0.1))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(slot * 0.8, 1)))\""
                    out += " height=\"\(Self.n(top + plotHeight - y))\"/>\n"
                }
            }
        }
        return out + "</svg>\n"
    }

    /// The top of the y axis and the tick step: 1, 2 or 5 times a power of ten, about five ticks.
    static func niceScale(max value: Double) -> (top: Double, step: Double) {
        guard value > 0, value.isFinite else { return (1, 0.2) }
        let raw = value / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        let step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude
        return ((value / step).rounded(.up) * step, step)
    }

    /// Coordinates with one decimal: enough on a 760-pixel chart, and a small file.
    static func n(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
