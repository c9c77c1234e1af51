import CBLAS
import SparseCore

// SpMM over a compressed pattern, one output row per slice ("gather"): Y[i, :] ← α·Σ_p val[p]·X[idx[p], :] +
// β·Y[i, :]. This is CSR's A·X and CSC's Aᵀ·X.
//
// The inner loop runs over the k right-hand-side columns held in vector registers: for each stored entry, one
// broadcast of the value and up to eight vector multiply-adds against the matching row of X (32 Double or
// 64 Float columns: eight of AVX2's sixteen ymm registers hold the accumulators). Wider blocks loop over
// register blocks of that size; narrower ones and the remainder use 4, 2 and 1 vectors, a 4- and a 2-lane
// vector, then scalars. Narrow blocks take 2 or 4 entries per step into separate accumulators, so there are
// always at least four independent add chains. (Swift does not contract `acc += a * b` into an FMA; on the
// AMD Zen 3 cores measured here multiplies and adds issue on separate pipes, so the throughput is the same.)
//
// The rows of X that a product touches are random. When X is larger than 1 MiB, each register block
// prefetches the X row of the entry 16 positions ahead (`swiftsparse_prefetch`): measured 1.4–1.7× faster
// at n = 20000, k = 32 (Float64, one thread); below 1 MiB the prefetch costs more than it saves.
//
// Large k: when X is larger than `KernelConfiguration.spmmPanelBytes` (8 MiB), its columns are cut into
// panels (the widest multiple of a register block, 32 Double or 64 Float columns, within the budget), each
// packed into a contiguous scratch block, and A is streamed once per panel. A panel then behaves like a narrow
// X. Measured at n = 20000, Float64: k = 128 read in place ran at about half the GFLOP/s of k = 32; with
// packed 32-column panels at 0.9–0.96× (64-column panels: 0.75–0.8×). What is left of the gap is A streamed
// once per panel. Packing costs O(n·k) against the product's O(nnz·k).
//
// A column-major X is packed the same way (panel by panel, or whole when it fits the budget): measured 17–20
// GFLOP/s at k = 32 against about 4 for one SpMV per column. Y may be either layout: a column-major Y is
// written lane by lane, which stays in cache because consecutive rows fill the same lines (measured within
// 10% of a row-major Y).

extension CSRMatrix {
    /// Y ← α·op(A)·X + β·Y, for X and Y in either layout.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        _compressedSpMM(pattern, values, gather: op == .none, alpha: alpha, x: x, beta: beta, y: y,
                        configuration: configuration)
    }
}

