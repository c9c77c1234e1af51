import CBLAS
import SparseCore

// SpMV over a compressed pattern, one output per slice ("gather"): y[i] ← α·Σ_p val[p]·x[idx[p]] + β·y[i].
// This is CSR's A·x and CSC's Aᵀ·x. Each row is summed with two vector accumulators fed by eight (Double)
// or sixteen (Float) entries per step: the values are one vector load each, the x elements are gathered lane
// by lane. Rows are shared between threads by stored entries (``RowPartition``); a row's arithmetic does not
// depend on its thread, so the result is the same bit for bit whatever the thread count. When the matrix is
// larger than the last-level cache (``KernelConfiguration/spmvPrefetchBytes``), the row loop prefetches the
// value and index streams a few lines ahead; prefetching never changes the arithmetic.
//
// What limits it when x outgrows L1 (measured on the development machine, AMD Zen 3, 2 threads, n = 20000 at
// 1%, `sparse-bench kernels`): nearly every gathered x element then misses L1 and comes from L2 as a whole
// 64-byte line, for Float and Double alike. The same kernel on a matrix with the same entries per row over 2048
// columns (x in L1) runs at 104–110% of the triad bound, and Float at 1.36–1.44× Double; on the uniform matrix
// it runs at 0.82–0.87× that speed (Double) and 0.75–0.80× (Float): 86–92% of the triad, Float 1.21–1.30×.
// Tried and measured slower: prefetching x (0.78×), AVX2 hardware gathers for Float (0.8–0.9×), and, in C,
// column slabs that keep a slice of x in L1 (0.3–0.6×: a mispredicted exit per row and slab, and the matrix
// no longer streams in order).

extension CSRMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y. `op = .none` runs the row kernel on all threads; `op = .transpose` runs the
    /// scatter kernel: fixed chunks of the matrix summed into partial vectors when there are many entries per
    /// output, otherwise a range of output elements per thread (see ``MatrixMultiplying``).
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMV(op, rows, columns, x.count, y.count)
        _compressedSpMV(pattern, values, gather: op == .none, alpha: alpha, x: x, beta: beta, y: y,
                        configuration: configuration)
    }
}

/// y ← α·(pattern)·x + β·y (`gather`: one output per slice, CSR's A·x and CSC's Aᵀ·x) or
/// y ← α·(pattern)ᵀ·x + β·y (scatter: CSR's Aᵀ·x and CSC's A·x), for shapes already checked. CSR and CSC
/// share it with the roles swapped.
@inlinable
func _compressedSpMV<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, gather: Bool, alpha: S.Arithmetic,
    x: UnsafeBufferPointer<S.Arithmetic>, beta: S.Arithmetic, y: UnsafeMutableBufferPointer<S.Arithmetic>,
    configuration: KernelConfiguration
) {
    guard let yp = y.baseAddress, y.count > 0 else { return }
    let xp = x.baseAddress ?? _dangling()
    if alpha == 0 { return _scale(yp, count: y.count, stride: 1, by: beta) }
    if gather {
        _gatherSpMV(pattern, values, alpha: alpha, x: xp, beta: beta, y: yp, incy: 1, configuration: configuration)
    } else {
        _scatterSpMV(pattern, values, alpha: alpha, x: xp, incx: 1, beta: beta, y: yp, configuration: configuration)
    }
}

/// Runs `body(offsets, indices, values, stored)` on the base addresses of a compressed pattern's arrays and of
/// its values (BSR's blocks included), with the number of stored values: one place for the pointer plumbing
/// every sparse kernel starts with. The pointers are valid only inside `body`.
@inlinable @inline(__always)
func _withPointers<S, I: SparseIndex, R>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>,
    _ body: (UnsafePointer<I>, UnsafePointer<I>, UnsafePointer<S>, Int) -> R
) -> R {
    _withPointers(pattern.offsets, pattern.indices, values, body)
}

/// Runs `body(a, b, values, count)` on the base addresses of two index arrays and a value array, with the
/// number of values: the compressed formats' offsets and indices, or COO's output and input indices. The
/// pointers are valid only inside `body`.
@inlinable @inline(__always)
func _withPointers<S, I: SparseIndex, R>(
    _ a: SparseBuffer<I>, _ b: SparseBuffer<I>, _ values: SparseBuffer<S>,
    _ body: (UnsafePointer<I>, UnsafePointer<I>, UnsafePointer<S>, Int) -> R
) -> R {
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            values.withUnsafeBufferPointer { val in
                body(ap.baseAddress!, bp.baseAddress!, val.baseAddress!, val.count)
            }
        }
    }
}

/// A non-null pointer for empty inputs that are never dereferenced.
@inlinable @inline(__always)
func _dangling<T>() -> UnsafePointer<T> {
    UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
}

/// y[i·incy] ← α·(row i of the pattern)·x + β·y[i·incy] for every slice i, on as many threads as the
/// configuration allows. α ≠ 0 (callers handle α = 0).
@inlinable
func _gatherSpMV<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic, x: UnsafePointer<S.Arithmetic>,
    beta: S.Arithmetic, y: UnsafeMutablePointer<S.Arithmetic>, incy: Int, configuration: KernelConfiguration
) {
    let m = pattern.majorCount
    if m == 0 { return }
    _withPointers(pattern, values) { o, ix, v, nnz in
        let parts = configuration._dynamicParts(work: nnz, limit: m)
        let partition = RowPartition(offsets: o, sliceCount: m, parts: parts)
        let prefetch = nnz &* (MemoryLayout<S>.stride &+ MemoryLayout<I>.stride)
            > configuration.spmvPrefetchBytes
        _parallelFor(parts, threads: configuration.threads) { t in
            let rows = partition.range(t)
            if MemoryLayout<S.Arithmetic>.stride <= 4 {
                if prefetch {
                    _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _Prefetching.self, SIMD8<S.Arithmetic>.self)
                } else {
                    _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _NotPrefetching.self, SIMD8<S.Arithmetic>.self)
                }
            } else {
                if prefetch {
                    _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _Prefetching.self, SIMD4<S.Arithmetic>.self)
                } else {
                    _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _NotPrefetching.self, SIMD4<S.Arithmetic>.self)
                }
            }
        }
    }
}

