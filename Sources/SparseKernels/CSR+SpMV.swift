import CBLAS
import SparseCore

// SpMV over a compressed pattern, one output per slice ("gather"): y[i] ← α·Σ_p val[p]·x[idx[p]] + β·y[i].
// This is CSR's A·x and CSC's Aᵀ·x. Each row is summed in four scalar chains (``_rowDot``). Rows are shared
// between threads by stored entries (``RowPartition``); a row's arithmetic does not depend on its thread, so
// the result is the same bit for bit whatever the thread count. When the matrix is larger than
// ``KernelConfiguration/spmvPrefetchBytes`` (1 MiB), the row loop prefetches the value and index streams
// ahead (4 KiB of values towards L2 and 1 KiB towards L1, or 512 entries towards L1 alone:
// ``_spmvPrefetchesTowardsL2``, ``_spmvPrefetchDistance``, ``_prefetchStep``), one prefetch per line whatever
// the row lengths; prefetching never changes the arithmetic.
//
// What limits it (measured on the development machine, AMD Zen 5 under KVM, 2 threads, `sparse-bench
// kernels`, n = 20000 at 1%): the matrix streams from memory, and the hardware prefetchers alone do not keep
// up; with the streams prefetched 4 KiB ahead the kernel runs at 0.94–1.07 of the triad bound in most runs
// (0.47–0.49 with 512 bytes ahead; about 0.5 either way in the machine's occasional slow phases). x (160 KB
// of Float64) does not fit in L1, so most gathered x elements come from L2; with x in L1 the same kernel runs
// at 1.08× the triad bound. Tried and measured slower or no better: vectors with lane-by-lane gathers (see
// ``_rowDot``), AVX-512 hardware gathers (in C), eight chains, paired Int32 index loads, prefetching x, x in a
// 2 MiB huge page (1.0–1.04×), a column split of the matrix between the two threads (0.7×, in C); on the
// earlier development machine (AMD Zen 3), prefetching x (0.78×) and column slabs that keep a slice of x in L1
// (0.3–0.6×, in C). Against the same loop in C (clang -O3 -march=native: the same SLP-paired chains), called
// in the same process on the same arrays, one thread: 0.95–1.16× C's speed on the uniform matrix, 0.84–1.01×
// with the matrix in L2. Float32's edge over Float64 is smaller than its 1.5× fewer bytes because one core
// runs this loop at a bounded rate of entries: with the matrix in L2, Float32 and Float64 run at about the same
// entries per second (n = 600 × 1024 at 10%, 1 thread: 4.7–6.2 GFLOP/s both), and on the uniform matrix
// Float32 reaches 70–90% of that rate, Float64 50–65%; 2 threads scale both by 2×. So Float32 / Float64
// measures 1.3–1.45 in the machine's fast phases and up to 1.9 in its slow ones, when memory is the limit;
// prefetching Float32 1024 or 2048 entries ahead (the same bytes ahead as Float64) was no better.
//
// On a Zen 4 machine of the same kind (32 KiB L1, 1 MiB L2, 2 threads), with one prefetch towards L2 alone, the
// kernel ran at 0.74–0.85 of the triad bound, and neither the distance (256 to 2048 entries) nor the target
// cache changed that. It was bound per core, not by the shared memory: one thread ran at 0.55× two. The second
// prefetch towards L1 (``_spmvNearValueBytes``), which takes each stream line from L2 before the loop needs it,
// lifted it to 0.83–1.02 in seven `sparse-bench kernels` runs (the higher shares in the runs whose triad was
// slower). Prefetching fewer lines, or also x[idx[p + d]] (d = 16 to 64), ran slower (0.83–0.96×), and so did
// Float in 8-lane vectors gathered lane by lane (two vector chains, values loaded as vectors, with the same
// prefetch pair): 0.88×.

extension CSRMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y. `op = .none` runs the row kernel on all threads; `op = .transpose` runs the
    /// scatter kernel: fixed chunks of the matrix summed into partial vectors when there are many entries per
    /// output; on a banded matrix, chunks that each own a core of y and add into a small halo beyond it;
    /// otherwise a range of output elements per thread, on several threads only for long rows.
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
        let prefetch = configuration._prefetchesSpMV(entries: nnz, S.self, I.self)
        let towardsL2 = _spmvPrefetchesTowardsL2(S.self, xCount: pattern.minorCount)
        _parallelFor(parts, threads: configuration.threads) { t in
            let rows = partition.range(t)
            if prefetch && towardsL2 {
                _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _PrefetchingToL2.self)
            } else if prefetch {
                _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _Prefetching.self)
            } else {
                _gatherSpMVRows(rows, o, ix, v, alpha, x, beta, y, incy, _NotPrefetching.self)
            }
        }
    }
}

