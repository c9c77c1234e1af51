import SparseCore
@testable import SparseKernels
import Testing

/// A row-major dense block in memory of its own whose first element lies `offset` elements past a 64-byte line
/// (a Swift array's elements usually do not start on a line).
final class PlacedBlock<T: BinaryFloatingPoint> {
    let raw: UnsafeMutableRawPointer
    let base: UnsafeMutablePointer<T>
    let rows: Int, columns: Int, ld: Int

    init(_ values: [[Double]], ld: Int, offset: Int) {
        rows = values.count
        columns = values.first?.count ?? 0
        self.ld = ld
        let count = offset + Swift.max(1, rows * ld)
        raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
        base = raw.bindMemory(to: T.self, capacity: count) + offset
        base.initialize(repeating: 0, count: Swift.max(1, rows * ld))
        for i in 0..<rows { for j in 0..<columns { base[i * ld + j] = T(values[i][j]) } }
    }

    deinit { raw.deallocate() }

    var view: DenseMatrixView<T> {
        DenseMatrixView(unsafeBaseAddress: UnsafePointer(base), rows: rows, columns: columns, layout: .rowMajor,
                        leadingDimension: ld)
    }
    var mutableView: MutableDenseMatrixView<T> {
        MutableDenseMatrixView(unsafeBaseAddress: base, rows: rows, columns: columns, layout: .rowMajor,
                               leadingDimension: ld)
    }
    subscript(i: Int, j: Int) -> T { base[i * ld + j] }
}

@Suite("SpMM reads a misaligned X from a line-aligned copy")
struct AlignedCopyTests {
    /// Average cache lines per row, counted by hand over the offsets the rows start at.
    @Test func linesPerRow() {
        // 256-byte rows: 4 lines on a line boundary, 5 when 8 bytes off it.
        #expect(_linesPerRow(offset: 0, rowBytes: 256, strideBytes: 256) == 4)
        #expect(_linesPerRow(offset: 8, rowBytes: 256, strideBytes: 256) == 5)
        // 40-byte rows packed densely start at 0, 40, 16, 56, 32, 8, 48, 24: lines 1, 2, 1, 2, 2, 1, 2, 1.
        #expect(_linesPerRow(offset: 0, rowBytes: 40, strideBytes: 40) == 1.5)
        // 96-byte rows start at 0 and 32: 2 lines each.
        #expect(_linesPerRow(offset: 0, rowBytes: 96, strideBytes: 96) == 2)
        #expect(_linesPerRow(offset: 16, rowBytes: 64, strideBytes: 64) == 2)
        #expect(_linesPerRow(offset: 0, rowBytes: 0, strideBytes: 64) == 0)
    }

    /// Rows are padded to whole lines only when that makes them touch fewer, and the copy fits the budget.
    @Test func packedLeadingDimension() {
        #expect(_packedLeadingDimension(5, stride: 8, rows: 100, budget: 6400) == 8)
        #expect(_packedLeadingDimension(5, stride: 8, rows: 100, budget: 6399) == 5)
        #expect(_packedLeadingDimension(5, stride: 8, rows: 1, budget: .max) == 8)  // 40 B: 1.5 lines → 1
        #expect(_packedLeadingDimension(6, stride: 8, rows: 1, budget: .max) == 8)  // 48 B: 1.5 lines → 1
        #expect(_packedLeadingDimension(3, stride: 8, rows: 1, budget: .max) == 8)  // 24 B: 1.25 lines → 1
        #expect(_packedLeadingDimension(12, stride: 4, rows: 1, budget: .max) == 16)  // 48 B → 64 B
        #expect(_packedLeadingDimension(8, stride: 8, rows: 1, budget: .max) == 8)  // already one line
        #expect(_packedLeadingDimension(32, stride: 8, rows: 1, budget: .max) == 32)
        #expect(_packedLeadingDimension(12, stride: 8, rows: 1, budget: .max) == 12)  // 96 B: 2 lines either way
        #expect(_packedLeadingDimension(20, stride: 4, rows: 1, budget: .max) == 20)  // 80 B: 2 lines either way
        #expect(_packedLeadingDimension(1, stride: 8, rows: 1, budget: .max) == 1)
    }

