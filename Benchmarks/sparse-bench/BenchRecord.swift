import SwiftSparse

/// One measurement: a (matrix, density, format, operation), as it appears in the JSON and CSV outputs.
struct BenchRecord: Sendable {
    var matrix: String
    var pattern: String
    var rows: Int
    var cols: Int
    var density: Double
    var targetDensity: Double?
    var nnz: Int
    var format: FormatSpec
    var operation: Operation
    var scalar: String
    var indexBits: Int
    var threads: Int
    var rhs: Int
    var bytes: Int
    var bytesRatioDense: Double
    var storedValues: Int
    var fillRatio: Double?
    /// true: matched the reference and timed; false: wrong result, not timed; nil: not run (see `note`).
    var verified: Bool?
    var timing: TimingSummary?
    var gflops: Double?
    var gbps: Double?
    var triadShare: Double?
    var speedupDense: Double?
    var triadGBps: Double
    var note: String?
    /// The pruning that made the matrix (`--prune` series only).
    var pruning: PruningSummary? = nil
}

/// A value of one output field.
enum FieldValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)

    init(_ v: Double?) { self = v.map { $0.isFinite ? .number($0) : .null } ?? .null }
    init(_ v: Int?) { self = v.map(FieldValue.int) ?? .null }
    init(_ v: String?) { self = v.map(FieldValue.string) ?? .null }
    init(_ v: Bool?) { self = v.map(FieldValue.bool) ?? .null }
}

/// A named, documented output field: the single source of the JSON keys, the CSV header and the field table of
/// Benchmarks/SPARSE-BENCH.md.
struct RecordField: Sendable {
    let name: String
    let doc: String
    let value: @Sendable (BenchRecord) -> FieldValue
}

extension BenchRecord {
    /// The output fields, in output order. Names are stable: scripts read them.
    static let fields: [RecordField] = [
        RecordField(name: "matrix", doc: "the pattern name for a generated matrix, the file's base name for --matrix") {
            .string($0.matrix)
        },
        RecordField(name: "pattern", doc: "uniform, banded, stencil2d, stencil3d, blocks, file, or pruned") {
            .string($0.pattern)
        },
        RecordField(name: "rows", doc: "rows of the matrix") { .int($0.rows) },
        RecordField(name: "cols", doc: "columns of the matrix") { .int($0.cols) },
        RecordField(name: "density", doc: "nnz / (rows × cols) of the matrix actually multiplied") {
            FieldValue($0.density)
        },
        RecordField(name: "target_density", doc: "the requested density (null for stencils and files)") {
            FieldValue($0.targetDensity)
        },
        RecordField(name: "nnz", doc: "stored entries of the original matrix (symmetric files expanded, duplicates summed)") {
            .int($0.nnz)
        },
        RecordField(name: "format", doc: "dense, csr, csc, coo or bsr (dense is OpenBLAS gemv/gemm)") {
            .string($0.format.kind.rawValue)
        },
        RecordField(name: "block", doc: "b of the b×b BSR blocks; null for other formats") { FieldValue($0.format.block) },
        RecordField(name: "operation", doc: "spmv (y = A·x) or spmm (Y = A·X, X with rhs columns)") {
            .string($0.operation.rawValue)
        },
        RecordField(name: "scalar", doc: "Float64, Float32 or Float16: the stored values (Float16 computes in Float32)") {
            .string($0.scalar)
        },
        RecordField(name: "index_bits", doc: "32 or 64: the index width of the run (dense stores no indices)") {
            .int($0.indexBits)
        },
        RecordField(name: "threads", doc: "threads of the kernels, of OpenBLAS and of the triad") { .int($0.threads) },
        RecordField(name: "rhs", doc: "right-hand sides: 1 for spmv, k (--rhs) for spmm") { .int($0.rhs) },
        RecordField(name: "bytes", doc: "bytes the format holds: its exact footprint (values, indices, offsets)") {
            .int($0.bytes)
        },
        RecordField(name: "bytes_ratio_dense", doc: "bytes / bytes of the dense baseline (Float32 for Float16 storage)") {
            FieldValue($0.bytesRatioDense)
        },
        RecordField(name: "stored_values", doc: "values held: rows × cols for dense, blocks × b² for BSR (fill included)") {
            .int($0.storedValues)
        },
        RecordField(name: "fill_ratio", doc: "BSR: stored_values / nnz (1 = no fill); null for other formats") {
            FieldValue($0.fillRatio)
        },
        RecordField(name: "verified", doc: "true: matched the reference product, then timed; false: wrong, not timed; null: not run") {
            FieldValue($0.verified)
        },
        RecordField(name: "reps", doc: "timed repetitions") { FieldValue($0.timing?.reps) },
        RecordField(name: "median_s", doc: "median seconds per product") { FieldValue($0.timing?.median) },
        RecordField(name: "min_s", doc: "fastest repetition, seconds") { FieldValue($0.timing?.min) },
        RecordField(name: "max_s", doc: "slowest repetition, seconds") { FieldValue($0.timing?.max) },
        RecordField(name: "spmv_gflops", doc: "spmv records: 2·nnz / median_s / 1e9; null for spmm records") {
            $0.operation == .spmv ? FieldValue($0.gflops) : .null
        },
        RecordField(name: "spmv_gbps", doc: "spmv records: effective GB/s, (bytes + (rows + cols)·scalar bytes) / median_s / 1e9") {
            $0.operation == .spmv ? FieldValue($0.gbps) : .null
        },
        RecordField(name: "spmm_gflops", doc: "spmm records: 2·nnz·rhs / median_s / 1e9; null for spmv records") {
            $0.operation == .spmm ? FieldValue($0.gflops) : .null
        },
        RecordField(name: "spmm_gbps", doc: "spmm records: effective GB/s, (bytes + rhs·(rows + cols)·scalar bytes) / median_s / 1e9") {
            $0.operation == .spmm ? FieldValue($0.gbps) : .null
        },
        RecordField(name: "triad_share", doc: "effective GB/s / triad_gbps (above 1 when the data fits in cache)") {
            FieldValue($0.triadShare)
        },
        RecordField(name: "speedup_dense", doc: "dense BLAS median_s / this median_s, same matrix and operation") {
            FieldValue($0.speedupDense)
        },
        RecordField(name: "triad_gbps", doc: "the machine's triad bandwidth (best pass), GB/s") { FieldValue($0.triadGBps) },
        RecordField(name: "prune", doc: "--prune series: magnitude, block or nm; null otherwise") {
            FieldValue($0.pruning?.method.rawValue)
        },
        RecordField(name: "prune_rule", doc: "--prune series: the rule at this density (top 10% by |value|, 4×4 blocks by Frobenius norm, 2:4)") {
            FieldValue($0.pruning?.rule)
        },
        RecordField(name: "prune_removed_norm", doc: "--prune series: ‖A − P‖_F / ‖A‖_F, the relative Frobenius norm pruned away") {
            FieldValue($0.pruning?.removedNorm)
        },
        RecordField(name: "note", doc: "why a record was not run or not verified; null otherwise") { FieldValue($0.note) },
    ]

    /// This record's fields, in output order.
    var fieldValues: [(name: String, value: FieldValue)] { Self.fields.map { ($0.name, $0.value(self)) } }
}