/// Y ← α·(pattern)·X + β·Y (`gather`: CSR's A·X and CSC's Aᵀ·X) or Y ← α·(pattern)ᵀ·X + β·Y (scatter: CSR's
/// Aᵀ·X and CSC's A·X), for shapes already checked. CSR and CSC share it with the roles swapped.
@inlinable
func _compressedSpMM<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, gather: Bool, alpha: S.Arithmetic,
    x: DenseMatrixView<S.Arithmetic>, beta: S.Arithmetic, y: MutableDenseMatrixView<S.Arithmetic>,
    configuration: KernelConfiguration
) {
    if y.rows == 0 || y.columns == 0 { return }
    if alpha == 0 { return _scale(y, by: beta) }
    if gather {
        _gatherSpMM(pattern, values, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
    } else {
        _scatterSpMM(pattern, values, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
    }
}

/// Y ← α·(pattern)·X + β·Y, α ≠ 0, Y not empty.
@inlinable
func _gatherSpMM<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic,
    x: DenseMatrixView<S.Arithmetic>, beta: S.Arithmetic, y: MutableDenseMatrixView<S.Arithmetic>,
    configuration: KernelConfiguration
) {
    typealias T = S.Arithmetic
    let k = x.columns, m = pattern.majorCount
    let out = _Output(y)
    // One right-hand side with unit stride: the SpMV kernel.
    if k == 1 && (x.layout == .columnMajor || x.leadingDimension == 1) {
        return _gatherSpMV(pattern, values, alpha: alpha, x: x.baseAddress, beta: beta, y: out.base,
                           incy: out.rowStride, configuration: configuration)
    }
    let n = x.rows, stride = MemoryLayout<T>.stride
    let block = stride <= 4 ? 64 : 32  // columns of one eight-vector register block
    let fits = n &* k &* stride <= configuration.spmmPanelBytes
    pattern.offsets.withUnsafeBufferPointer { off in
        pattern.indices.withUnsafeBufferPointer { idx in
            values.withUnsafeBufferPointer { val in
                let o = off.baseAddress!, ix = idx.baseAddress!, v = val.baseAddress!
                let parts = configuration._dynamicParts(work: val.count &* k, limit: m)
                let partition = RowPartition(offsets: o, sliceCount: m, parts: parts, sliceCost: 2 &+ k / 8)
                func run(_ xp: UnsafePointer<T>, _ ldx: Int, _ width: Int, _ out: _Output<T>) {
                    // Prefetch only when the rows of X read by a pass outgrow L2.
                    let prefetch = n &* width &* stride > _prefetchThresholdBytes
                    _parallelFor(parts, threads: configuration.threads) { t in
                        if stride <= 4 {
                            _gatherSpMMRows(partition.range(t), 0..<width, o, ix, v, alpha, xp, ldx, beta, out, prefetch, SIMD8<T>.self)
                        } else {
                            _gatherSpMMRows(partition.range(t), 0..<width, o, ix, v, alpha, xp, ldx, beta, out, prefetch, SIMD4<T>.self)
                        }
                    }
                }
                if x.layout == .rowMajor && (fits || k <= block) {
                    // X is read in place: one pass over A.
                    return run(x.baseAddress, x.leadingDimension, k, out)
                }
                // Panels: X is packed panel by panel into a contiguous row-major scratch block (one pass over A
                // per panel). A column-major X that fits the budget is packed whole.
                let width = fits ? k : Swift.max(block, configuration.spmmPanelBytes / Swift.max(1, n &* stride) / block &* block)
                var scratch = SparseBuffer<T>(unsafeUninitializedCount: n &* width) { _ in }
                scratch.withUnsafeMutableBufferPointer { sp in
                    let panel = sp.baseAddress!
                    var j0 = 0
                    while j0 < k {
                        let pw = Swift.min(width, k &- j0)
                        _packPanel(x, columns: j0..<(j0 &+ pw), into: panel, configuration: configuration)
                        run(UnsafePointer(panel), pw, pw,
                            _Output(base: out.base + j0 &* out.columnStride, rowStride: out.rowStride,
                                    columnStride: out.columnStride))
                        j0 &+= pw
                    }
                }
            }
        }
    }
}

/// Rows `rows`, columns `columns` of the gather SpMM.
@inlinable
func _gatherSpMMRows<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ rows: Range<Int>, _ columns: Range<Int>, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int,
    _ beta: S.Arithmetic, _ out: _Output<S.Arithmetic>, _ prefetch: Bool, _: V.Type
) where V.Scalar == S.Arithmetic {
    for i in rows {
        let start = Int(truncatingIfNeeded: off[i]), end = Int(truncatingIfNeeded: off[i &+ 1])
        _spmmRow(start, end, idx, val, alpha, x, ldx, columns, beta,
                 out.base + i &* out.rowStride, out.columnStride, prefetch, V.self)
    }
}