    /// The copy is made only for an X larger than `spmmAlignedCopyBytes` (default 1 MiB) and within
    /// `spmmPanelBytes`, whose rows straddle more lines than a copy's, read at least 32 times a row on average.
    @Test func whenTheCopyPays() {
        let n = 4096, k = 40  // 1.31 MB of Double; 320-byte rows, exactly 5 lines when aligned
        let rows = [[Double]](repeating: [Double](repeating: 1, count: k), count: n)
        let aligned = PlacedBlock<Double>(rows, ld: k, offset: 0)
        let off = PlacedBlock<Double>(rows, ld: k, offset: 1)
        let c = KernelConfiguration()
        #expect(!_alignedCopyPays(aligned.view, gatheredRows: 32 * n, configuration: c))
        #expect(_alignedCopyPays(off.view, gatheredRows: 32 * n, configuration: c))
        #expect(!_alignedCopyPays(off.view, gatheredRows: 32 * n - 1, configuration: c))
        #expect(!_alignedCopyPays(off.view, gatheredRows: 32 * n, configuration: KernelConfiguration(spmmPanelBytes: 1 << 20)))
        #expect(!_alignedCopyPays(off.view, gatheredRows: 32 * n, configuration: KernelConfiguration(spmmAlignedCopyBytes: .max)))
        // A leading dimension of 41 Doubles (328 bytes) makes aligned rows straddle too.
        let padded = PlacedBlock<Double>(rows, ld: k + 1, offset: 0)
        #expect(_alignedCopyPays(padded.view, gatheredRows: 32 * n, configuration: c))
        // Below 1 MiB (16 columns: 512 KB) X is left in place, unless the threshold is lowered.
        let small = PlacedBlock<Double>(rows.map { Array($0.prefix(16)) }, ld: 16, offset: 1)
        #expect(!_alignedCopyPays(small.view, gatheredRows: 32 * n, configuration: c))
        #expect(_alignedCopyPays(small.view, gatheredRows: 32 * n, configuration: KernelConfiguration(spmmAlignedCopyBytes: 0)))
    }

    /// CSR, COO and BSR A·X and CSC Aᵀ·X from an X one element off a line (copied) equal the same products from
    /// an aligned X (read in place) bit for bit, and a plain loop over the dense matrix to rounding (α = 2 over
    /// a NaN Y with β = 0, and α = −1.5, β = 0.5).
    @Test(arguments: [FormatCase.csr, .csc, .cooCanonical, .cooShuffled, .bsr4x4, .bsr3x5])
    func misalignedX(format: FormatCase) throws {
        var rng = SplitMix64(seed: 41)
        // 160 × 256 at one half: each of the 256 rows of X is read about 80 times by CSR, 40 times (one per
        // block row) by BSR 4×4. The copy threshold is lowered to 0 bytes so that a small X takes it.
        let m = 160, n = 256
        let a = (0..<m).map { _ in (0..<n).map { _ in rng.nextUnit() < 0.5 ? rng.nextNonzeroValue() : 0 } }
        // CSC's gather product is Aᵀ·X: store the transpose, so that X again has n rows.
        let stored = format == .csc ? (0..<n).map { j in (0..<m).map { a[$0][j] } } : a
        let check = AlignedCopyCheck(op: format == .csc ? .transpose : .none)
        try visit(format, stored, Double.self, Int32.self, check)
        try visit(format, stored, Float.self, Int32.self, check)
    }
}

struct AlignedCopyCheck: MatrixVisitor {
    let op: MatrixOperation

    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
        typealias T = M.Scalar.Arithmetic
        let (om, on) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        // 320- or 288-byte rows (40 Double or 72 Float columns): 5 lines from a line boundary, more from one
        // element past it.
        let k = MemoryLayout<T>.stride == 8 ? 40 : 72
        let xValues = seededRows(on, k, seed: 5).map { $0.map { Double(T($0)) } }
        let gathered: Int
        if let b = a as? BlockSparseMatrix<M.Scalar, Int32> {
            gathered = b.blockCount * b.blockColumns
        } else {
            gathered = a.storedCount
        }
        let off = PlacedBlock<T>(xValues, ld: k, offset: 1)
        let aligned = PlacedBlock<T>(xValues, ld: k, offset: 0)
        // The point of the test: the misaligned X takes the copy, the aligned one is read in place.
        let copying = [oneThread, twoThreads].map {
            var c = $0
            c.spmmAlignedCopyBytes = 0
            return c
        }
        #expect(_alignedCopyPays(off.view, gatheredRows: gathered, configuration: copying[0]), "\(M.self): no copy")
        #expect(!_alignedCopyPays(aligned.view, gatheredRows: gathered, configuration: copying[0]), "\(M.self): copy")

