import SparseCore
@testable import SparseKernels
import Testing

/// Checks y ← α·op(A)·x + β·y against the dense reference for both operations and every α, β pair, on one
/// thread and on two (bitwise identical), with NaN in y when β = 0 and NaN in x when α = 0.
struct SpMVCheck: MatrixVisitor {
    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
        typealias T = M.Scalar.Arithmetic
        for op in [MatrixOperation.none, .transpose] {
            let (om, on) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
            let x = seededRows(on, 1, seed: 11).map { T($0[0]) }
            let y0 = seededRows(om, 1, seed: 12).map { T($0[0]) }
            for (alpha, beta) in alphaBetas {
                var xIn = x
                if alpha == 0 && on > 0 { xIn[on / 2] = .nan }  // α = 0: x is not referenced
                let start = beta == 0 ? [T](repeating: .nan, count: om) : y0
                var y1 = start, y2 = start
                spmv(alpha: T(alpha), a, xIn, beta: T(beta), &y1, op: op, configuration: oneThread)
                spmv(alpha: T(alpha), a, xIn, beta: T(beta), &y2, op: op, configuration: twoThreads)
                let expected = referenceProduct(reference, rows: a.rows, columns: a.columns, op: op, alpha: alpha,
                                                x: x.map { [Double($0)] }, beta: beta, y0: y0.map { [Double($0)] })
                var problems: [String] = []
                for i in 0..<om {
                    if y1[i] != y2[i] { problems.append("1 vs 2 threads differ at \(i)") }
                    if !close(y1[i], expected.value[i][0], expected.magnitude[i][0]) {
                        problems.append("y[\(i)] = \(y1[i]), expected \(expected.value[i][0])")
                    }
                }
                #expect(problems.isEmpty, "\(M.self) \(op) α=\(alpha) β=\(beta): \(problems.prefix(4))")
            }
        }
    }
}

/// Checks that A·x and Aᵀ·x with every prefetch forced on (`spmvPrefetchBytes: 0`, 1 and 2 threads) give the
/// bits of the products with prefetching off (`bitwise`: not for dense matrices, whose OpenBLAS products may
/// change bits with the thread count), and that these match the dense reference.
struct SpMVPrefetchCheck: MatrixVisitor {
    let bitwise: Bool

    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
        typealias T = M.Scalar.Arithmetic
        for op in [MatrixOperation.none, .transpose] {
            let (om, on) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
            let x = seededRows(on, 1, seed: 10).map { T($0[0]) }
            let expected = referenceProduct(reference, rows: a.rows, columns: a.columns, op: op, alpha: 1,
                                            x: x.map { [Double($0)] }, beta: 0,
                                            y0: [[Double]](repeating: [0], count: om))
            var plain = [T](repeating: .nan, count: om)
            spmv(a, x, &plain, op: op, configuration: KernelConfiguration(threads: 1, spmvPrefetchBytes: .max))
            for threads in [1, 2] {
                let c = KernelConfiguration(threads: threads, parallelThreshold: 1, spmvPrefetchBytes: 0)
                var y = [T](repeating: .nan, count: om)
                spmv(a, x, &y, op: op, configuration: c)
                #expect(!bitwise || y == plain, "\(M.self) \(op), \(threads) threads: prefetching changed the result")
                var wrong: [String] = []
                for i in 0..<om where !close(y[i], expected.value[i][0], expected.magnitude[i][0]) {
                    wrong.append("y[\(i)] = \(y[i]), expected \(expected.value[i][0])")
                }
                #expect(wrong.isEmpty, "\(M.self) \(op), \(threads) threads: \(wrong.prefix(4))")
            }
        }
    }
}

@Suite("SpMV against a dense reference")
struct SpMVTests {
    @Test(arguments: FormatCase.allCases, ShapeCase.allCases)
    func double32(format: FormatCase, shape: ShapeCase) throws {
        try visit(format, testEntries(shape), Double.self, Int32.self, columns: shape.shape.columns, SpMVCheck())
    }

    @Test(arguments: FormatCase.allCases, ShapeCase.allCases)
    func float64Index(format: FormatCase, shape: ShapeCase) throws {
        try visit(format, testEntries(shape), Float.self, Int64.self, columns: shape.shape.columns, SpMVCheck())
    }

    @Test(arguments: FormatCase.allCases)
    func floatInt32AndDoubleInt64(format: FormatCase) throws {
        try visit(format, testEntries(.rect13x17), Float.self, Int32.self, SpMVCheck())
        try visit(format, testEntries(.rect13x17), Double.self, Int64.self, SpMVCheck())
    }

    /// Long rows reach the two-vector main loop and the remainder paths of the row kernel; many rows make the
    /// two-thread partition split inside the matrix.
    @Test(arguments: FormatCase.allCases)
    func largerMatrix(format: FormatCase) throws {
        var rng = SplitMix64(seed: 5)
        let a = (0..<61).map { i in (0..<53).map { j in (i + j) % 9 == 0 || rng.nextUnit() < 0.3 ? rng.nextNonzeroValue() : 0 } }
        try visit(format, a, Double.self, Int32.self, SpMVCheck())
        try visit(format, a, Float.self, Int32.self, SpMVCheck())
    }

