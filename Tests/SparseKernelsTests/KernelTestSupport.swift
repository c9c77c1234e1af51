import SparseCore
@testable import SparseKernels
import Testing

// Shared helpers: test matrices, a naive dense reference in Double, tolerant comparison, and the list of
// formats every product is checked in.

/// The formats (and block shapes) every kernel test runs.
enum FormatCase: String, CaseIterable, CustomStringConvertible, Sendable {
    case csr, csc, cooCanonical, cooShuffled, cooRowRuns, bsr1x1, bsr2x2, bsr3x3, bsr4x4, bsr8x8, bsr3x5, bsr4x2
    /// Block shapes for the other kernel paths: 5 and 7 rows (pairs of rows and an odd one in A·X), one row of
    /// four columns, more than eight rows, and more than eight columns (both the generic A·x).
    case bsr5x3, bsr7x2, bsr1x4, bsr9x2, bsr2x9, dense
    var description: String { rawValue }
}

/// Shapes of test matrices.
enum ShapeCase: String, CaseIterable, CustomStringConvertible, Sendable {
    case empty0x0, rows0x5, columns6x0, noEntries7x4, row1x7, column9x1, rect13x17, square16x24, wide5x40
    var description: String { rawValue }

    var shape: (rows: Int, columns: Int) {
        switch self {
        case .empty0x0: (0, 0)
        case .rows0x5: (0, 5)
        case .columns6x0: (6, 0)
        case .noEntries7x4: (7, 4)
        case .row1x7: (1, 7)
        case .column9x1: (9, 1)
        case .rect13x17: (13, 17)
        case .square16x24: (16, 24)
        case .wide5x40: (5, 40)
        }
    }
}

/// A seeded test matrix with some empty rows and columns, as dense Double rows (`.noEntries7x4`: none stored).
func testEntries(_ shape: ShapeCase, seed: UInt64 = 7) -> [[Double]] {
    let (m, n) = shape.shape
    var rng = SplitMix64(seed: seed &+ UInt64(m &* 131 &+ n))
    var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
    if shape == .noEntries7x4 { return a }
    for i in 0..<m where i % 5 != 3 {  // rows 3, 8, 13, … stay empty
        for j in 0..<n where j % 7 != 4 && rng.nextUnit() < 0.35 {
            a[i][j] = rng.nextNonzeroValue()
        }
    }
    return a
}

/// CSR from dense rows; `columns` gives the width when `a` has no rows.
func csrMatrix<S: SparseScalar, I: SparseIndex>(_ a: [[Double]], _: S.Type, _: I.Type,
                                                columns: Int? = nil) throws -> CSRMatrix<S, I> {
    let m = a.count, n = columns ?? a.first?.count ?? 0
    var off: [I] = [0], idx: [I] = [], val: [S] = []
    for i in 0..<m {
        for j in 0..<n where a[i][j] != 0 {
            idx.append(I(j))
            val.append(S(a[i][j]))
        }
        off.append(I(idx.count))
    }
    return try CSRMatrix(rows: m, columns: n, rowOffsets: SparseBuffer(off), columnIndices: SparseBuffer(idx),
                         values: SparseBuffer(val))
}

/// A COO with the entries of `csr` in a shuffled order, each entry split into two duplicates.
func shuffledCOO<S: SparseScalar, I: SparseIndex>(_ csr: CSRMatrix<S, I>) throws -> COOMatrix<S, I> {
    var entries: [(Int, Int, S)] = []
    csr.forEachStoredEntry { i, j, v in
        let half = S(Double(v) * 0.5)
        entries.append((i, j, half))
        entries.append((i, j, v - half))
    }
    var rng = SplitMix64(seed: 99)
    entries.shuffle(using: &rng)
    return try COOMatrix(rows: csr.rows, columns: csr.columns, rowIndices: SparseBuffer(entries.map { I($0.0) }),
                         columnIndices: SparseBuffer(entries.map { I($0.1) }), values: SparseBuffer(entries.map(\.2)))
}

