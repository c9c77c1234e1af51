import SparseCore

// CSC stores the pattern of Aᵀ in CSR form, so its products are CSR's with the roles swapped: A·x and A·X
// scatter (chunks with partials, halos on a banded matrix, or output ranges per thread: see
// `Compressed+Scatter.swift`), Aᵀ·x and Aᵀ·X gather with the tuned row kernels of CSR.

extension CSCMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y. `op = .none` is a scatter over columns (race-free, thread-count independent);
    /// `op = .transpose` runs CSR's row kernel on the columns.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMV(op, rows, columns, x.count, y.count)
        _compressedSpMV(pattern, values, gather: op == .transpose, alpha: alpha, x: x, beta: beta, y: y,
                        configuration: configuration)
    }

    /// Y ← α·op(A)·X + β·Y, for X and Y in either layout.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        _compressedSpMM(pattern, values, gather: op == .transpose, alpha: alpha, x: x, beta: beta, y: y,
                        configuration: configuration)
    }
}
