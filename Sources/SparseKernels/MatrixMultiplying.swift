import SparseCore

/// A matrix that multiplies dense vectors and blocks in BLAS form, writing into caller-owned storage:
///
///     y ← α·op(A)·x + β·y          (SpMV)
///     Y ← α·op(A)·X + β·Y          (SpMM: X holds k right-hand sides as columns)
///
/// with op(A) = A or Aᵀ. Every format conforms: CSR, CSC, COO, block-sparse (BSR) and dense.
///
/// ## Semantics
/// - Vectors and blocks are in `Scalar.Arithmetic`, the type kernels compute in (a `Float16` matrix
///   multiplies `Float` vectors).
/// - BLAS rules for α and β: when β = 0, y is overwritten and NaN or garbage in it never reaches the result;
///   when α = 0, A and x are not read and y ← β·y.
/// - Shapes must agree (`x.count == op(A).columns`, `y.count == op(A).rows`, X and Y with as many columns as
///   each other). A mismatch is a precondition failure naming both shapes, never a wrong answer.
/// - X and Y may each be row-major or column-major with any leading dimension; nothing outside their
///   `rows × columns` elements is read or written. The user's data is never copied to satisfy a layout,
///   except where a packed internal copy measured faster (the kernels say where: a column-major X, or a row-major
///   X larger than ``KernelConfiguration/spmmPanelBytes``, is packed into row-major panels; scatter products
///   with a column-major Y write a row-major scratch block and add it in).
///
/// ## Threads and reproducibility
/// Products run on up to ``KernelConfiguration/threads`` threads once their work passes
/// ``KernelConfiguration/parallelThreshold``. The result does not depend on the thread count, bit for bit:
/// - A·x, A·X (CSR, BSR, COO sorted by row) and Aᵀ·x, Aᵀ·X on CSC: each output row belongs to one thread, rows
///   shared out by stored entries, and a row's arithmetic is the same whichever thread runs it.
/// - Scatter products (CSR Aᵀ, CSC A, BSR Aᵀ, COO): either each thread owns a range of outputs and adds their
///   terms in storage order, or (many entries per output: SpMV, and SpMM with few right-hand sides) the matrix
///   is cut into chunks fixed by the matrix alone, each summed into its own partial vector or block, and the
///   partials are added in chunk order.
/// - Dense products call OpenBLAS, whose results may depend on its thread count.
///
/// `op = .transpose` gives the product of the transposed matrix — the same terms — but summed in a different
/// order than the untransposed kernel applied to `transposed()`, so the two agree to rounding, not bitwise.
///
/// ## Speed
/// The kernels are `@inlinable` generics, compiled in the caller's module: build with
/// `-Xswiftc -target-cpu -Xswiftc native` (or an explicit AVX2/FMA target) to get 256-bit vectors; the baseline
/// x86-64 target runs the same code with 128-bit vectors.
public protocol MatrixMultiplying: MatrixStorage {
    /// y ← α·op(A)·x + β·y.
    func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                  beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                  configuration: KernelConfiguration)

    /// Y ← α·op(A)·X + β·Y, for X and Y in either layout.
    func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                  beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                  configuration: KernelConfiguration)
}

// MARK: - Shape checks

@inlinable
func _checkSpMV(_ op: MatrixOperation, _ rows: Int, _ columns: Int, _ x: Int, _ y: Int) {
    let (m, n) = op == .none ? (rows, columns) : (columns, rows)
    precondition(x == n && y == m,
                 "SpMV shape mismatch: op(A) is \(m)×\(n), x has \(x) elements (needs \(n)), y has \(y) (needs \(m))")
}

@inlinable
func _checkSpMM(_ op: MatrixOperation, _ rows: Int, _ columns: Int, _ xr: Int, _ xc: Int, _ yr: Int, _ yc: Int) {
    let (m, n) = op == .none ? (rows, columns) : (columns, rows)
    precondition(xr == n && yr == m && xc == yc,
                 "SpMM shape mismatch: op(A) is \(m)×\(n), X is \(xr)×\(xc), Y is \(yr)×\(yc)")
}

// MARK: - BLAS-form free functions

/// y ← α·op(A)·x + β·y on caller-owned buffers.
@inlinable
public func spmv<M: MatrixMultiplying>(
    alpha: M.Scalar.Arithmetic = 1, _ a: M,
    _ x: UnsafeBufferPointer<M.Scalar.Arithmetic>, beta: M.Scalar.Arithmetic = 0,
    _ y: UnsafeMutableBufferPointer<M.Scalar.Arithmetic>, op: MatrixOperation = .none, configuration: KernelConfiguration = .default
) {
    a.multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
}

/// y ← α·op(A)·x + β·y on arrays.
@inlinable
public func spmv<M: MatrixMultiplying>(
    alpha: M.Scalar.Arithmetic = 1, _ a: M, _ x: [M.Scalar.Arithmetic],
    beta: M.Scalar.Arithmetic = 0, _ y: inout [M.Scalar.Arithmetic],
    op: MatrixOperation = .none, configuration: KernelConfiguration = .default
) {
    x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
            a.multiply(op, alpha: alpha, x: xp, beta: beta, y: yp, configuration: configuration)
        }
    }
}

/// Y ← α·op(A)·X + β·Y on dense matrices (either layout; X and Y need not share a layout).
@inlinable
public func spmm<M: MatrixMultiplying>(
    alpha: M.Scalar.Arithmetic = 1, _ a: M, _ x: DenseMatrix<M.Scalar.Arithmetic>,
    beta: M.Scalar.Arithmetic = 0, _ y: inout DenseMatrix<M.Scalar.Arithmetic>,
    op: MatrixOperation = .none, configuration: KernelConfiguration = .default
) {
    x.withUnsafeView { xv in
        y.withUnsafeMutableView { yv in
            a.multiply(op, alpha: alpha, x: xv, beta: beta, y: yv, configuration: configuration)
        }
    }
}

/// Y ← α·op(A)·X + β·Y on caller-owned views.
@inlinable
public func spmm<M: MatrixMultiplying>(
    alpha: M.Scalar.Arithmetic = 1, _ a: M, _ x: DenseMatrixView<M.Scalar.Arithmetic>,
    beta: M.Scalar.Arithmetic = 0, _ y: MutableDenseMatrixView<M.Scalar.Arithmetic>,
    op: MatrixOperation = .none, configuration: KernelConfiguration = .default
) {
    a.multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
}

// MARK: - Allocating sugar

extension MatrixMultiplying {
    /// A·x, in a new array.
    @inlinable
    public static func * (a: Self, x: [Scalar.Arithmetic]) -> [Scalar.Arithmetic] {
        var y = [Scalar.Arithmetic](repeating: 0, count: a.rows)
        spmv(a, x, &y)
        return y
    }

    /// A·X, in a new row-major matrix.
    @inlinable
    public static func * (a: Self, x: DenseMatrix<Scalar.Arithmetic>) -> DenseMatrix<Scalar.Arithmetic> {
        var y = DenseMatrix<Scalar.Arithmetic>(rows: a.rows, columns: x.columns)
        spmm(a, x, &y)
        return y
    }
}
