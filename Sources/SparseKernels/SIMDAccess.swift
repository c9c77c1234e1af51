import CBLAS
import SparseCore

// Unaligned SIMD loads and stores on scalar pointers, and the choice of vector width. The kernels are generic
// over the vector type `V`; each call site picks 256 bits (`SIMD4` for 8-byte scalars, `SIMD8` for 4-byte
// ones), and the choice folds away when the kernel is specialised. Built with `-target-cpu native` on an AVX2 machine these become single ymm
// instructions; on the baseline target LLVM splits them into two xmm halves.

/// Prefetches every 64-byte line of the `bytes` bytes from `p`, for reading: one instruction a line. The
/// kernels pass a byte count that is a constant of their specialisation, so the loop unrolls.
@inlinable @inline(__always)
func _prefetchLines(_ p: UnsafeRawPointer, bytes: Int) {
    var off = 0
    while off < bytes { swiftsparse_prefetch(p + off); off &+= 64 }
}

/// ``_prefetchLines`` towards L2 (`prefetcht1` on x86).
@inlinable @inline(__always)
func _prefetchLinesTowardsL2(_ p: UnsafeRawPointer, bytes: Int) {
    var off = 0
    while off < bytes { swiftsparse_prefetch_l2(p + off); off &+= 64 }
}

/// ``_prefetchLines`` with intent to write (`prefetchw` where the target has it, a plain prefetch otherwise).
@inlinable @inline(__always)
func _prefetchLinesForWriting(_ p: UnsafeRawPointer, bytes: Int) {
    var off = 0
    while off < bytes { swiftsparse_prefetch_write(p + off); off &+= 64 }
}

/// Loads `V.scalarCount` consecutive scalars.
@inlinable @inline(__always)
func _load<V: SIMD>(_ p: UnsafePointer<V.Scalar>, _: V.Type = V.self) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

/// Stores `v` at `p ..< p + V.scalarCount`.
@inlinable @inline(__always)
func _store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<V.Scalar>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

/// Loads `V.scalarCount` stored values widened to the arithmetic type: one vector load when storage and
/// arithmetic types agree (Float, Double), lane by lane otherwise (a storage-only type such as Float16).
@inlinable @inline(__always)
func _loadValues<S: SparseScalar, V: SIMD>(_ p: UnsafePointer<S>, _: V.Type) -> V where V.Scalar == S.Arithmetic {
    if S.self == S.Arithmetic.self {
        return UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    var v = V()
    for l in 0..<V.scalarCount { v[l] = p[l].arithmetic }
    return v
}

/// `y[0..<count·stride by stride] ← β·y`, with β = 0 writing zeros (NaN in y does not survive) and β = 1
/// leaving y untouched.
@inlinable
func _scale<T: FloatingPoint>(_ y: UnsafeMutablePointer<T>, count: Int, stride: Int, by beta: T) {
    if beta == 1 { return }
    var q = y
    if beta == 0 {
        for _ in 0..<count { q.pointee = 0; q += stride }
    } else {
        for _ in 0..<count { q.pointee = beta * q.pointee; q += stride }
    }
}

/// `e ← α·s + β·e`, with BLAS semantics for β = 0 (e is overwritten, so NaN in it never leaks): how every
/// kernel writes a finished sum.
@inlinable @inline(__always)
func _finish<T: FloatingPoint>(_ e: UnsafeMutablePointer<T>, _ s: T, _ alpha: T, _ beta: T) {
    e.pointee = beta == 0 ? alpha * s : alpha * s + beta * e.pointee
}

/// `Y ← β·Y` for a dense view (BLAS semantics for β = 0 and β = 1).
@inlinable
func _scale<T: FloatingPoint>(_ y: MutableDenseMatrixView<T>, by beta: T) {
    if beta == 1 || y.rows == 0 || y.columns == 0 { return }
    let (outer, inner) = y.layout == .rowMajor ? (y.rows, y.columns) : (y.columns, y.rows)
    for o in 0..<outer {
        _scale(y.baseAddress + o &* y.leadingDimension, count: inner, stride: 1, by: beta)
    }
}
