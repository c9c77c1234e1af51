import Foundation

/// Where a sparse format stops beating dense, on memory or on time, along the densities of one matrix series.
struct Crossover: Sendable {
    enum Measure: String, CaseIterable, Sendable {
        /// bytes < dense bytes.
        case memory
        /// SpMV median time < dense BLAS gemv median time.
        case spmvTime = "spmv_time"
        /// SpMM median time < dense BLAS gemm median time.
        case spmmTime = "spmm_time"

        var title: String {
            switch self {
            case .memory: return "memory"
            case .spmvTime: return "SpMV time"
            case .spmmTime: return "SpMM time"
            }
        }
    }

    enum Outcome: Sendable, Equatable {
        /// Wins at `below`, loses at `above` (adjacent measured densities); `estimate` interpolates the ratio
        /// to 1 linearly in log(density), log(ratio).
        case crossed(below: Double, above: Double, estimate: Double)
        /// Wins at every measured density, the highest being `upTo`.
        case winsThroughout(upTo: Double)
        /// Wins at no measured density, the lowest being `from`.
        case neverWins(from: Double)
    }

    /// The matrix series (its name).
    var matrix: String
    /// The format; nil for "any sparse format" (the best one at each density).
    var format: FormatSpec?
    var measure: Measure
    var outcome: Outcome

    /// The format's name, or `any sparse`.
    var formatName: String { format?.description ?? "any sparse" }
}

/// Finds the crossovers from the records of a sweep.
enum CrossoverAnalysis {
    /// For each matrix series (records sharing a matrix name and shape) with a dense baseline, each sparse
    /// format and each measure: where the format stops winning against dense, scanning densities upward (the
    /// first density at which it loses). Densities without a verified measurement of both are left out.
    static func analyze(_ records: [BenchRecord]) -> [Crossover] {
        var out = [Crossover]()
        let seriesNames = records.map(\.matrix).uniqued()
        for name in seriesNames {
            let rs = records.filter { $0.matrix == name }
            let formats = rs.map(\.format).filter(\.isSparse).uniqued()
            for measure in Crossover.Measure.allCases {
                var best = [Double: Double]()
                for f in formats {
                    let points = ratios(rs.filter { $0.format == f }, measure: measure)
                    for (d, r) in points { best[d] = Swift.min(best[d] ?? .infinity, r) }
                    if let o = outcome(points) { out.append(Crossover(matrix: name, format: f, measure: measure, outcome: o)) }
                }
                if formats.count > 1, let o = outcome(best.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) {
                    out.append(Crossover(matrix: name, format: nil, measure: measure, outcome: o))
                }
            }
        }
        return out
    }

    /// (density, format / dense) for one format's records, by increasing density: bytes, or time (the inverse
    /// of the record's speedup against dense BLAS).
    static func ratios(_ rs: [BenchRecord], measure: Crossover.Measure) -> [(Double, Double)] {
        var points = [Double: Double]()
        for r in rs {
            switch measure {
            case .memory:
                points[r.density] = r.bytesRatioDense
            case .spmvTime, .spmmTime:
                let op: Operation = measure == .spmvTime ? .spmv : .spmm
                guard r.operation == op, r.verified == true, let speedup = r.speedupDense else { continue }
                points[r.density] = 1 / speedup
            }
        }
        return points.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Where a ratio series (increasing density) first reaches 1.
    static func outcome(_ points: [(Double, Double)]) -> Crossover.Outcome? {
        guard let first = points.first, let last = points.last else { return nil }
        guard first.1 < 1 else { return .neverWins(from: first.0) }
        for k in 1..<Swift.max(1, points.count) where points[k].1 >= 1 {
            let (d0, r0) = points[k - 1], (d1, r1) = points[k]
            let l0 = log(d0), l1 = log(d1), q0 = log(r0), q1 = log(r1)
            let t = q1 > q0 ? (0 - q0) / (q1 - q0) : 1
            return .crossed(below: d0, above: d1, estimate: exp(l0 + t * (l1 - l0)))
        }
        return .winsThroughout(upTo: last.0)
    }
}