    /// The prefetching kernels (forced with `spmvPrefetchBytes: 0`; by default only matrices larger than 1 MiB
    /// use them) give the same bits as the plain ones, on 1 and 2 threads, and match the dense reference, for
    /// every format and both operations (the CSR/CSC row loop, BSR's block loops, the chunked scatter, COO's
    /// runs). Rows of 0 to about 150 entries reach every remainder path and prefetch past the row and the
    /// arrays; rows of 0 to 9 entries (a stencil's) never fill a block of a cache line's entries, so only the
    /// per-row catch-up prefetches them.
    @Test(arguments: FormatCase.allCases)
    func prefetchingKernels(format: FormatCase) throws {
        var rng = SplitMix64(seed: 9)
        let long = (0..<40).map { i in
            (0..<300).map { _ in rng.nextUnit() < Double(i % 5) / 8 ? rng.nextNonzeroValue() : 0 }
        }
        let short = (0..<97).map { i in (0..<90).map { j in (j &* 7 &+ i) % 90 < i % 10 ? rng.nextNonzeroValue() : 0 } }
        for dense in [long, short] {
            let check = SpMVPrefetchCheck(bitwise: format != .dense)
            try visit(format, dense, Double.self, Int32.self, check)
            try visit(format, dense, Float.self, Int32.self, check)
            try visit(format, dense, Float.self, Int64.self, check)
        }
    }

    /// The Float32 row loop prefetches towards L2 once x is larger than 32 KiB, and gives the same bits as
    /// without prefetching: a 30 × 9000 matrix (x 36 KB), on 1 and 2 threads, and its rule by hand.
    @Test func prefetchTowardsL2() throws {
        #expect(_spmvPrefetchesTowardsL2(Double.self, xCount: 1))
        #expect(!_spmvPrefetchesTowardsL2(Float.self, xCount: 8192))  // 32 KiB exactly
        #expect(_spmvPrefetchesTowardsL2(Float.self, xCount: 8193))
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        #expect(!_spmvPrefetchesTowardsL2(Float16.self, xCount: 8192))  // x in Float: 32 KiB
        #endif
        let a: CSRMatrix<Float, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 9000, density: 0.05, seed: 5)
        let x = (0..<9000).map { Float($0 % 17) - 8 }
        var plain = [Float](repeating: .nan, count: 30)
        spmv(alpha: 1.5, a, x, &plain, configuration: .serial)
        for threads in [1, 2] {
            var y = [Float](repeating: .nan, count: 30)
            let c = KernelConfiguration(threads: threads, parallelThreshold: 1, spmvPrefetchBytes: 0)
            spmv(alpha: 1.5, a, x, &y, configuration: c)
            #expect(y == plain, "\(threads) threads")
        }
        for i in 0..<30 {
            let expected = 1.5 * (0..<9000).reduce(0.0) { $0 + Double(a[i, $1]) * Double(x[$1]) }
            #expect(abs(Double(plain[i]) - expected) <= 1e-4 * Swift.max(1, abs(expected)), "row \(i)")
        }
    }

    /// op = .transpose gives the product of the explicitly transposed matrix.
    @Test func transposeMatchesTransposedMatrix() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 120, columns: 80, density: 0.1, seed: 3)
        let x = seededRows(120, 1, seed: 4).map { $0[0] }
        var y1 = [Double](repeating: 0, count: 80), y2 = y1, y3 = y1
        spmv(a, x, &y1, op: .transpose, configuration: twoThreads)
        spmv(a.transposed(), x, &y2, configuration: twoThreads)
        spmv(try a.csc(), x, &y3, op: .transpose, configuration: twoThreads)
        for i in 0..<80 {
            #expect(abs(y1[i] - y2[i]) <= 1e-13 * (1 + abs(y2[i])))
            #expect(y3[i] == y2[i], "CSC Aᵀ·x runs CSR's row kernel on the same pattern: bitwise equal")
        }
    }

    /// The allocating sugar agrees with the BLAS form.
    @Test func operatorSugar() throws {
        let a: CSRMatrix<Float, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 20, density: 0.2, seed: 8)
        let x = (0..<20).map { Float($0) / 7 }
        var y = [Float](repeating: 0, count: 30)
        spmv(a, x, &y, configuration: .serial)
        #expect(a * x == y)
    }
}

@Suite("Row partition")
struct RowPartitionTests {
    @Test(arguments: [1, 2, 3, 7])
    func coversEveryRowOnceAndBalances(parts: Int) {
        // Rows of very different lengths: 0, 1, …, 99 entries.
        var offsets: [Int32] = [0]
        for i in 0..<100 { offsets.append(offsets.last! + Int32(i)) }
        offsets.withUnsafeBufferPointer { o in
            let p = RowPartition(offsets: o.baseAddress!, sliceCount: 100, parts: parts, sliceCost: 2)
            var next = 0
            var costs: [Int] = []
            for t in 0..<parts {
                let r = p.range(t)
                #expect(r.lowerBound == next)
                next = r.upperBound
                costs.append(Int(o[r.upperBound] - o[r.lowerBound]) + 2 * r.count)
            }
            #expect(next == 100)
            let total = costs.reduce(0, +)
            // Each part is within one row (at most 99 + 2) of an equal share.
            for c in costs { #expect(abs(c - total / parts) <= 101) }
        }
    }
}