        // A plain loop over the dense rows: only the non-zero terms, in column order.
        var expected = [[Double]](repeating: [Double](repeating: 0, count: k), count: om)
        var magnitude = expected
        for i in 0..<reference.count {
            for p in 0..<reference[i].count where reference[i][p] != 0 {
                let (row, column) = op == .none ? (i, p) : (p, i)
                for j in 0..<k {
                    expected[row][j] += reference[i][p] * xValues[column][j]
                    magnitude[row][j] += abs(reference[i][p] * xValues[column][j])
                }
            }
        }
        let y0 = seededRows(om, k, seed: 6).map { $0.map { Double(T($0)) } }
        let nan = [[Double]](repeating: [Double](repeating: .nan, count: k), count: om)
        for configuration in copying {
            for (alpha, beta) in [(2.0, 0.0), (-1.5, 0.5)] {
                let start = beta == 0 ? nan : y0
                let y1 = PlacedBlock<T>(start, ld: k, offset: 0), y2 = PlacedBlock<T>(start, ld: k, offset: 0)
                spmm(alpha: T(alpha), a, off.view, beta: T(beta), y1.mutableView, op: op, configuration: configuration)
                spmm(alpha: T(alpha), a, aligned.view, beta: T(beta), y2.mutableView, op: op,
                     configuration: configuration)
                var problems: [String] = []
                for i in 0..<om {
                    for j in 0..<k {
                        if y1[i, j] != y2[i, j] {
                            problems.append("copied \(y1[i, j]) ≠ in place \(y2[i, j]) at (\(i), \(j))")
                        }
                        let want = alpha * expected[i][j] + beta * y0[i][j]
                        let size = abs(alpha) * magnitude[i][j] + abs(beta * y0[i][j])
                        if !close(y1[i, j], want, size) {
                            problems.append("Y[\(i), \(j)] = \(y1[i, j]), expected \(want)")
                        }
                    }
                }
                let run = "\(M.self) \(op) α=\(alpha) β=\(beta) threads \(configuration.threads)"
                #expect(problems.isEmpty, "\(run): \(problems.prefix(4))")
            }
        }
    }
}

@Suite("SpMM with X larger than L2 (prefetching)")
struct PrefetchingSpMMTests {
    /// Products whose X (4096 rows, 1.3 MB or 1.2 MB) is larger than the prefetch threshold, on a matrix with
    /// empty rows and short ones, so that prefetching runs on past the ends of rows and of parts: the same as a
    /// plain loop over the dense matrix, and on 1 and 2 threads bit for bit.
    @Test(arguments: [FormatCase.csr, .cooCanonical, .cooShuffled, .bsr4x4, .bsr3x5])
    func prefetching(format: FormatCase) throws {
        var rng = SplitMix64(seed: 43)
        let m = 45, n = 4096
        let a = (0..<m).map { i in
            (0..<n).map { _ in i % 7 == 3 ? 0 : rng.nextUnit() < 0.004 * Double(i % 5 + 1) ? rng.nextNonzeroValue() : 0 }
        }
        #expect(n * 40 * 8 > _prefetchThresholdBytes && n * 72 * 4 > _prefetchThresholdBytes)
        try visit(format, a, Double.self, Int32.self, PrefetchCheck())
        try visit(format, a, Float.self, Int64.self, PrefetchCheck())
    }