/// Whether the SpMV row loop prefetches its value and index streams towards L2 (`prefetcht1`) rather than L1:
/// for stored values of 8 bytes or more, and for narrower ones when x (`xCount` elements) is larger than 32 KiB.
/// Measured on the development machine (AMD Zen 5, 48 KiB L1, 2 threads, n = 20000, alternating in one
/// process), towards L2 against towards L1: Float64 with x in L1 (2048 columns, 16 KiB) 1.16–1.17×, on 4×4
/// blocks 1.02–1.23×, uniform at 1% 1.0–1.09×, the 5-point stencil 0.97–1.04×; Float32 uniform (x 80 KB)
/// 1.03–1.24×, on 4×4 blocks 0.96–1.06×, but with x in L1 (8 KiB) 0.83–0.84×: there the loop runs at its
/// highest rate of entries, and a stream line that is only in L2 when it is needed stalls it. (Towards L3, and
/// non-temporal, measured like towards L2; BSR's A·x and the scatter kernels measured within noise either way
/// and prefetch towards L1, except the chunked scatter, which follows this rule with its partial vector in the
/// place of x since the L2 prefetch is followed by one towards L1: see `Compressed+Scatter.swift`.)
@inlinable @inline(__always)
func _spmvPrefetchesTowardsL2<S: SparseScalar>(_: S.Type, xCount: Int) -> Bool {
    MemoryLayout<S>.stride >= 8 || xCount &* MemoryLayout<S.Arithmetic>.stride > 32 << 10
}

/// How far ahead of the current entry the SpMV kernels prefetch values and indices towards L1: 512 entries
/// (4 KiB of Float64 values, 2 KiB of Int32 indices). On the development machine (AMD Zen 5, 2 threads,
/// n = 20000 at 1%, 48 MB, interleaved medians) 64 entries left CSR SpMV at 0.49 of the triad bound and 512
/// reached 0.9–0.94; 128 and 256 were in between, 1024 and 2048 no better than 512, for Float and Double alike.
@inlinable @inline(__always)
var _spmvPrefetchEntries: Int { 512 }

/// How far ahead, in bytes of values, the SpMV kernels prefetch towards L2 (the gather row loop) or by the
/// block (BSR's A·x): 4 KiB, ``_spmvPrefetchEntries`` of Float64.
@inlinable @inline(__always)
var _spmvPrefetchValueBytes: Int { 4096 }

/// How far ahead of the current entry the SpMV row loop prefetches with policy `P`: 4 KiB of values
/// (``_spmvPrefetchValueBytes``) towards L2, ``_spmvPrefetchEntries`` towards L1. The two agree for Float64;
/// for Float, 1024 entries towards L2 against 512, measured on a Zen 4 machine of the same kind (32 KiB L1,
/// 2 threads, n = 20000, alternating in one process): 1.0–1.27× on 4×4 blocks (five runs, median 1.07),
/// 1.01–1.03× uniform at 1%, 1.02–1.05× on the 5-point stencil; towards L1, with x in L1, 1024 entries ran
/// 0.9–0.97× 512, and Float64 at 1024 entries towards L2 0.97–1.04× 512.
@inlinable @inline(__always)
func _spmvPrefetchDistance<S, P: _PrefetchPolicy>(_: S.Type, _: P.Type) -> Int {
    P.towardsL2 ? _spmvPrefetchValueBytes / MemoryLayout<S>.stride : _spmvPrefetchEntries
}

