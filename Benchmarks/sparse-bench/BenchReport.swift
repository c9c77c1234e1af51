import SwiftSparse

/// Everything one sweep measured: the settings, the triad, each matrix, the records and the crossovers.
struct BenchReport: Sendable {
    /// Scalar name (`Float64`), index bits, threads, k, timing policy.
    var scalar: String
    var indexBits: Int
    var threads: Int
    var rhs: Int
    var seed: UInt64
    var policy: TimingPolicy
    var triad: TriadBandwidth
    var matrices: [MatrixSummary]
    var records: [BenchRecord]
    var crossovers: [Crossover]
}

/// One matrix measured: its identity, and the fill each BSR candidate would need.
struct MatrixSummary: Sendable {
    var name: String
    var pattern: String
    /// The file, for --matrix.
    var path: String?
    var rows: Int
    var cols: Int
    var nnz: Int
    var density: Double
    var targetDensity: Double?
    /// Every --block-sizes candidate with its fill, counted without building.
    var blockFills: [BlockFill]
    /// The BSR blocks measured (all candidates for generated matrices, the one with the fewest bytes for files).
    var measuredBlocks: [Int]
    /// Why a format was skipped, if any.
    var notes: [String]
    /// How the matrix was pruned (`--prune` series only).
    var pruning: PruningSummary? = nil
}

extension BenchReport {
    /// The records of one matrix (by name and density), in order.
    func records(of matrix: MatrixSummary) -> [BenchRecord] {
        records.filter { $0.matrix == matrix.name && $0.density == matrix.density && $0.rows == matrix.rows }
    }
}
