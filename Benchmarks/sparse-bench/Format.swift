import Foundation

/// Number formatting shared by the table, the progress lines and the plot.
enum Format {
    /// `x` with `digits` decimals; `–` for nil, NaN or infinity.
    static func fixed(_ x: Double?, _ digits: Int) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%.\(digits)f", x)
    }

    /// Three significant digits, switching to fixed notation for readable magnitudes.
    static func significant(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1000 { return String(format: "%.0f", x) }
        if a >= 0.001 { return String(format: "%.3g", x) }
        return String(format: "%.2e", x)
    }

    /// A fraction as a percentage with three significant digits: `0.1%`, `12.5%`, `50%`.
    static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        guard p.isFinite else { return "–" }
        var s = String(format: "%.3g", p)
        if s.contains("e") { s = String(format: "%.2e", p) }
        return s + "%"
    }

    /// Decimal bytes: `812 B`, `1.23 kB`, `45.6 MB`, `1.07 GB`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var v = Double(n), u = 0
        while abs(v) >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(n) B" : String(format: v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v) + " " + units[u]
    }

    /// A power of ten as an axis label: `0.001` … `1000`, then `1e6`.
    static func decade(_ e: Int) -> String {
        if e >= 0 && e <= 3 { return "1" + String(repeating: "0", count: e) }
        if e < 0 && e >= -3 { return "0." + String(repeating: "0", count: -e - 1) + "1" }
        return "1e\(e)"
    }

    /// A power of ten of bytes as an axis label: `1 B` … `100 GB`.
    static func decadeBytes(_ e: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        let u = Swift.min(Swift.max(0, e / 3), units.count - 1)
        return "1" + String(repeating: "0", count: Swift.max(0, e - 3 * u)) + " " + units[u]
    }

    /// An integer with thin groups of three digits: `16 777 216`.
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(" ") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