/// How far ahead, in bytes of values, the row loop's second prefetch (towards L1) runs when its first goes
/// towards L2 (``_prefetchStep``): 1 KiB, 128 entries of Float64, 256 of Float. Measured on a Zen 4 machine of the
/// same kind (32 KiB L1, 2 threads, n = 20000, alternating in one process, two runs each) against the L2
/// prefetch alone: uniform at 1% Float64 1.17–1.21×, Float 1.12–1.16×; the 5-point stencil Float64 1.11–1.21×,
/// Float 1.12–1.18×; 4×4 blocks Float 1.27–1.38×, Float64 0.91–1.05×; Float64 with x in L1 0.98–1.08×. 512 bytes
/// and 2 KiB ahead measured like 1 KiB. Prefetching fewer lines towards L2 alone instead (every other line of
/// both streams, or the values only) ran 0.87–0.96× prefetching every line (uniform). A third prefetch, towards
/// L2 another 8 or 16 KiB on, ran 1.03–1.09× for Float64 but 0.98–0.99× for Float (uniform): not done. With the
/// pair in place, Float AVX2 gathers of eight lanes (in C) still ran no faster than scalar loads (0.94–1.09×).
@inlinable @inline(__always)
var _spmvNearValueBytes: Int { 1024 }

/// Entries per prefetched line: one cache line of whichever of the value and index arrays has the wider
/// element (8 for Float64 or Int64, 16 for Float with Int32), so that every line of both streams is prefetched.
@inlinable @inline(__always)
func _spmvLineEntries<S, I>(_: S.Type, _: I.Type) -> Int {
    Swift.max(1, 64 / Swift.max(MemoryLayout<S>.stride, MemoryLayout<I>.stride))
}

extension KernelConfiguration {
    /// Whether an SpMV over a compressed pattern (`entries` values of `S`, as many indices of `I`) prefetches
    /// its value and index streams: above ``spmvPrefetchBytes``.
    @inlinable @inline(__always)
    func _prefetchesSpMV<S, I>(entries: Int, _: S.Type, _: I.Type) -> Bool {
        entries &* (MemoryLayout<S>.stride &+ MemoryLayout<I>.stride) > spmvPrefetchBytes
    }
}

/// One step of the SpMV prefetch cursor: prefetches the value and index lines at entry `ahead` and moves it
/// on by `line` entries (``_spmvLineEntries``). When `P.towardsL2`, those lines go towards L2 and the lines
/// ``_spmvNearValueBytes`` of values ahead of the current entry (which that prefetch brought into L2 a while
/// before) towards L1; otherwise the lines at `ahead` go towards L1. A prefetch past the arrays never faults.
@inlinable @inline(__always)
func _prefetchStep<S, I, P: _PrefetchPolicy>(_ val: UnsafePointer<S>, _ idx: UnsafePointer<I>, _ ahead: inout Int,
                                             _ line: Int, _: P.Type) {
    if P.towardsL2 {
        swiftsparse_prefetch_l2(UnsafeRawPointer(val + ahead))
        swiftsparse_prefetch_l2(UnsafeRawPointer(idx + ahead))
        let near = ahead &- (_spmvPrefetchValueBytes &- _spmvNearValueBytes) / MemoryLayout<S>.stride
        swiftsparse_prefetch(UnsafeRawPointer(val + near))
        swiftsparse_prefetch(UnsafeRawPointer(idx + near))
    } else {
        swiftsparse_prefetch(UnsafeRawPointer(val + ahead))
        swiftsparse_prefetch(UnsafeRawPointer(idx + ahead))
    }
    ahead &+= line
}

/// Steps the SpMV prefetch cursor (``_prefetchStep``) until it reaches entry `target`: how a row, run or slice
/// catches the cursor up before its own entries.
@inlinable @inline(__always)
func _prefetchCatchUp<S, I, P: _PrefetchPolicy>(_ val: UnsafePointer<S>, _ idx: UnsafePointer<I>,
                                                _ ahead: inout Int, _ line: Int, to target: Int, _: P.Type) {
    while ahead < target { _prefetchStep(val, idx, &ahead, line, P.self) }
}