    /// The other prefetching register blocks, on 50000 columns so that X is larger than the threshold from
    /// k = 3 (Double) or 6 (Float): the blocks of fewer than four vectors and the overlapping pairs of
    /// `_spmmPair` (Double k = 3, Float k = 6 and 7), each on a scattered pattern (the far prefetch) and on one
    /// of runs of four neighbouring columns (the near one alone, `_Prefetching`).
    @Test(arguments: [FormatCase.csr, .cooCanonical])
    func narrowBlocksAndNeighbouringColumns(format: FormatCase) throws {
        var rng = SplitMix64(seed: 47)
        let m = 24, n = 50000
        var scattered = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
        var runs = scattered
        for i in 0..<m where i % 7 != 3 {
            for _ in 0..<(40 + 10 * (i % 4)) { scattered[i][Int(rng.next() % UInt64(n))] = rng.nextNonzeroValue() }
            for _ in 0..<12 {
                let j = Int(rng.next() % UInt64(n / 4)) * 4
                for c in j..<(j + 4) { runs[i][c] = rng.nextNonzeroValue() }
            }
        }
        #expect(n * 3 * 8 > _prefetchThresholdBytes && n * 6 * 4 > _prefetchThresholdBytes)
        for a in [scattered, runs] {
            try visit(format, a, Double.self, Int32.self, PrefetchCheck(ks: [3, 5, 6, 7, 12, 40]))
            try visit(format, a, Float.self, Int64.self, PrefetchCheck(ks: [6, 7, 12, 20, 72]))
        }
        let flags = try [scattered, runs].map { a in
            try csrMatrix(a, Double.self, Int32.self).pattern.indices.withUnsafeBufferPointer {
                _scatteredGather($0.baseAddress!, entries: $0.count)
            }
        }
        #expect(flags == [true, false])
    }

    /// The far X-row prefetch's test of the pattern: scattered for a uniform pattern, not for dense 4×4
    /// blocks (three in four consecutive entries one column apart) or a 5-point stencil (two in five), nor for
    /// fewer than two entries.
    @Test func scatteredGather() throws {
        func scattered(_ a: CSRMatrix<Double, Int32>) -> Bool {
            a.pattern.indices.withUnsafeBufferPointer { _scatteredGather($0.baseAddress!, entries: $0.count) }
        }
        #expect(scattered(try MatrixGenerator.uniform(rows: 2000, columns: 2000, density: 0.01, seed: 3)))
        #expect(!scattered(try MatrixGenerator.blocks(rows: 2000, columns: 2000, blockRows: 4, blockColumns: 4,
                                                      blockDensity: 0.01, seed: 3)))
        #expect(!scattered(try MatrixGenerator.stencil2D(nx: 60, ny: 60)))
        let one = try CSRMatrix<Double, Int32>(rows: 1, columns: 3, rowOffsets: [0, 1], columnIndices: [2], values: [1])
        #expect(!scattered(one))
    }
}

/// Y = A·X (β = 0, NaN in Y) against a loop over the dense matrix, one thread against two bit for bit, for
/// each k of `ks` (default: 40 for Double, 72 for Float).
struct PrefetchCheck: MatrixVisitor {
    var ks: [Int]? = nil

    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
        typealias T = M.Scalar.Arithmetic
        for k in ks ?? [MemoryLayout<T>.stride == 8 ? 40 : 72] { check(a, reference: reference, k: k) }
    }

    func check<M: MatrixMultiplying>(_ a: M, reference: [[Double]], k: Int) {
        typealias T = M.Scalar.Arithmetic
        let xValues = seededRows(a.columns, k, seed: 9).map { $0.map { Double(T($0)) } }
        let x = PlacedBlock<T>(xValues, ld: k, offset: 0)
        var expected = [[Double]](repeating: [Double](repeating: 0, count: k), count: a.rows)
        var magnitude = expected
        for i in 0..<a.rows {
            for p in 0..<a.columns where reference[i][p] != 0 {
                for j in 0..<k {
                    expected[i][j] += reference[i][p] * xValues[p][j]
                    magnitude[i][j] += abs(reference[i][p] * xValues[p][j])
                }
            }
        }
        let nan = [[Double]](repeating: [Double](repeating: .nan, count: k), count: a.rows)
        let y1 = PlacedBlock<T>(nan, ld: k, offset: 0), y2 = PlacedBlock<T>(nan, ld: k, offset: 0)
        spmm(alpha: 1, a, x.view, beta: 0, y1.mutableView, configuration: oneThread)
        spmm(alpha: 1, a, x.view, beta: 0, y2.mutableView, configuration: twoThreads)
        var problems: [String] = []
        for i in 0..<a.rows {
            for j in 0..<k {
                if y1[i, j] != y2[i, j] { problems.append("1 vs 2 threads differ at (\(i), \(j))") }
                if !close(y1[i, j], expected[i][j], magnitude[i][j]) {
                    problems.append("Y[\(i), \(j)] = \(y1[i, j]), expected \(expected[i][j])")
                }
            }
        }
        #expect(problems.isEmpty, "\(M.self) k=\(k): \(problems.prefix(4))")
    }
}
