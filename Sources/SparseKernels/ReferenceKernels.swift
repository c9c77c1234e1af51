import SparseCore

// Straightforward products over `forEachStoredEntry`: slow, single-threaded and obviously correct, for users
// who want a reference for their own kernels or formats. The library's tests and sparse-bench keep their own
// references, independent of this module; no conformance uses these.

extension MatrixStorage {
    /// y ← α·op(A)·x + β·y, one entry at a time, single-threaded.
    @inlinable
    public func referenceMultiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic,
                                  x: UnsafeBufferPointer<Scalar.Arithmetic>, beta: Scalar.Arithmetic,
                                  y: UnsafeMutableBufferPointer<Scalar.Arithmetic>)
    {
        _checkSpMV(op, rows, columns, x.count, y.count)
        for i in 0..<y.count { y[i] = beta == 0 ? 0 : beta * y[i] }
        forEachStoredEntry { i, j, v in
            let (r, c) = op == .none ? (i, j) : (j, i)
            y[r] += alpha * v.arithmetic * x[c]
        }
    }

    /// Y ← α·op(A)·X + β·Y, one entry at a time, single-threaded.
    @inlinable
    public func referenceMultiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic,
                                  x: DenseMatrixView<Scalar.Arithmetic>, beta: Scalar.Arithmetic,
                                  y: MutableDenseMatrixView<Scalar.Arithmetic>)
    {
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        for i in 0..<y.rows { for k in 0..<y.columns { y[i, k] = beta == 0 ? 0 : beta * y[i, k] } }
        forEachStoredEntry { i, j, v in
            let (r, c) = op == .none ? (i, j) : (j, i)
            let av = alpha * v.arithmetic
            for k in 0..<y.columns { y[r, k] += av * x[c, k] }
        }
    }
}
