import CBLAS
import SparseCore

// Dense products through OpenBLAS: cblas_dgemv / cblas_sgemv for y ← α·op(A)·x + β·y and cblas_dgemm /
// cblas_sgemm for Y ← α·op(A)·X + β·Y, any combination of layouts expressed through BLAS's order and
// transpose flags (no copies). Scalars other than Float and Double, and shapes whose sizes do not fit BLAS's
// integer, use a plain loop.
//
// BLAS semantics are enforced here rather than trusted to the library: with α = 0, or an empty inner
// dimension, y is only scaled by β (reference BLAS returns early without scaling when the inner dimension is
// 0); with β = 0, y is zeroed first so that NaN in it never leaks whatever the BLAS build does with 0·NaN.
//
// Threads: OpenBLAS keeps a process-wide thread count. A product sets it to the configuration's threads (1 below
// the parallel threshold) when it differs. Results may then depend on the thread count (OpenBLAS splits sums
// for some shapes); the sparse kernels' bitwise guarantee does not extend to dense products.

extension DenseMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y (OpenBLAS gemv for Float and Double).
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMV(op, rows, columns, x.count, y.count)
        guard let yp = y.baseAddress, y.count > 0 else { return }
        let inner = op == .none ? columns : rows
        if alpha == 0 || inner == 0 { return _scale(yp, count: y.count, stride: 1, by: beta) }
        if beta == 0 { yp.initialize(repeating: 0, count: y.count) }
        let xp = x.baseAddress!
        let order = layout == .rowMajor ? CblasRowMajor : CblasColMajor
        let trans = op == .none ? CblasNoTrans : CblasTrans
        let blas = _fitsBLAS(rows, columns, leadingDimension)
        elements.withUnsafeBufferPointer { a in
            let ap = a.baseAddress!
            if blas && Scalar.self == Double.self {
                _setBLASThreads(configuration, work: rows &* columns)
                cblas_dgemv(order, trans, blasint(rows), blasint(columns), _cast(alpha), _cast(ap), blasint(leadingDimension),
                            _cast(xp), 1, _cast(beta), _cast(yp), 1)
            } else if blas && Scalar.self == Float.self {
                _setBLASThreads(configuration, work: rows &* columns)
                cblas_sgemv(order, trans, blasint(rows), blasint(columns), _cast(alpha), _cast(ap), blasint(leadingDimension),
                            _cast(xp), 1, _cast(beta), _cast(yp), 1)
            } else {
                let ld = leadingDimension, rowMajor = layout == .rowMajor
                for i in 0..<y.count {
                    var s = Scalar.Arithmetic.zero
                    for j in 0..<inner {
                        let (r, c) = op == .none ? (i, j) : (j, i)
                        s += ap[rowMajor ? r &* ld &+ c : c &* ld &+ r].arithmetic * xp[j]
                    }
                    _finish(yp + i, s, alpha, beta)
                }
            }
        }
    }

    /// Y ← α·op(A)·X + β·Y (OpenBLAS gemm for Float and Double), X and Y in any layouts.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        if y.rows == 0 || y.columns == 0 { return }
        let inner = x.rows
        if alpha == 0 || inner == 0 { return _scale(y, by: beta) }
        if beta == 0 { _scale(y, by: 0) }
        let order = y.layout == .rowMajor ? CblasRowMajor : CblasColMajor
        // Relative to Y's order, a matrix stored in the other layout is its own transpose.
        let transA = (layout != y.layout) != (op == .transpose) ? CblasTrans : CblasNoTrans
        let transX = x.layout != y.layout ? CblasTrans : CblasNoTrans
        let blas = _fitsBLAS(rows, columns, leadingDimension) && _fitsBLAS(x.rows, x.columns, x.leadingDimension)
            && _fitsBLAS(y.rows, y.columns, y.leadingDimension)
        elements.withUnsafeBufferPointer { a in
            let ap = a.baseAddress!
            let (m, n) = (y.rows, y.columns)
            if blas && Scalar.self == Double.self {
                _setBLASThreads(configuration, work: m &* n &* inner)
                cblas_dgemm(order, transA, transX, blasint(m), blasint(n), blasint(inner), _cast(alpha), _cast(ap),
                            blasint(leadingDimension), _cast(x.baseAddress), blasint(x.leadingDimension), _cast(beta),
                            _cast(y.baseAddress), blasint(y.leadingDimension))
            } else if blas && Scalar.self == Float.self {
                _setBLASThreads(configuration, work: m &* n &* inner)
                cblas_sgemm(order, transA, transX, blasint(m), blasint(n), blasint(inner), _cast(alpha), _cast(ap),
                            blasint(leadingDimension), _cast(x.baseAddress), blasint(x.leadingDimension), _cast(beta),
                            _cast(y.baseAddress), blasint(y.leadingDimension))
            } else {
                let ld = leadingDimension, rowMajor = layout == .rowMajor
                for i in 0..<m {
                    for j in 0..<n {
                        var s = Scalar.Arithmetic.zero
                        for p in 0..<inner {
                            let (r, c) = op == .none ? (i, p) : (p, i)
                            s += ap[rowMajor ? r &* ld &+ c : c &* ld &+ r].arithmetic * x[p, j]
                        }
                        y[i, j] = beta == 0 ? alpha * s : alpha * s + beta * y[i, j]
                    }
                }
            }
        }
    }
}

/// Whether a matrix's sizes fit BLAS's integer type.
@inlinable
func _fitsBLAS(_ rows: Int, _ columns: Int, _ ld: Int) -> Bool {
    let limit = Int(blasint.max)
    return rows <= limit && columns <= limit && ld <= limit
}

/// Sets OpenBLAS's (process-wide) thread count for a product of `work` multiply-adds: at most the online
/// cores, since OpenBLAS gives each thread its own buffers (1024 threads stalled it under a memory limit).
@inlinable
func _setBLASThreads(_ configuration: KernelConfiguration, work: Int) {
    let threads = Swift.min(configuration.threads, KernelConfiguration.availableCores)
    let wanted = Int32(truncatingIfNeeded: work < configuration.parallelThreshold ? 1 : threads)
    if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
}

/// Reinterprets a value of a type known (by the caller's check) to be `U`.
@inlinable @inline(__always)
func _cast<T, U>(_ value: T) -> U { unsafeBitCast(value, to: U.self) }

/// Reinterprets a pointer to a type known (by the caller's check) to be `U`.
@inlinable @inline(__always)
func _cast<T, U>(_ p: UnsafePointer<T>) -> UnsafePointer<U> { UnsafeRawPointer(p).assumingMemoryBound(to: U.self) }

/// Reinterprets a mutable pointer to a type known (by the caller's check) to be `U`.
@inlinable @inline(__always)
func _cast<T, U>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: U.self)
}
