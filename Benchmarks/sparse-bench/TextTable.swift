/// A plain-text table with aligned columns, optional `│` separators between column groups, and section lines.
struct TextTable {
    enum Align { case left, right }

    struct Column {
        var title: String
        var align: Align = .right
        /// Draw `│` before this column.
        var separated: Bool = false
    }

    enum Line {
        case cells([String])
        /// A line of text across the table (not aligned).
        case section(String)
        case blank
    }

    var columns: [Column]
    var lines: [Line] = []

    mutating func add(_ cells: [String]) {
        precondition(cells.count == columns.count, "a table row needs \(columns.count) cells")
        lines.append(.cells(cells))
    }

    func rendered() -> String {
        var widths = columns.map(\.title.count)
        for case .cells(let cells) in lines {
            for (i, c) in cells.enumerated() { widths[i] = Swift.max(widths[i], c.count) }
        }
        func row(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                if i > 0 { out += columns[i].separated ? " │ " : "  " }
                let pad = String(repeating: " ", count: widths[i] - c.count)
                out += columns[i].align == .left ? c + pad : pad + c
            }
            while out.last == " " { out.removeLast() }
            return out
        }
        let header = row(columns.map(\.title))
        var rule = ""
        for (i, w) in widths.enumerated() {
            if i > 0 { rule += columns[i].separated ? "─┼─" : "──" }
            rule += String(repeating: "─", count: w)
        }
        var out = [header, rule]
        for line in lines {
            switch line {
            case .cells(let cells): out.append(row(cells))
            case .section(let text): out.append(text)
            case .blank: out.append("")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
