import SparseCore
@testable import SparseKernels
import Testing

/// A dense operand in caller-owned memory with a padded leading dimension; padding holds a sentinel that the
/// kernels must neither read into the result nor overwrite.
struct Operand<T: BinaryFloatingPoint> {
    var storage: [T]
    let rows: Int, columns: Int, layout: DenseLayout, ld: Int
    static var sentinel: T { 12345 }

    init(_ values: [[Double]], rows: Int, columns: Int, layout: DenseLayout, pad: Int, fill: T? = nil) {
        self.rows = rows
        self.columns = columns
        self.layout = layout
        ld = Swift.max(1, layout == .rowMajor ? columns : rows) + pad
        storage = [T](repeating: Self.sentinel, count: (layout == .rowMajor ? rows : columns) * ld)
        for i in 0..<rows { for j in 0..<columns { storage[offset(i, j)] = fill ?? T(values[i][j]) } }
    }

    func offset(_ i: Int, _ j: Int) -> Int { layout == .rowMajor ? i * ld + j : j * ld + i }
    subscript(i: Int, j: Int) -> T { storage[offset(i, j)] }
    var paddingIntact: Bool {
        let minor = layout == .rowMajor ? columns : rows
        return storage.indices.allSatisfy { $0 % ld < minor || storage[$0] == Self.sentinel }
    }
}

/// Y = α·op(A)·X + β·Y against the dense reference for the given k values, layouts of X and Y, and α, β
/// pairs; one thread (`serial`) against two (`parallel`), bitwise identical. Leading dimensions alternate
/// between the minimum and 3 more over the pairs and the layouts, so that each pair meets both when there
/// are several layouts.
struct SpMMCheck: MatrixVisitor {
    var ks: [Int]
    var layouts: [(DenseLayout, DenseLayout)] = [(.rowMajor, .rowMajor), (.columnMajor, .rowMajor),
                                                 (.rowMajor, .columnMajor), (.columnMajor, .columnMajor)]
    var pairs: [(Double, Double)] = alphaBetas
    var ops: [MatrixOperation] = [.none, .transpose]
    var parallel = twoThreads
    var serial = oneThread

    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
        typealias T = M.Scalar.Arithmetic
        for op in ops {
            let (om, on) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
            for k in ks {
                let xValues = seededRows(on, k, seed: UInt64(17 + k)).map { $0.map { Double(T($0)) } }
                let yValues = seededRows(om, k, seed: UInt64(29 + k)).map { $0.map { Double(T($0)) } }
                for (l, (xl, yl)) in layouts.enumerated() {
                    for (n, (alpha, beta)) in pairs.enumerated() {
                        let pad = (n + l) % 2 == 0 ? 0 : 3
                        var x = Operand<T>(xValues, rows: on, columns: k, layout: xl, pad: pad)
                        if alpha == 0 && on > 0 && k > 0 { x.storage[x.offset(on / 2, k - 1)] = .nan }
                        let fill: T? = beta == 0 ? .nan : nil
                        var y1 = Operand<T>(yValues, rows: om, columns: k, layout: yl, pad: pad, fill: fill)
                        var y2 = y1
                        run(a, op, T(alpha), &x, T(beta), &y1, serial)
                        run(a, op, T(alpha), &x, T(beta), &y2, parallel)
                        let expected = referenceProduct(reference, rows: a.rows, columns: a.columns, op: op,
                                                        alpha: alpha, x: xValues, beta: beta, y0: yValues)
                        let label = "\(M.self) \(op) k=\(k) X \(xl) Y \(yl) α=\(alpha) β=\(beta)"
                        #expect(y1.paddingIntact && y2.paddingIntact, "\(label): padding overwritten")
                        var problems: [String] = []
                        for i in 0..<om {
                            for j in 0..<k {
                                if y1[i, j] != y2[i, j] { problems.append("1 vs 2 threads differ at (\(i), \(j))") }
                                if !close(y1[i, j], expected.value[i][j], expected.magnitude[i][j]) {
                                    problems.append("Y[\(i), \(j)] = \(y1[i, j]), expected \(expected.value[i][j])")
                                }
                            }
                        }
                        #expect(problems.isEmpty, "\(label): \(problems.prefix(4))")
                    }
                }
            }
        }
    }

    func run<M: MatrixMultiplying>(_ a: M, _ op: MatrixOperation, _ alpha: M.Scalar.Arithmetic,
                                   _ x: inout Operand<M.Scalar.Arithmetic>, _ beta: M.Scalar.Arithmetic,
                                   _ y: inout Operand<M.Scalar.Arithmetic>, _ configuration: KernelConfiguration) {
        let (xr, xc, xl, xld) = (x.rows, x.columns, x.layout, x.ld)
        let (yr, yc, yl, yld) = (y.rows, y.columns, y.layout, y.ld)
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeMutableBufferPointer { yp in
                let xv = DenseMatrixView(unsafeBaseAddress: xp.baseAddress!, rows: xr, columns: xc, layout: xl,
                                         leadingDimension: xld)
                let yv = MutableDenseMatrixView(unsafeBaseAddress: yp.baseAddress!, rows: yr, columns: yc,
                                                layout: yl, leadingDimension: yld)
                spmm(alpha: alpha, a, xv, beta: beta, yv, op: op, configuration: configuration)
            }
        }
    }
}

@Suite("SpMM against a dense reference")
struct SpMMTests {
    static let ks = [0, 1, 2, 5, 9, 33]

