import SparseCore
@testable import SparseKernels

/// Something run on a matrix of any format.
protocol MatrixVisitor {
    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws
}

/// Builds the test matrix with entries `a` in `format`, with scalar `S` and index `I`, and visits it with
/// the dense rows of its stored values (the reference). `columns` gives the width when `a` has no rows.
func visit<S: SparseScalar, I: SparseIndex>(_ format: FormatCase, _ a: [[Double]], _: S.Type, _: I.Type,
                                            columns: Int? = nil, _ visitor: some MatrixVisitor) throws {
    let csr: CSRMatrix<S, I> = try csrMatrix(a, S.self, I.self, columns: columns)
    let reference = denseRows(csr)
    func bsr(_ r: Int, _ c: Int) throws -> BlockSparseMatrix<S, I> {
        try csr.blockSparse(blockRows: r, blockColumns: c, indexType: I.self)
    }
    switch format {
    case .csr: try visitor.visit(csr, reference: reference)
    case .csc: try visitor.visit(try csr.csc(indexType: I.self), reference: reference)
    case .cooCanonical: try visitor.visit(try csr.coo(indexType: I.self), reference: reference)
    case .cooShuffled: try visitor.visit(try shuffledCOO(csr), reference: reference)
    case .cooRowRuns: try visitor.visit(try rowRunsCOO(csr), reference: reference)
    case .bsr1x1: try visitor.visit(try bsr(1, 1), reference: reference)
    case .bsr2x2: try visitor.visit(try bsr(2, 2), reference: reference)
    case .bsr3x3: try visitor.visit(try bsr(3, 3), reference: reference)
    case .bsr4x4: try visitor.visit(try bsr(4, 4), reference: reference)
    case .bsr8x8: try visitor.visit(try bsr(8, 8), reference: reference)
    case .bsr3x5: try visitor.visit(try bsr(3, 5), reference: reference)
    case .bsr4x2: try visitor.visit(try bsr(4, 2), reference: reference)
    case .bsr5x3: try visitor.visit(try bsr(5, 3), reference: reference)
    case .bsr7x2: try visitor.visit(try bsr(7, 2), reference: reference)
    case .bsr1x4: try visitor.visit(try bsr(1, 4), reference: reference)
    case .bsr9x2: try visitor.visit(try bsr(9, 2), reference: reference)
    case .bsr2x9: try visitor.visit(try bsr(2, 9), reference: reference)
    case .dense:
        for layout in [DenseLayout.rowMajor, .columnMajor] {
            try visitor.visit(csr.dense(layout: layout), reference: reference)
            try visitor.visit(try paddedDense(reference, csr.rows, csr.columns, S.self, layout: layout),
                              reference: reference)
        }
    }
}

/// A dense m×n matrix of `a` whose leading dimension is 3 more than its rows need; the padding holds NaN, which
/// must never reach a product.
func paddedDense<S: SparseScalar>(_ a: [[Double]], _ m: Int, _ n: Int, _: S.Type,
                                  layout: DenseLayout) throws -> DenseMatrix<S> {
    let (major, minor) = layout == .rowMajor ? (m, n) : (n, m)
    let ld = Swift.max(1, minor) + 3
    var elements = [S](repeating: S(Double.nan), count: m == 0 || n == 0 ? 0 : major * ld)
    for i in 0..<m {
        for j in 0..<n { elements[layout == .rowMajor ? i * ld + j : j * ld + i] = S(a[i][j]) }
    }
    return try DenseMatrix(rows: m, columns: n, layout: layout, leadingDimension: ld, elements: elements)
}
