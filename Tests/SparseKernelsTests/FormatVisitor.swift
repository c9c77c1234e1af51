import SparseCore
@testable import SparseKernels

/// Something run on a matrix of any format.
protocol MatrixVisitor {
    func visit<M: MatrixMultiplying>(_ a: M, reference: [[Double]]) throws
}

/// Builds the test matrix with entries `a` in `format`, with scalar `S` and index `I`, and visits it with
/// the dense rows of its stored values (the reference).
func visit<S: SparseScalar, I: SparseIndex>(_ format: FormatCase, _ a: [[Double]], _: S.Type, _: I.Type,
                                            _ visitor: some MatrixVisitor) throws {
    let csr: CSRMatrix<S, I> = try csrMatrix(a, S.self, I.self)
    let reference = denseRows(csr)
    func bsr(_ r: Int, _ c: Int) throws -> BlockSparseMatrix<S, I> {
        try csr.blockSparse(blockRows: r, blockColumns: c, indexType: I.self)
    }
    switch format {
    case .csr: try visitor.visit(csr, reference: reference)
    case .csc: try visitor.visit(try csr.csc(indexType: I.self), reference: reference)
    case .cooCanonical: try visitor.visit(try csr.coo(indexType: I.self), reference: reference)
    case .cooShuffled: try visitor.visit(try shuffledCOO(csr), reference: reference)
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
        try visitor.visit(csr.dense(layout: .rowMajor), reference: reference)
        try visitor.visit(csr.dense(layout: .columnMajor), reference: reference)
    }
}