    @Test(arguments: FormatCase.allCases, ShapeCase.allCases)
    func double32(format: FormatCase, shape: ShapeCase) throws {
        try visit(format, testEntries(shape), Double.self, Int32.self, columns: shape.shape.columns,
                  SpMMCheck(ks: Self.ks))
    }

    @Test(arguments: FormatCase.allCases, ShapeCase.allCases)
    func float64Index(format: FormatCase, shape: ShapeCase) throws {
        try visit(format, testEntries(shape), Float.self, Int64.self, columns: shape.shape.columns,
                  SpMMCheck(ks: Self.ks))
    }

    /// Every k from 1 to 33, and widths past one eight-vector register block of Float (64), for the formats
    /// with register-blocked kernels (canonical COO's Aᵀ·X runs CSR's scatter); narrow panels force the
    /// large-k panel loop. k = 47, 55 and 63 take Float's blocks of 6, 7 and 8 vectors (the last one
    /// overlapping its neighbour), and the scatter's of 5 to 7 whole vectors.
    @Test(arguments: [FormatCase.csr, .csc, .cooCanonical, .bsr2x2, .bsr3x3, .bsr4x4, .bsr4x2, .bsr3x5, .bsr5x3, .bsr7x2])
    func everyK(format: FormatCase) throws {
        let check = SpMMCheck(ks: Self.everyK, layouts: [(.rowMajor, .rowMajor)],
                              pairs: [(1.25, 0.5)], parallel: twoThreadsNarrowPanels)
        try visit(format, testEntries(.rect13x17), Double.self, Int32.self, check)
        try visit(format, testEntries(.rect13x17), Float.self, Int32.self, check)
    }

    static let everyK = Array(1...33) + [47, 55, 63, 64, 70, 129]

    /// The same k for the other formats (shuffled and row-ordered COO's runs, the other block shapes, dense), with a
    /// column-major Y, β = 0 and 64-bit indices.
    @Test(arguments: [FormatCase.cooShuffled, .cooRowRuns, .bsr1x1, .bsr8x8, .bsr1x4, .bsr9x2, .bsr2x9, .dense])
    func everyKOtherFormats(format: FormatCase) throws {
        let check = SpMMCheck(ks: Self.everyK, layouts: [(.rowMajor, .columnMajor)],
                              pairs: [(-0.75, 0)], parallel: twoThreadsNarrowPanels)
        try visit(format, testEntries(.rect13x17), Double.self, Int64.self, check)
        try visit(format, testEntries(.rect13x17), Float.self, Int64.self, check)
    }

    /// Every format's gather reads X panel by panel when X outgrows `spmmPanelBytes` (CSR's, BSR's and COO's
    /// A·X, CSC's Aᵀ·X): panels of 32 Double or 64 Float columns, here with X and Y in every layout, against
    /// the reference and, bit for bit, against one thread reading X whole.
    @Test(arguments: FormatCase.allCases)
    func panelsInEveryLayout(format: FormatCase) throws {
        let check = SpMMCheck(ks: [40, 70], pairs: [(1.25, 0.5), (1, 0)], parallel: twoThreadsNarrowPanels)
        try visit(format, testEntries(.rect13x17), Double.self, Int32.self, check)
        try visit(format, testEntries(.rect13x17), Float.self, Int64.self, check)
    }

    @Test(arguments: FormatCase.allCases)
    func largerMatrix(format: FormatCase) throws {
        var rng = SplitMix64(seed: 6)
        let a = (0..<45).map { i in (0..<38).map { j in (i * j) % 11 == 1 || rng.nextUnit() < 0.25 ? rng.nextNonzeroValue() : 0 } }
        try visit(format, a, Double.self, Int64.self, SpMMCheck(ks: [3, 16, 40]))
    }

    /// A tall matrix (about 90 entries per column): scatter products (CSR's Aᵀ·X, CSC's A·X) with small k split
    /// the matrix into chunks with partial outputs; wider k and the other formats check the same shape.
    @Test(arguments: FormatCase.allCases)
    func manyEntriesPerOutput(format: FormatCase) throws {
        var rng = SplitMix64(seed: 11)
        let a = (0..<96).map { _ in (0..<6).map { _ in rng.nextUnit() < 0.95 ? rng.nextNonzeroValue() : 0 } }
        try visit(format, a, Double.self, Int32.self, SpMMCheck(ks: [1, 2, 3, 5, 9, 17]))
        try visit(format, a, Float.self, Int64.self, SpMMCheck(ks: [2, 7]))
    }

    /// The allocating sugar agrees with the BLAS form.
    @Test func operatorSugar() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 20, density: 0.2, seed: 8)
        let x = DenseMatrix<Double>(rows: 20, columns: 6) { i, j in Double(i - j) / 3 }
        var y = DenseMatrix<Double>(rows: 30, columns: 6, layout: .columnMajor)
        spmm(a, x, &y, configuration: .serial)
        #expect(a * x == y)
    }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
@Suite("Float16 storage (arithmetic in Float)")
struct Float16StorageTests {
    @Test(arguments: FormatCase.allCases)
    func products(format: FormatCase) throws {
        try visit(format, testEntries(.rect13x17), Float16.self, Int32.self, SpMVCheck())
        try visit(format, testEntries(.square16x24), Float16.self, Int64.self, SpMMCheck(ks: [1, 3, 8, 17]))
    }
}
#endif