/// Whether the target is little-endian (two Int32 indices read as one UInt64 have the first in the low half).
@inlinable @inline(__always)
var _littleEndian: Bool {
    #if _endian(little)
    return true
    #else
    return false
    #endif
}

/// How far ahead of the current entry the SpMV row loop prefetches values and indices (64 entries: 512 bytes
/// of Float64 values; 32, 128 and 256 measured no better on a 48 MB matrix).
@inlinable @inline(__always)
var _spmvPrefetchEntries: Int { 64 }

/// The SpMV row kernel for `rows`, with vectors of type `V`; when `P` prefetches, software prefetches of the
/// value and index streams (a type, so that each loop is compiled without the test, inlined or not).
@inlinable @inline(__always)
func _gatherSpMVRows<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ rows: Range<Int>, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>,
    _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _ incy: Int, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    if rows.isEmpty { return }
    var end = Int(truncatingIfNeeded: off[rows.lowerBound])
    for i in rows {
        let start = end
        end = Int(truncatingIfNeeded: off[i &+ 1])
        let s = _rowDot(start, end, idx, val, x, P.self, V.self)
        let yi = y + i &* incy
        _finish(yi, s, alpha, beta)
    }
}

/// Σ_{p in start..<end} val[p]·x[idx[p]]: two vector accumulators over blocks of 2·w entries, one more
/// vector step, then scalars; the order of the terms depends only on `end - start`. When `P` prefetches, each block
/// first prefetches the values and indices ``_spmvPrefetchEntries`` ahead (possibly past the row or the arrays:
/// a prefetch never faults).
///
/// Float values with Int32 indices take another block: one vector of w entries built lane by lane (a shuffle
/// per lane) and w entries in four scalar chains, with the indices read two per 64-bit load. Building every x
/// vector lane by lane leaves the Float loop waiting on the shuffle port; on the development machine (AMD
/// Zen 3, n = 20000 at 1%, interleaved medians) the paired index loads gave Float 1.05–1.07× and the half-scalar
/// block another 1.05×. The same paired loads made Double 0.96× slower, so Double keeps the plain block.
@inlinable @inline(__always)
func _rowDot<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>,
    _: P.Type, _: V.Type
) -> S.Arithmetic where V.Scalar == S.Arithmetic {
    typealias T = S.Arithmetic
    let w = V.scalarCount
    var p = start
    var acc0 = V(), acc1 = V()
    // Float with Int32 indices: of each 2·w entries, w go through a vector built lane by lane and w through four
    // scalar chains, which spreads the work over the load and shuffle ports; indices are read two per 64-bit
    // load (the first in the low half). A constant once the kernel is specialised.
    let pairedFloat = _littleEndian && I.self == Int32.self && MemoryLayout<T>.stride == 4 && w % 4 == 0
    var s0 = T.zero, s1 = T.zero, s2 = T.zero, s3 = T.zero
    while p &+ 2 &* w <= end {
        if P.enabled {
            swiftsparse_prefetch(UnsafeRawPointer(val + (p &+ _spmvPrefetchEntries)))
            swiftsparse_prefetch(UnsafeRawPointer(idx + (p &+ _spmvPrefetchEntries)))
        }
        if pairedFloat {
            var x0 = V()
            let raw = UnsafeRawPointer(idx + p)
            var l = 0
            while l < w {
                let a = raw.loadUnaligned(fromByteOffset: l &* 4, as: UInt64.self)
                x0[l] = x[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: a))]
                x0[l &+ 1] = x[Int(truncatingIfNeeded: a &>> 32)]
                l &+= 2
            }
            acc0 += _loadValues(val + p, V.self) * x0
            let q = p &+ w
            l = 0
            while l < w {
                let b = raw.loadUnaligned(fromByteOffset: (w &+ l) &* 4, as: UInt64.self)
                let c = raw.loadUnaligned(fromByteOffset: (w &+ l &+ 2) &* 4, as: UInt64.self)
                s0 += val[q &+ l].arithmetic * x[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: b))]
                s1 += val[q &+ l &+ 1].arithmetic * x[Int(truncatingIfNeeded: b &>> 32)]
                s2 += val[q &+ l &+ 2].arithmetic * x[Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: c))]
                s3 += val[q &+ l &+ 3].arithmetic * x[Int(truncatingIfNeeded: c &>> 32)]
                l &+= 4
            }
        } else {
            var x0 = V(), x1 = V()
            for l in 0..<w {
                x0[l] = x[Int(truncatingIfNeeded: idx[p &+ l])]
                x1[l] = x[Int(truncatingIfNeeded: idx[p &+ w &+ l])]
            }
            acc0 += _loadValues(val + p, V.self) * x0
            acc1 += _loadValues(val + (p &+ w), V.self) * x1
        }
        p &+= 2 &* w
    }
    if p &+ w <= end {
        var x0 = V()
        for l in 0..<w { x0[l] = x[Int(truncatingIfNeeded: idx[p &+ l])] }
        acc0 += _loadValues(val + p, V.self) * x0
        p &+= w
    }
    var s = (acc0 + acc1).sum()
    if pairedFloat { s += (s0 + s1) + (s2 + s3) }
    while p < end {
        s += val[p].arithmetic * x[Int(truncatingIfNeeded: idx[p])]
        p &+= 1
    }
    return s
}