/// The SpMV row kernel for `rows`; when `P` prefetches, software prefetches of the value and index streams
/// (a type, so that each loop is compiled without the test, inlined or not).
///
/// Prefetching follows one cursor, `ahead`, kept ``_spmvPrefetchDistance`` past the current entry: each row
/// first catches the cursor up (a line at a time) and ``_rowDot`` then moves it a line per block of a line's
/// entries. So every line of both streams is prefetched once, whatever the row lengths: a stencil's rows of 5
/// entries, which never fill a block, are prefetched as well as long rows.
@inlinable @inline(__always)
func _gatherSpMVRows<S: SparseScalar, I: SparseIndex, P: _PrefetchPolicy>(
    _ rows: Range<Int>, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>,
    _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _ incy: Int, _: P.Type
) {
    if rows.isEmpty { return }
    let line = _spmvLineEntries(S.self, I.self)
    var end = Int(truncatingIfNeeded: off[rows.lowerBound])
    let distance = _spmvPrefetchDistance(S.self, P.self)
    var ahead = end &+ distance
    for i in rows {
        let start = end
        end = Int(truncatingIfNeeded: off[i &+ 1])
        if P.enabled { _prefetchCatchUp(val, idx, &ahead, line, to: start &+ distance, P.self) }
        let s = _rowDot(start, end, idx, val, x, &ahead, P.self)
        let yi = y + i &* incy
        _finish(yi, s, alpha, beta)
    }
}

/// Σ_{p in start..<end} val[p]·x[idx[p]] in four scalar chains (entry `start + j` goes to chain j mod 4), summed
/// as (s0 + s1) + (s2 + s3), then the last `(end - start) mod 4` entries in order: the order of the terms
/// depends only on the row, not on `P`. When `P` prefetches, the row goes in blocks of a cache line's entries
/// (``_spmvLineEntries``, a multiple of 4) first, each block prefetching the lines at `ahead` and moving it on
/// by a line (possibly past the arrays: a prefetch never faults).
///
/// Scalar chains rather than vectors with their x lanes gathered one by one: on the development machine (AMD
/// Zen 5, 2 threads, interleaved medians) the vector kernel this replaced (two vector accumulators; for Float,
/// half of each block in four scalar chains; both with this prefetching) ran at 0.98–1.02× this one on the
/// uniform n = 20000 matrix at 1%, 0.75–0.85× on a 27-point stencil (27 entries a row) and 0.55–0.7× on a
/// 5-point stencil, where a row never filled its vectors; LLVM turns the lane-by-lane gathers into
/// `vgatherdpd` there, which are no faster than the scalar loads. One four-lane vector accumulator (the four
/// chains as lanes) measured 0.8–0.9× for Float, AVX-512 gathers in 512-bit vectors 0.8–0.9× (in C). Also
/// measured on a Zen 4 machine of the same kind (2 threads, alternating in one process): eight chains for
/// Float instead of four, 1.01–1.06× (here, on 4×4 blocks and the uniform matrix); and in C, Float AVX2
/// gathers of eight lanes 0.8–0.94× (uniform, x in L1 and 4×4 blocks alike), prefetching x[idx[p + d]] for
/// d = 16 to 128 within noise (0.94–1.12×), and a reordered copy of the matrix in column panels, so that each
/// pass gathers from a slice of x held in L1 (adding into y once per panel), 1.06–1.19× with three panels of
/// 6667 to 8192 columns and slower with narrower ones (0.5–0.86× at 1024 and 2048): not worth a second copy.
@inlinable @inline(__always)
func _rowDot<S: SparseScalar, I: SparseIndex, P: _PrefetchPolicy>(
    _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>,
    _ ahead: inout Int, _: P.Type
) -> S.Arithmetic {
    typealias T = S.Arithmetic
    let line = _spmvLineEntries(S.self, I.self)
    var p = start
    var s0 = T.zero, s1 = T.zero, s2 = T.zero, s3 = T.zero
    @inline(__always) func term(_ q: Int) -> T { val[q].arithmetic * x[Int(truncatingIfNeeded: idx[q])] }
    if P.enabled && line % 4 == 0 {
        while p &+ line <= end {
            _prefetchStep(val, idx, &ahead, line, P.self)
            var q = p
            while q < p &+ line {
                s0 += term(q)
                s1 += term(q &+ 1)
                s2 += term(q &+ 2)
                s3 += term(q &+ 3)
                q &+= 4
            }
            p &+= line
        }
    }
    while p &+ 4 <= end {
        s0 += term(p)
        s1 += term(p &+ 1)
        s2 += term(p &+ 2)
        s3 += term(p &+ 3)
        p &+= 4
    }
    var s = (s0 + s1) + (s2 + s3)
    while p < end {
        s += term(p)
        p &+= 1
    }
    return s
}
