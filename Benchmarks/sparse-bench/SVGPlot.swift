import Foundation

/// A standalone SVG of the sweep: three panels against density on a log axis — SpMV GFLOP/s, SpMM GFLOP/s and
/// bytes held — with one line per format (one dash style per matrix when there are several). Points carry a
/// `<title>` tooltip with their value. Wrong or skipped measurements are left out.
enum SVGPlot {
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                          "#17becf", "#bcbd22", "#7f7f7f"]
    static let dashes = ["", "7 3", "2 3", "9 3 2 3", "4 4"]

    struct Panel {
        var title: String
        var unit: (Double) -> String
        var axis: (Int) -> String
        var value: (BenchRecord) -> Double?
        var operation: Operation
    }

    static func render(_ report: BenchReport) -> String {
        let panels = [
            Panel(title: "SpMV GFLOP/s", unit: Format.significant, axis: Format.decade, value: { $0.gflops },
                  operation: .spmv),
            Panel(title: "SpMM GFLOP/s (k = \(report.rhs))", unit: Format.significant, axis: Format.decade,
                  value: { $0.gflops }, operation: .spmm),
            Panel(title: "bytes held", unit: { Format.bytes(Int($0)) }, axis: Format.decadeBytes,
                  value: { Double($0.bytes) }, operation: .spmv),
        ]
        let specs = report.records.map(\.format).uniqued()
        let matrices = report.records.map(\.matrix).uniqued()
        let (pw, ph, left, top, gap) = (330.0, 250.0, 70.0, 60.0, 40.0)
        let legendX = left + Double(panels.count) * (pw + left + gap) - left
        let width = legendX + 190, height = top + ph + 70
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
            <text x="\(left)" y="24" font-size="15" font-weight="bold">\(escape(
                "sparse-bench: \(report.scalar), Int\(report.indexBits) indices, \(report.threads) thread(s)"))</text>

            """
        let densities = report.records.map(\.density).filter { $0 > 0 }
        let (xlo, xhi) = decades(densities)
        for (p, panel) in panels.enumerated() {
            let x0 = left + Double(p) * (pw + left + gap)
            let values = report.records.filter { $0.operation == panel.operation && $0.density > 0 }
                .compactMap(panel.value).filter { $0 > 0 }
            let (ylo, yhi) = decades(values)
            func px(_ d: Double) -> Double { x0 + (log10(d) - xlo) / (xhi - xlo) * pw }
            func py(_ v: Double) -> Double { top + ph - (log10(v) - ylo) / (yhi - ylo) * ph }
            svg += "<g>\n<text x=\"\(x0)\" y=\"\(top - 10)\" font-weight=\"bold\">\(escape(panel.title))</text>\n"
            svg += "<rect x=\"\(x0)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#999\"/>\n"
            for e in stride(from: xlo, through: xhi, by: 1) {
                let x = px(pow(10, e))
                svg += "<line x1=\"\(r(x))\" y1=\"\(top)\" x2=\"\(r(x))\" y2=\"\(top + ph)\" stroke=\"#ddd\"/>\n"
                svg += "<text x=\"\(r(x))\" y=\"\(top + ph + 16)\" text-anchor=\"middle\">\(escape(Format.percent(pow(10, e))))</text>\n"
            }
            for e in stride(from: ylo, through: yhi, by: 1) {
                let y = py(pow(10, e))
                svg += "<line x1=\"\(x0)\" y1=\"\(r(y))\" x2=\"\(x0 + pw)\" y2=\"\(r(y))\" stroke=\"#ddd\"/>\n"
                svg += "<text x=\"\(x0 - 6)\" y=\"\(r(y + 4))\" text-anchor=\"end\">\(escape(panel.axis(Int(e))))</text>\n"
            }
            svg += "<text x=\"\(x0 + pw / 2)\" y=\"\(top + ph + 34)\" text-anchor=\"middle\">density (log)</text>\n"
            for (m, matrix) in matrices.enumerated() {
                for (s, spec) in specs.enumerated() {
                    let points = report.records
                        .filter { $0.matrix == matrix && $0.format == spec && $0.operation == panel.operation }
                        .compactMap { rec in panel.value(rec).flatMap { $0 > 0 && rec.density > 0 ? (rec.density, $0) : nil } }
                        .sorted { $0.0 < $1.0 }
                    guard !points.isEmpty else { continue }
                    let color = color(spec, index: s)
                    let dash = dashes[m % dashes.count]
                    if points.count > 1 {
                        let list = points.map { "\(r(px($0.0))),\(r(py($0.1)))" }.joined(separator: " ")
                        svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\""
                            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + " points=\"\(list)\"/>\n"
                    }
                    for (d, v) in points {
                        let tip = "\(matrix) \(spec) at \(Format.percent(d)): \(panel.unit(v))"
                        svg += "<circle cx=\"\(r(px(d)))\" cy=\"\(r(py(v)))\" r=\"3\" fill=\"\(color)\">"
                            + "<title>\(escape(tip))</title></circle>\n"
                    }
                }
            }
            svg += "</g>\n"
        }
        var ly = top
        for (s, spec) in specs.enumerated() {
            let color = color(spec, index: s)
            svg += "<line x1=\"\(legendX)\" y1=\"\(ly)\" x2=\"\(legendX + 24)\" y2=\"\(ly)\" stroke=\"\(color)\" stroke-width=\"3\"/>"
                + "<text x=\"\(legendX + 30)\" y=\"\(ly + 4)\">\(escape(spec.description))</text>\n"
            ly += 18
        }
        if matrices.count > 1 {
            ly += 10
            for (m, matrix) in matrices.enumerated() {
                let dash = dashes[m % dashes.count]
                svg += "<line x1=\"\(legendX)\" y1=\"\(ly)\" x2=\"\(legendX + 24)\" y2=\"\(ly)\" stroke=\"#333\" stroke-width=\"2\""
                    + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
                    + "<text x=\"\(legendX + 30)\" y=\"\(ly + 4)\">\(escape(matrix))</text>\n"
                ly += 18
            }
        }
        return svg + "</svg>\n"
    }

    /// The decade exponents [floor(log10 min), ceil(log10 max)], at least one decade wide.
    static func decades(_ values: [Double]) -> (Double, Double) {
        guard let lo = values.min(), let hi = values.max() else { return (0, 1) }
        let a = floor(log10(lo)), b = ceil(log10(hi))
        return b > a ? (a, b) : (a, a + 1)
    }

    static func color(_ spec: FormatSpec, index: Int) -> String {
        spec.kind == .dense ? "#000000" : palette[index % palette.count]
    }

    /// Two decimals are plenty for screen coordinates.
    static func r(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Text escaped for XML content and attributes.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 allows no other control characters, not even escaped.
            case _ where ch.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" }: out += "?"
            default: out.append(ch)
            }
        }
        return out
    }
}