/// A COO with the entries of `csr` in row order but not canonical: each row's entries in descending column
/// order, each split into two adjacent duplicates (the unsorted kernels then see long runs of one row).
func rowRunsCOO<S: SparseScalar, I: SparseIndex>(_ csr: CSRMatrix<S, I>) throws -> COOMatrix<S, I> {
    var entries: [(Int, Int, S)] = []
    for i in 0..<csr.rows {
        let start = Int(csr.rowOffsets[i]), end = Int(csr.rowOffsets[i + 1])
        for p in (start..<end).reversed() {
            let v = csr.values[p], half = S(Double(v) * 0.5)
            entries += [(i, Int(csr.columnIndices[p]), half), (i, Int(csr.columnIndices[p]), v - half)]
        }
    }
    return try COOMatrix(rows: csr.rows, columns: csr.columns, rowIndices: SparseBuffer(entries.map { I($0.0) }),
                         columnIndices: SparseBuffer(entries.map { I($0.1) }), values: SparseBuffer(entries.map(\.2)))
}

/// The dense rows of a matrix, in Double (what the kernels must reproduce).
func denseRows<M: MatrixStorage>(_ a: M) -> [[Double]] {
    var d = [[Double]](repeating: [Double](repeating: 0, count: a.columns), count: a.rows)
    a.forEachStoredEntry { i, j, v in d[i][j] += Double(v) }
    return d
}

/// Reference Y = α·op(A)·X + β·Y0 in Double, with the magnitude of the terms for the error bound.
func referenceProduct(_ a: [[Double]], rows m: Int, columns n: Int, op: MatrixOperation, alpha: Double,
                      x: [[Double]], beta: Double, y0: [[Double]]) -> (value: [[Double]], magnitude: [[Double]]) {
    let (om, on) = op == .none ? (m, n) : (n, m)
    let k = x.first?.count ?? y0.first?.count ?? 0  // X has no rows when op(A) has no columns
    var value = [[Double]](repeating: [Double](repeating: 0, count: k), count: om)
    var magnitude = value
    for i in 0..<om {
        for j in 0..<k {
            var s = 0.0, mag = 0.0
            for p in 0..<on {
                let aij = op == .none ? a[i][p] : a[p][i]
                s += aij * x[p][j]
                mag += abs(aij * x[p][j])
            }
            let y = beta == 0 ? 0 : beta * y0[i][j]
            value[i][j] = alpha * s + y
            magnitude[i][j] = abs(alpha) * mag + abs(y)
        }
    }
    return (value, magnitude)
}

/// Whether `got` matches the reference within a few ulps of the terms' magnitude.
func close<T: BinaryFloatingPoint>(_ got: T, _ expected: Double, _ magnitude: Double) -> Bool {
    let eps = Double(T.ulpOfOne)
    return abs(Double(got) - expected) <= 64 * eps * magnitude + 1e-300
}

/// Seeded dense values in [-1, 1).
func seededRows(_ rows: Int, _ columns: Int, seed: UInt64) -> [[Double]] {
    var rng = SplitMix64(seed: seed)
    return (0..<rows).map { _ in (0..<columns).map { _ in rng.nextNonzeroValue() } }
}

/// Configurations: one thread, and two threads forced on even the smallest product.
let oneThread = KernelConfiguration(threads: 1)
let twoThreads = KernelConfiguration(threads: 2, parallelThreshold: 1)
/// Two threads with one-register-block panels, to exercise the panel loop of large-k SpMM.
let twoThreadsNarrowPanels = KernelConfiguration(threads: 2, parallelThreshold: 1, spmmPanelBytes: 1)

/// α, β pairs: plain, scaled, accumulate, both general, α = 0 (β only), both zero.
let alphaBetas: [(Double, Double)] = [(1, 0), (2.5, 0), (1, 1), (-0.5, 1.5), (0, 2), (0, 0)]
