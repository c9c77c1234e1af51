import SparseCore
@testable import SparseKernels
import Testing

/// A shape mismatch is a precondition failure (it stops the process, naming the shapes), never a wrong
/// answer or a read past a buffer. Each case runs in a child process.
@Suite("Shape mismatches stop with a precondition failure")
struct ShapeMismatchTests {
    @Test func spmvWithShortX() async {
        await #expect(processExitsWith: .failure) {
            let a = try! CSRMatrix<Double, Int32>(rows: 2, columns: 3, rowOffsets: [0, 1, 1], columnIndices: [2],
                                                  values: [1])
            var y = [Double](repeating: 0, count: 2)
            spmv(a, [1, 2], &y)
        }
    }

    @Test func transposedSpMVWithXOfTheRowCount() async {
        await #expect(processExitsWith: .failure) {
            let a = try! CSRMatrix<Double, Int32>(rows: 2, columns: 3, rowOffsets: [0, 1, 1], columnIndices: [2],
                                                  values: [1])
            var y = [Double](repeating: 0, count: 2)
            spmv(a, [1, 2, 3], &y, op: .transpose)
        }
    }

    @Test func spmmWithYOfTheWrongWidth() async {
        await #expect(processExitsWith: .failure) {
            let a = try! BlockSparseMatrix<Float, Int32>(
                rows: 4, columns: 4, blockRows: 2, blockColumns: 2, blockRowOffsets: [0, 1, 1],
                blockColumnIndices: [1], values: [1, 2, 3, 4])
            let x = DenseMatrix<Float>(rows: 4, columns: 3)
            var y = DenseMatrix<Float>(rows: 4, columns: 2)
            spmm(a, x, &y)
        }
    }

    @Test func sugarWithXOfTheWrongHeight() async {
        await #expect(processExitsWith: .failure) {
            let a = try! COOMatrix<Double, Int64>(rows: 3, columns: 2, rowIndices: [0], columnIndices: [1],
                                                  values: [5])
            _ = a * DenseMatrix<Double>(rows: 3, columns: 4)
        }
    }

    @Test func viewWithTooSmallALeadingDimension() async {
        await #expect(processExitsWith: .failure) {
            let storage = [Double](repeating: 0, count: 12)
            storage.withUnsafeBufferPointer { p in
                _ = DenseMatrixView(unsafeBaseAddress: p.baseAddress!, rows: 3, columns: 4, layout: .rowMajor,
                                    leadingDimension: 3)
            }
        }
    }
}

/// `A * x` and `A * X` against the dense reference, for every format.
@Suite("Allocating products against a dense reference")
struct OperatorSugarTests {
    struct Check: MatrixVisitor {
        func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws {
            typealias T = M.Scalar.Arithmetic
            let k = 6
            let xValues = seededRows(a.columns, k, seed: 31).map { $0.map { Double(T($0)) } }
            let x = DenseMatrix<T>(rows: a.columns, columns: k, layout: .columnMajor) { i, j in T(xValues[i][j]) }
            let expected = referenceProduct(reference, rows: a.rows, columns: a.columns, op: .none, alpha: 1,
                                            x: xValues, beta: 0, y0: [])
            let y = a * x
            #expect(y.rows == a.rows && y.columns == k && y.layout == .rowMajor)
            let v = a * xValues.map { T($0[2]) }
            #expect(v.count == a.rows)
            var problems: [String] = []
            for i in 0..<a.rows {
                for j in 0..<k where !close(y[i, j], expected.value[i][j], expected.magnitude[i][j]) {
                    problems.append("Y[\(i), \(j)] = \(y[i, j]), expected \(expected.value[i][j])")
                }
                if !close(v[i], expected.value[i][2], expected.magnitude[i][2]) {
                    problems.append("y[\(i)] = \(v[i]), expected \(expected.value[i][2])")
                }
            }
            #expect(problems.isEmpty, "\(M.self): \(problems.prefix(4))")
        }
    }

    @Test(arguments: FormatCase.allCases)
    func products(format: FormatCase) throws {
        try visit(format, testEntries(.rect13x17), Double.self, Int32.self, Check())
        try visit(format, testEntries(.square16x24), Float.self, Int64.self, Check())
    }
}

/// A configuration that asks for Int.max threads, or for no parts per thread, still computes the product.
@Suite("Extreme kernel configurations")
struct ExtremeConfigurationTests {
    @Test func threadCounts() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 400, columns: 300, density: 0.2, seed: 3)
        let x = seededRows(300, 1, seed: 5).map { $0[0] }
        var reference = [Double](repeating: .nan, count: 400)
        spmv(a, x, &reference, configuration: .serial)
        var wide = KernelConfiguration(threads: Int.max, parallelThreshold: 1)
        for parts in [Int.max, 0, -3] {
            wide.partsPerThread = parts
            var y = [Double](repeating: .nan, count: 400)
            spmv(a, x, &y, configuration: wide)
            #expect(y == reference, "partsPerThread \(parts)")
        }
    }
}
