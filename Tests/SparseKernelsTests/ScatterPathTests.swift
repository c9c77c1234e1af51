import SparseCore
@testable import SparseKernels
import Testing

/// y ← α·op(A)·x + β·y by a plain loop over A's stored entries in Double, with the magnitude of each output's
/// terms: the reference for matrices too large for the dense one.
func entryLoopProduct<S: SparseScalar, I: SparseIndex>(
    _ a: CSRMatrix<S, I>, op: MatrixOperation, alpha: Double, x: [Double], beta: Double, y0: [Double]
) throws -> (value: [Double], magnitude: [Double]) {
    let coo = try COOMatrix<S, I>(a)
    let outputs = op == .none ? a.rows : a.columns
    var sum = [Double](repeating: 0, count: outputs), magnitude = sum
    for p in 0..<coo.storedCount {
        let (i, j) = (Int(coo.rowIndices[p]), Int(coo.columnIndices[p]))
        let (out, input) = op == .none ? (i, j) : (j, i)
        let term = Double(coo.values[p].arithmetic) * x[input]
        sum[out] += term
        magnitude[out] += abs(term)
    }
    var value = sum
    for c in 0..<outputs {
        let y = beta == 0 ? 0 : beta * y0[c]
        value[c] = alpha * sum[c] + y
        magnitude[c] = abs(alpha) * magnitude[c] + abs(y)
    }
    return (value, magnitude)
}

/// The entries of `a` as a COO in a seeded random order (not canonical, no duplicates).
func permutedCOO<S: SparseScalar, I: SparseIndex>(_ a: CSRMatrix<S, I>) throws -> COOMatrix<S, I> {
    var entries: [(row: Int, column: Int, value: S)] = []
    a.forEachStoredEntry { i, j, v in entries.append((i, j, v)) }
    var rng = SplitMix64(seed: 77)
    entries.shuffle(using: &rng)
    return try COOMatrix(rows: a.rows, columns: a.columns, rowIndices: SparseBuffer(entries.map { I($0.row) }),
                         columnIndices: SparseBuffer(entries.map { I($0.column) }),
                         values: SparseBuffer(entries.map(\.value)))
}

/// Checks the scatter products against the entry loop for every α, β pair (α ≠ 0), on one thread and on two
/// (bitwise identical), with NaN in y when β = 0: CSR Aᵀ·x, CSC A·x (the scatter over the same kind of
/// pattern), canonical COO Aᵀ·x, and a permuted COO's A·x and Aᵀ·x (unsorted entries).
func checkScatter<S: SparseScalar, I: SparseIndex>(_ a: CSRMatrix<S, I>, _ label: String) throws {
    typealias T = S.Arithmetic
    let csc = try CSCMatrix<S, I>(a)
    let coo = try COOMatrix<S, I>(a), permuted = try permutedCOO(a)
    #expect(coo.isCanonical && !permuted.isCanonical)
    let x = seededRows(a.rows, 1, seed: 21).map { $0[0] }
    let y0 = seededRows(a.columns, 1, seed: 22).map { $0[0] }
    let xa = seededRows(a.columns, 1, seed: 23).map { $0[0] }
    let ya = seededRows(a.rows, 1, seed: 24).map { $0[0] }
    for (alpha, beta) in alphaBetas where alpha != 0 {
        let expectedT = try entryLoopProduct(a, op: .transpose, alpha: alpha, x: x, beta: beta, y0: y0)
        let expectedA = try entryLoopProduct(a, op: .none, alpha: alpha, x: xa, beta: beta, y0: ya)
        var results: [[T]] = []
        for configuration in [oneThread, twoThreads] {
            var wrong: [String] = [], all: [T] = []
            func run<M: MatrixMultiplying>(_ m: M, _ op: MatrixOperation, _ name: String)
            where M.Scalar.Arithmetic == T {
                let (xs, ys, expected) = op == .transpose ? (x, y0, expectedT) : (xa, ya, expectedA)
                var y = beta == 0 ? [T](repeating: .nan, count: ys.count) : ys.map { T($0) }
                spmv(alpha: T(alpha), m, xs.map { T($0) }, beta: T(beta), &y, op: op, configuration: configuration)
                for c in y.indices where !close(y[c], expected.value[c], expected.magnitude[c]) {
                    wrong.append("\(name) [\(c)] = \(y[c]), expected \(expected.value[c])")
                }
                all += y
            }
            run(a, .transpose, "CSR Aᵀ·x")
            run(csc, .none, "CSC A·x")
            run(coo, .transpose, "canonical COO Aᵀ·x")
            run(permuted, .transpose, "permuted COO Aᵀ·x")
            run(permuted, .none, "permuted COO A·x")
            let run = "\(label) \(S.self)/\(I.self) α=\(alpha) β=\(beta) \(configuration.threads) threads"
            #expect(wrong.isEmpty, "\(run): \(wrong.prefix(4))")
            results.append(all)
        }
        #expect(results[0] == results[1], "\(label) \(S.self)/\(I.self) α=\(alpha) β=\(beta): 1 and 2 threads differ")
    }
}