/// One output row over columns `columns`: y[j·ycs] ← α·Σ_p val[p]·x[idx[p]·ldx + j] + β·y[j·ycs], in register
/// blocks of 8, 4, 2 and 1 vectors, then a 4- and a 2-lane vector, then single columns.
@inlinable @inline(__always)
func _spmmRow<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ alpha: S.Arithmetic,
    _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ columns: Range<Int>, _ beta: S.Arithmetic,
    _ yrow: UnsafeMutablePointer<S.Arithmetic>, _ ycs: Int, _ prefetch: Bool, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    var j = columns.lowerBound
    let j1 = columns.upperBound
    while j &+ 8 &* w <= j1 {
        _spmmBlock(8, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, V.self)
        j &+= 8 &* w
    }
    if j &+ 4 &* w <= j1 {
        _spmmBlock(4, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, V.self)
        j &+= 4 &* w
    }
    if j &+ 2 &* w <= j1 {
        _spmmBlock(2, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, V.self)
        j &+= 2 &* w
    }
    if j &+ w <= j1 {
        _spmmBlock(1, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, V.self)
        j &+= w
    }
    // Fewer columns than one vector: half and quarter vectors, so that small k still takes one pass.
    typealias T = S.Arithmetic
    if w > 4 && j &+ 4 <= j1 {
        _spmmBlock(1, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, SIMD4<T>.self)
        j &+= 4
    }
    if w > 2 && j &+ 2 <= j1 {
        _spmmBlock(1, start, end, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, prefetch, SIMD2<T>.self)
        j &+= 2
    }
    while j < j1 {
        var s = S.Arithmetic.zero
        for p in start..<end {
            s += val[p].arithmetic * x[Int(truncatingIfNeeded: idx[p]) &* ldx &+ j]
        }
        let e = yrow + j &* ycs
        e.pointee = beta == 0 ? alpha * s : alpha * s + beta * e.pointee
        j &+= 1
    }
}

/// SpMM prefetches X rows only when the X block a pass reads is larger than this (twice an L2 of 512 KiB;
/// below it X mostly stays in L2 and the prefetch instructions cost more than they save: measured at k = 2).
@inlinable @inline(__always)
var _prefetchThresholdBytes: Int { 1 << 20 }

/// How many stored entries ahead SpMM prefetches rows of X.
@inlinable @inline(__always)
var _prefetchDistance: Int { 16 }

