/// The sweep as an aligned table for people: a heading with the settings and the triad, one section per
/// matrix with a row per format, the notes, then the crossovers.
enum ReportTable {
    static func render(_ report: BenchReport) -> String {
        var out = heading(report)
        var table = TextTable(columns: [
            .init(title: "format", align: .left),
            .init(title: "values"),
            .init(title: "bytes"),
            .init(title: "×dense"),
            .init(title: "SpMV GFLOP/s", separated: true),
            .init(title: "GB/s"),
            .init(title: "triad"),
            .init(title: "×BLAS"),
            .init(title: "min–max"),
            .init(title: "SpMM GFLOP/s", separated: true),
            .init(title: "×BLAS"),
            .init(title: "min–max"),
            .init(title: "verified", align: .left, separated: true),
        ])
        for (i, m) in report.matrices.enumerated() {
            if i > 0 { table.lines.append(.blank) }
            table.lines.append(.section(sectionTitle(m)))
            let rs = report.records(of: m)
            for spec in rs.map(\.format).uniqued() {
                let spmv = rs.first { $0.format == spec && $0.operation == .spmv }
                let spmm = rs.first { $0.format == spec && $0.operation == .spmm }
                guard let any = spmv ?? spmm else { continue }
                table.add([
                    spec.description,
                    Format.grouped(any.storedValues),
                    Format.bytes(any.bytes),
                    Format.significant(any.bytesRatioDense),
                ] + operationCells(spmv, bandwidth: true) + operationCells(spmm, bandwidth: false) + [verdict(spmv, spmm)])
            }
        }
        out += table.rendered()
        let notes = report.matrices.flatMap { m in
            (m.pattern == "file" ? [candidates(m)] : []) + m.notes.map { "\(m.name) \(Format.percent(m.density)): \($0)" }
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        out += crossovers(report)
        return out
    }

    static func heading(_ r: BenchReport) -> String {
        """
        sparse-bench: \(r.scalar) values, Int\(r.indexBits) indices, \(r.threads) thread(s), SpMM with k = \(r.rhs)
        memory bandwidth (triad, 3 × \(Format.bytes(r.triad.arrayBytes))): \(Format.fixed(r.triad.bestGBps, 1)) GB/s \
        best, \(Format.fixed(r.triad.medianGBps, 1)) GB/s median
        timing: each product verified against a reference once, then \(r.policy.warmup) warm-up call(s), then \
        ≥ \(r.policy.minReps) repetitions and ≥ \(Format.significant(r.policy.minTime)) s; median shown, min–max relative to it
        GFLOP/s count 2 flops per stored non-zero of the original matrix (× k), not fill; GB/s = (bytes held + x + y) \
        / median; triad = GB/s / triad bandwidth; ×BLAS = dense BLAS (OpenBLAS gemv/gemm) time / this time


        """
    }

    static func sectionTitle(_ m: MatrixSummary) -> String {
        var s = "── \(m.name) \(m.rows)×\(m.cols), density \(Format.percent(m.density)), nnz \(Format.grouped(m.nnz))"
        if let p = m.path { s += " (\(p))" }
        if let p = m.pruning {
            s += ", pruned to \(Format.percent(m.targetDensity ?? m.density)): \(p.rule), "
                + "removed ‖·‖F \(Format.fixed(p.removedNorm, 3))"
        }
        return s + " ──"
    }

    /// GFLOP/s, (with `bandwidth`) GB/s and triad share, then ×BLAS and the min–max range of one record.
    static func operationCells(_ r: BenchRecord?, bandwidth: Bool) -> [String] {
        guard let r, let t = r.timing else { return Array(repeating: "–", count: bandwidth ? 5 : 3) }
        let rate = bandwidth
            ? [Format.significant(r.gbps), r.triadShare.map { Format.fixed($0 * 100, 0) + "%" } ?? "–"] : []
        return [Format.significant(r.gflops)] + rate
            + [Format.significant(r.speedupDense), range(t)]
    }

    /// The fastest and slowest repetitions relative to the median: `0.97–1.2×`.
    static func range(_ t: TimingSummary) -> String {
        func f(_ x: Double) -> String { x < 10 ? Format.fixed(x, 2) : Format.fixed(x, 0) }
        return f(t.min / t.median) + "–" + f(t.max / t.median) + "×"
    }

    static func verdict(_ spmv: BenchRecord?, _ spmm: BenchRecord?) -> String {
        func v(_ r: BenchRecord?) -> String {
            switch r?.verified {
            case true?: return "yes"
            case false?: return "WRONG"
            case nil: return "skipped"
            }
        }
        let a = v(spmv), b = v(spmm)
        return a == b ? a : "SpMV \(a), SpMM \(b)"
    }

    static func candidates(_ m: MatrixSummary) -> String {
        let list = m.blockFills.map { "\($0.blockRows)×\($0.blockColumns) fill \(Format.fixed($0.fillRatio, 2))" }
        let chosen = m.measuredBlocks.map { "\($0)×\($0)" }.joined(separator: ", ")
        return "\(m.name): BSR candidates \(list.joined(separator: ", "))"
            + (chosen.isEmpty ? "" : "; measured \(chosen) (fewest bytes)")
    }

    static func crossovers(_ report: BenchReport) -> String {
        guard !report.crossovers.isEmpty else { return "" }
        var out = "\nCrossovers: where sparse stops winning against dense (ratio to dense interpolated to 1 in log density)\n"
        for name in report.crossovers.map(\.matrix).uniqued() {
            out += "  \(name):\n"
            for measure in Crossover.Measure.allCases {
                let cs = report.crossovers.filter { $0.matrix == name && $0.measure == measure }
                guard !cs.isEmpty else { continue }
                let ordered = cs.filter { $0.format == nil } + cs.filter { $0.format != nil }
                let width = ordered.map(\.formatName.count).max() ?? 0
                let single = report.matrices.filter { $0.name == name }.count == 1
                for (i, c) in ordered.enumerated() {
                    let title = i == 0 ? measure.title : ""
                    out += "    " + title.padding(11) + c.formatName.padding(width) + "  "
                        + text(c.outcome, singleDensity: single) + "\n"
                }
            }
        }
        return out
    }

    static func text(_ o: Crossover.Outcome, singleDensity: Bool) -> String {
        if singleDensity {
            switch o {
            case let .winsThroughout(d): return "wins at its density (\(Format.percent(d)))"
            case let .neverWins(d): return "does not win at its density (\(Format.percent(d)))"
            case .crossed: break
            }
        }
        switch o {
        case let .crossed(below, above, estimate):
            return "≈ \(Format.percent(estimate))  (wins at \(Format.percent(below)), loses at \(Format.percent(above)))"
        case let .winsThroughout(upTo):
            return "wins at every measured density (up to \(Format.percent(upTo)))"
        case let .neverWins(from):
            return "wins at no measured density (from \(Format.percent(from)))"
        }
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