/// The scatter SpMV path a CSR matrix's Aᵀ·x takes: chunks of the dense chunked scatter, of the halo scatter,
/// the owner-computes parts on two threads, and the chunks of canonical COO's halo scatter.
func scatterPath<S: SparseScalar, I: SparseIndex>(
    _ a: CSRMatrix<S, I>
) throws -> (dense: Int, halo: Int, ownerParts: Int, cooHalo: Int) {
    let o = Array(a.rowOffsets), ix = Array(a.columnIndices)
    let nnz = a.storedCount
    let halo = _haloScatterChunks(o, ix, slices: a.rows, minorCount: a.columns, entries: nnz)
    let parts = twoThreads._ownerComputesSpMVParts(entries: nnz, slices: a.rows, outputs: a.columns)
    let coo = try COOMatrix<S, I>(a)
    let cooHalo = _cooHaloChunks(Array(coo.rowIndices), Array(coo.columnIndices), inputs: a.rows,
                                 outputs: a.columns, entries: nnz)
    return (_scatterChunkCount(entries: nnz, outputs: a.columns), halo, parts, cooHalo)
}

/// Checks CSR Aᵀ·X, CSC A·X (the scatter SpMM over the same kind of pattern) and canonical COO Aᵀ·X with `k`
/// right-hand sides against the entry loop (one pass over the entries for all columns), with Y in each of
/// `layouts`, on one thread and on two (bitwise identical), with NaN in Y when β = 0.
func checkScatterSpMM<S: SparseScalar, I: SparseIndex>(_ a: CSRMatrix<S, I>, k: Int, _ label: String,
                                                     layouts: [DenseLayout] = [.rowMajor]) throws {
    typealias T = S.Arithmetic
    let csc = try CSCMatrix<S, I>(a), coo = try COOMatrix<S, I>(a)
    let n = a.rows  // square
    let x = seededRows(n, k, seed: 51).flatMap { $0 }, y0 = seededRows(n, k, seed: 52).flatMap { $0 }
    let xm = DenseMatrix<T>(rows: n, columns: k) { i, j in T(x[i * k + j]) }
    for (alpha, beta) in [(1.0, 0.0), (-0.5, 1.5)] {
        // Row-major n × k references of Aᵀ·X and A·X, with the magnitudes of their terms.
        var sum = [[Double]](repeating: [Double](repeating: 0, count: n * k), count: 2), magnitude = sum
        for p in 0..<coo.storedCount {
            let (i, j) = (Int(coo.rowIndices[p]), Int(coo.columnIndices[p]))
            let value = Double(coo.values[p].arithmetic)
            for c in 0..<k {
                let transposed = value * x[i * k + c], plain = value * x[j * k + c]
                sum[0][j * k + c] += transposed
                magnitude[0][j * k + c] += abs(transposed)
                sum[1][i * k + c] += plain
                magnitude[1][i * k + c] += abs(plain)
            }
        }
        for r in 0..<2 {
            for e in 0..<n * k {
                let y = beta == 0 ? 0 : beta * y0[e]
                sum[r][e] = alpha * sum[r][e] + y
                magnitude[r][e] = abs(alpha) * magnitude[r][e] + abs(y)
            }
        }
        for layout in layouts {
            var results: [[T]] = []
            for configuration in [oneThread, twoThreads] {
                var wrong: [String] = [], all: [T] = []
                for (product, name) in ["CSR Aᵀ·X", "CSC A·X", "canonical COO Aᵀ·X"].enumerated() {
                    let r = product == 1 ? 1 : 0  // the reference: Aᵀ·X or A·X
                    var y = DenseMatrix<T>(rows: n, columns: k, layout: layout) { i, j in
                        beta == 0 ? .nan : T(y0[i * k + j])
                    }
                    let (al, be, c) = (T(alpha), T(beta), configuration)
                    switch product {
                    case 0: spmm(alpha: al, a, xm, beta: be, &y, op: .transpose, configuration: c)
                    case 1: spmm(alpha: al, csc, xm, beta: be, &y, configuration: c)
                    default: spmm(alpha: al, coo, xm, beta: be, &y, op: .transpose, configuration: c)
                    }
                    let stored = Array(y.elements)
                    for e in 0..<n * k {
                        let (i, j) = (e / k, e % k)
                        let got = layout == .rowMajor ? stored[e] : stored[j * n + i]
                        if !close(got, sum[r][e], magnitude[r][e]) {
                            wrong.append("\(name) [\(i), \(j)] = \(got), expected \(sum[r][e])")
                        }
                    }
                    all += stored
                }
                let run = "\(label) \(S.self)/\(I.self) k=\(k) \(layout) α=\(alpha) β=\(beta)"
                #expect(wrong.isEmpty, "\(run), \(configuration.threads) threads: \(wrong.prefix(4))")
                results.append(all)
            }
            #expect(results[0] == results[1], "\(label) k=\(k) \(layout) α=\(alpha) β=\(beta): threads differ")
        }
    }
}