/// One register block: `nv` (1, 2, 4 or 8, a constant after inlining) vectors of columns of one output row.
///
/// Every block keeps at least four independent accumulator chains, so the add latency never limits it:
/// 8 vectors take one entry per step, 4 vectors two entries (two sets of four), 2 vectors four entries, one
/// vector four entries. The sets are added at the end in a fixed order. When `prefetch` is set (X larger than
/// L2), the X row of the entry `_prefetchDistance` ahead is prefetched, one cache line per 64 bytes of the
/// block.
@inlinable @inline(__always)
func _spmmBlock<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ nv: Int, _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>,
    _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ alpha: S.Arithmetic, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _ ycs: Int, _ prefetch: Bool, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
    let last = end &- 1
    let blockBytes = nv &* w &* MemoryLayout<S.Arithmetic>.stride
    @inline(__always) func row(_ p: Int) -> UnsafePointer<S.Arithmetic> {
        if prefetch {
            let xf = UnsafeRawPointer(x + Int(truncatingIfNeeded: idx[Swift.min(p &+ _prefetchDistance, last)]) &* ldx)
            var off = 0
            while off < blockBytes { swiftsparse_prefetch(xf + off); off &+= 64 }
        }
        return x + Int(truncatingIfNeeded: idx[p]) &* ldx
    }
    @inline(__always) func value(_ p: Int) -> V { V(repeating: val[p].arithmetic) }
    var p = start
    switch nv {
    case 8:
        while p < end {
            let xr = row(p), a = value(p)
            a0 += a * _load(xr, V.self)
            a1 += a * _load(xr + w, V.self)
            a2 += a * _load(xr + 2 &* w, V.self)
            a3 += a * _load(xr + 3 &* w, V.self)
            a4 += a * _load(xr + 4 &* w, V.self)
            a5 += a * _load(xr + 5 &* w, V.self)
            a6 += a * _load(xr + 6 &* w, V.self)
            a7 += a * _load(xr + 7 &* w, V.self)
            p &+= 1
        }
    case 4:
        while p &+ 2 <= end {
            let xr = row(p), a = value(p), xs = row(p &+ 1), b = value(p &+ 1)
            a0 += a * _load(xr, V.self)
            a1 += a * _load(xr + w, V.self)
            a2 += a * _load(xr + 2 &* w, V.self)
            a3 += a * _load(xr + 3 &* w, V.self)
            a4 += b * _load(xs, V.self)
            a5 += b * _load(xs + w, V.self)
            a6 += b * _load(xs + 2 &* w, V.self)
            a7 += b * _load(xs + 3 &* w, V.self)
            p &+= 2
        }
        if p < end {
            let xr = row(p), a = value(p)
            a0 += a * _load(xr, V.self)
            a1 += a * _load(xr + w, V.self)
            a2 += a * _load(xr + 2 &* w, V.self)
            a3 += a * _load(xr + 3 &* w, V.self)
        }
        a0 += a4; a1 += a5; a2 += a6; a3 += a7
    case 2:
        while p &+ 4 <= end {
            let xr = row(p), a = value(p), xs = row(p &+ 1), b = value(p &+ 1)
            let xt = row(p &+ 2), c = value(p &+ 2), xu = row(p &+ 3), d = value(p &+ 3)
            a0 += a * _load(xr, V.self)
            a1 += a * _load(xr + w, V.self)
            a2 += b * _load(xs, V.self)
            a3 += b * _load(xs + w, V.self)
            a4 += c * _load(xt, V.self)
            a5 += c * _load(xt + w, V.self)
            a6 += d * _load(xu, V.self)
            a7 += d * _load(xu + w, V.self)
            p &+= 4
        }
        while p < end {
            let xr = row(p), a = value(p)
            a0 += a * _load(xr, V.self)
            a1 += a * _load(xr + w, V.self)
            p &+= 1
        }
        a0 = (a0 + a2) + (a4 + a6)
        a1 = (a1 + a3) + (a5 + a7)
    default:
        while p &+ 4 <= end {
            a0 += value(p) * _load(row(p), V.self)
            a1 += value(p &+ 1) * _load(row(p &+ 1), V.self)
            a2 += value(p &+ 2) * _load(row(p &+ 2), V.self)
            a3 += value(p &+ 3) * _load(row(p &+ 3), V.self)
            p &+= 4
        }
        while p < end {
            a0 += value(p) * _load(row(p), V.self)
            p &+= 1
        }
        a0 = (a0 + a1) + (a2 + a3)
    }
    _storeRow(a0, y, ycs, alpha, beta)
    if nv > 1 { _storeRow(a1, y + w &* ycs, ycs, alpha, beta) }
    if nv > 2 {
        _storeRow(a2, y + 2 &* w &* ycs, ycs, alpha, beta)
        _storeRow(a3, y + 3 &* w &* ycs, ycs, alpha, beta)
    }
    if nv > 4 {
        _storeRow(a4, y + 4 &* w &* ycs, ycs, alpha, beta)
        _storeRow(a5, y + 5 &* w &* ycs, ycs, alpha, beta)
        _storeRow(a6, y + 6 &* w &* ycs, ycs, alpha, beta)
        _storeRow(a7, y + 7 &* w &* ycs, ycs, alpha, beta)
    }
}

/// `y[l·cs] ← α·acc[l] + β·y[l·cs]` for every lane (β = 0 overwrites).
@inlinable @inline(__always)
func _storeRow<V: SIMD>(_ acc: V, _ y: UnsafeMutablePointer<V.Scalar>, _ cs: Int, _ alpha: V.Scalar, _ beta: V.Scalar)
    where V.Scalar: FloatingPoint
{
    if cs == 1 {
        let r = V(repeating: alpha) * acc
        if beta == 0 {
            _store(r, y)
        } else {
            _store(r + V(repeating: beta) * _load(UnsafePointer(y), V.self), y)
        }
    } else {
        for l in 0..<V.scalarCount {
            let e = y + l &* cs
            e.pointee = beta == 0 ? alpha * acc[l] : alpha * acc[l] + beta * e.pointee
        }
    }
}