@Suite("Scatter SpMV on matrices large enough for every path")
struct ScatterPathTests {
    /// The 5-point stencil on a 200 × 200 grid (199 200 entries, 5 per output, banded) takes the halo scatter:
    /// three chunks, each adding into its own core of y and its halo.
    @Test func bandedMatrixTakesTheHaloScatter() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: 200, ny: 200)
        let path = try scatterPath(a)
        #expect(path.dense == 1 && path.halo == 3 && path.cooHalo == 3, "\(path)")
        try checkScatter(a, "stencil")
        try checkScatter(a.mapValues { Float($0) }, "stencil")
        // The halo SpMV prefetches this 2.4 MB matrix by default; without prefetching, the same bits.
        let x = seededRows(a.rows, 1, seed: 61).map { $0[0] }
        var prefetched = [Double](repeating: .nan, count: a.columns), plain = prefetched
        spmv(a, x, &prefetched, op: .transpose, configuration: twoThreads)
        spmv(a, x, &plain, op: .transpose,
             configuration: KernelConfiguration(threads: 2, parallelThreshold: 1, spmvPrefetchBytes: .max))
        #expect(prefetched == plain)
        try checkScatter(try CSRMatrix<Double, Int64>(a), "stencil")
    }

    /// Aᵀ·X of the stencil takes the halo scatter SpMM too (too few entries per output of Y for the chunked
    /// one): k = 2 (also with 64-bit indices) and 5 (one register block with tails; at 5 also a column-major
    /// Y, and Float), 33 (Float64: a full register block and a tail).
    @Test(arguments: [2, 5, 33])
    func bandedSpMMTakesTheHaloScatter(k: Int) throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: 200, ny: 200)
        #expect(_scatterChunkCount(entries: a.storedCount, outputs: a.columns * k) == 1)
        try checkScatterSpMM(a, k: k, "stencil", layouts: k == 5 ? [.rowMajor, .columnMajor] : [.rowMajor])
        if k == 5 { try checkScatterSpMM(a.mapValues { Float($0) }, k: k, "stencil") }
        if k == 2 { try checkScatterSpMM(try CSRMatrix<Double, Int64>(a), k: k, "stencil") }
    }

    /// 300 rows over 10 000 outputs at 20% (about 60 entries an output, 600 000 in all): the chunked scatter,
    /// whose Float streams are prefetched towards L2 past 8192 outputs (x of Float larger than L1).
    @Test func chunkedScatterOverManyOutputs() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 300, columns: 10_000, density: 0.2,
                                                                      seed: 12)
        let path = try scatterPath(a)
        #expect(path.dense > 1, "\(path)")
        #expect(_spmvPrefetchesTowardsL2(Float.self, xCount: a.columns)
                && twoThreads._prefetchesSpMV(entries: a.storedCount, Float.self, Int32.self))
        try checkScatter(a.mapValues { Float($0) }, "uniform, many entries an output")
        try checkScatter(a, "uniform, many entries an output")
    }

    /// A row that reaches both ends of the outputs, between the probed rows, is not seen by the probes, so the
    /// matrix still takes the halo scatter; its chunk's halo grows to both ends, and the result stays right.
    @Test func haloGrowsToAnUnprobedRow() throws {
        let stencil: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: 200, ny: 200)
        let coo = try COOMatrix<Double, Int32>(stencil)
        var entries = (0..<coo.storedCount).map {
            (row: Int(coo.rowIndices[$0]), column: Int(coo.columnIndices[$0]), value: coo.values[$0])
        }
        for row in [1417, 30001] { entries += [(row, 0, 0.5), (row, 39_999, -0.25)] }
        let a = try CSRMatrix<Double, Int32>(try COOMatrix<Double, Int32>(rows: 40_000, columns: 40_000,
                                                                           entries: entries))
        let path = try scatterPath(a)
        #expect(path.halo == 3 && path.cooHalo == 3, "the probes were meant to miss rows 1417 and 30001: \(path)")
        try checkScatter(a, "stencil with far-reaching rows")
        try checkScatterSpMM(a, k: 3, "stencil with far-reaching rows")
        try checkScatter(a.mapValues { Float($0) }, "stencil with far-reaching rows")
    }

    /// A uniform matrix with 4 entries per row and per output (160 000 entries) is neither dense enough for
    /// the chunked scatter nor banded: the owner-computes path, on one thread for such short rows.
    @Test func shortUniformRowsTakeOwnerComputesOnOneThread() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 40_000, columns: 40_000,
                                                                      density: 1e-4, seed: 4)
        let path = try scatterPath(a)
        #expect(path.dense == 1 && path.halo == 1 && path.ownerParts == 1 && path.cooHalo == 1, "\(path)")
        try checkScatter(a, "uniform, short rows")
    }

    /// Thirty rows of about 8000 entries over 40 000 outputs (6 per output): owner-computes on two threads,
    /// each taking its outputs' part of every row.
    @Test func longUniformRowsTakeOwnerComputesOnTwoThreads() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 40_000, density: 0.2,
                                                                      seed: 6)
        let path = try scatterPath(a)
        #expect(path.dense == 1 && path.halo == 1 && path.ownerParts == 2 && path.cooHalo == 1, "\(path)")
        try checkScatter(a, "uniform, long rows")
        try checkScatter(a.mapValues { Float($0) }, "uniform, long rows")
    }

    /// Unsorted COO entries with more than 8 MiB of x and y (524 288² Double, about 2 per row) are scanned on
    /// two threads, each keeping the outputs it owns.
    @Test func unsortedEntriesScannedInParallelWhenXAndYMissTheCaches() throws {
        let n = 1 << 19
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: n, columns: n, density: 4e-6, seed: 8)
        #expect(2 * n * 8 >= _cooParallelScanBytes && _scatterChunkCount(entries: a.storedCount, outputs: n) == 1)
        let coo = try permutedCOO(a)
        let x = seededRows(n, 1, seed: 41).map { $0[0] }, y0 = seededRows(n, 1, seed: 42).map { $0[0] }
        for op in [MatrixOperation.none, .transpose] {
            for (alpha, beta) in [(1.0, 0.0), (-0.5, 1.5)] {
                let expected = try entryLoopProduct(a, op: op, alpha: alpha, x: x, beta: beta, y0: y0)
                var results: [[Double]] = []
                for configuration in [oneThread, twoThreads] {
                    var y = beta == 0 ? [Double](repeating: .nan, count: n) : y0
                    spmv(alpha: alpha, coo, x, beta: beta, &y, op: op, configuration: configuration)
                    let wrong = y.indices.filter { !close(y[$0], expected.value[$0], expected.magnitude[$0]) }
                    let run = "\(op) α=\(alpha) β=\(beta), \(configuration.threads) threads"
                    #expect(wrong.isEmpty, "\(run): at \(wrong.prefix(4))")
                    results.append(y)
                }
                #expect(results[0] == results[1], "\(op) α=\(alpha) β=\(beta): 1 and 2 threads differ")
            }
        }
    }

    /// The halo cores are cut at ⌊a·n/m⌋ without overflow, even where a·n exceeds Int.max (a 64-bit-index
    /// matrix with billions of rows), and partition the outputs.
    @Test func haloCoresAreCutWithoutOverflow() {
        #expect(_proportion(3_000_000_000, 4_000_000_000, 5_000_000_000) == 2_400_000_000)
        #expect(_proportion(5_000_000_000, 4_000_000_000, 5_000_000_000) == 4_000_000_000)
        #expect(_proportion(7, 10, 3) == 23 && _proportion(0, 10, 3) == 0)
        let (m, n) = (5_000_000_000, 4_000_000_001)
        let cuts = [0, 1, 1_234_567_891, 4_999_999_999, m]
        let cores = zip(cuts, cuts.dropFirst()).map { _haloCore($0..<$1, slices: m, minorCount: n) }
        #expect(cores.first?.lowerBound == 0 && cores.last?.upperBound == n)
        #expect(zip(cores, cores.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    /// SpMM with one right-hand side runs the SpMV scatter with strided x and y (row-major X and Y with a
    /// leading dimension of 3): the halo scatter's strided core writes and halo sums.
    @Test func stridedHaloScatterThroughSpMM() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: 200, ny: 200)
        let n = a.rows
        let x = seededRows(n, 1, seed: 31).map { $0[0] }, y0 = seededRows(n, 1, seed: 32).map { $0[0] }
        let expected = try entryLoopProduct(a, op: .transpose, alpha: -0.5, x: x, beta: 1.5, y0: y0)
        var results: [[Double]] = []
        for configuration in [oneThread, twoThreads] {
            var xs = [Double](repeating: .nan, count: 3 * n), ys = [Double](repeating: 7, count: 3 * n)
            for i in 0..<n { xs[3 * i] = x[i]; ys[3 * i] = y0[i] }
            xs.withUnsafeBufferPointer { xp in
                ys.withUnsafeMutableBufferPointer { yp in
                    let xv = DenseMatrixView(unsafeBaseAddress: xp.baseAddress!, rows: n, columns: 1,
                                             layout: .rowMajor, leadingDimension: 3)
                    let yv = MutableDenseMatrixView(unsafeBaseAddress: yp.baseAddress!, rows: n, columns: 1,
                                                    layout: .rowMajor, leadingDimension: 3)
                    spmm(alpha: -0.5, a, xv, beta: 1.5, yv, op: .transpose, configuration: configuration)
                }
            }
            var wrong: [String] = []
            for c in 0..<n {
                if !close(ys[3 * c], expected.value[c], expected.magnitude[c]) {
                    wrong.append("Y[\(c)] = \(ys[3 * c]), expected \(expected.value[c])")
                }
                if ys[3 * c + 1] != 7 || ys[3 * c + 2] != 7 { wrong.append("Y's padding at row \(c) was written") }
            }
            #expect(wrong.isEmpty, "\(configuration.threads) threads: \(wrong.prefix(4))")
            results.append(ys)
        }
        #expect(results[0] == results[1])
    }
}
