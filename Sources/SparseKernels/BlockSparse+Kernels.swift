import CBLAS
import SparseCore

// Block-sparse (BSR) products.
//
// A·x: each thread owns a range of block rows (balanced by blocks). Blocks with c ∈ {2, 4, 8} columns use
// vector micro-kernels: one vector load of x per block, one vector load per block row, one FMA each, with
// r vector accumulators (in passes of four rows) reduced once per block row. 3×3 has a scalar micro-kernel
// (nine FMAs, three accumulators); every other shape a generic loop over passes of up to four rows. 1×1
// blocks run CSR's kernel on the same arrays. When c does not divide the column count, x is copied once into a
// zero-padded buffer so the edge blocks can load whole vectors (their padding values are zero by the format's
// invariant). Above ``KernelConfiguration/spmvPrefetchBytes`` the first pass over each block prefetches the
// block about 4 KiB ahead and its index, like CSR's row loop (``_bsrPrefetchSpMV``).
// A·X: for r ∈ {2, 4, 8} all r rows of a block row are register-blocked together (r × 8/r vectors), so each
// X row segment loaded for a block serves r output rows; other r go by pairs of rows (2 × 4 vectors). Leftover
// columns and an odd last row are CSR-like rows over the c values of each block of the block row,
// register-blocked over the k columns in blocks of eight vectors, like CSR's (four before: 1.03–1.35× faster
// for 3×3, 6×6 and 7×7 blocks, Float64 k = 32 and 128, Float32 k = 64 and 128, alternating in one process).
// Aᵀ·x: the chunked scatter of `Compressed+Scatter.swift` when there are enough entries per output, otherwise
// each thread owns a range of block columns; either way blocks with c ∈ {2, 4, 8} go through a vector kernel
// per block row (`_bsrScatterBlockRow`: x's r elements broadcast once, one vector read, add and write of y per
// block). (CSR's halo scatter over block columns, for banded blocks, measured the same as the owned block
// columns on the 5-point stencil of an 894 × 894 grid, before that kernel, 2 threads, alternating in one
// process: 2×2 blocks 1.35–1.41 against 1.36–1.41 GFLOP/s, 4×4 0.70–0.74 against 0.70–0.73, A·x 2.7–2.9 and
// 1.27–1.3; the block rows of a stencil fall almost wholly in one thread's columns, and the time went to the
// per-block read, add and write of y.) Aᵀ·X: each thread owns a range of block columns; for r ≥ 3 each column
// of a block goes into its row of Y in one read and write, its r terms summed in row order (`_axpyRows`). Both
// deterministic and race-free.

extension BlockSparseMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMV(op, rows, columns, x.count, y.count)
        guard let yp = y.baseAddress, y.count > 0 else { return }
        if alpha == 0 { return _scale(yp, count: y.count, stride: 1, by: beta) }
        if blockRows == 1 && blockColumns == 1 {
            return CSRMatrix(uncheckedPattern: pattern, values: values)
                .multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
        }
        let xp = x.baseAddress ?? _dangling()
        if op == .transpose {
            return _bsrScatterSpMV(alpha: alpha, x: xp, beta: beta, y: yp, configuration: configuration)
        }
        let c = blockColumns
        let padded = blockColumnCount &* c
        if padded == columns {
            _bsrGatherSpMV(alpha: alpha, x: xp, beta: beta, y: yp, configuration: configuration)
        } else {
            withUnsafeTemporaryAllocation(of: Scalar.Arithmetic.self, capacity: padded) { xpad in
                let q = xpad.baseAddress!
                q.initialize(from: xp, count: columns)
                (q + columns).initialize(repeating: 0, count: padded &- columns)
                _bsrGatherSpMV(alpha: alpha, x: UnsafePointer(q), beta: beta, y: yp, configuration: configuration)
            }
        }
    }

    /// y ← α·A·x + β·y with x holding `blockColumnCount·c` elements.
    @inlinable
    func _bsrGatherSpMV(alpha: Scalar.Arithmetic, x: UnsafePointer<Scalar.Arithmetic>, beta: Scalar.Arithmetic,
                        y: UnsafeMutablePointer<Scalar.Arithmetic>, configuration: KernelConfiguration) {
        typealias T = Scalar.Arithmetic
        let r = blockRows, c = blockColumns, nbr = blockRowCount, m = rows
        if nbr == 0 { return }
        _withPointers(pattern, values) { o, ix, v, nnz in
            let parts = configuration._dynamicParts(work: nnz, limit: nbr)
            let partition = RowPartition(offsets: o, sliceCount: nbr, parts: parts, sliceCost: 1)
            let blocks = pattern.storedCount
            let prefetch = nnz &* MemoryLayout<Scalar>.stride &+ blocks &* MemoryLayout<Index>.stride
                > configuration.spmvPrefetchBytes
            func rows<P: _PrefetchPolicy>(_ blockRowRange: Range<Int>, _: P.Type) {
                switch c {
                case 2:
                    _bsrVectorRows(blockRowRange, r, m, o, ix, v, alpha, x, beta, y, SIMD2<T>.self, P.self)
                case 4:
                    _bsrVectorRows(blockRowRange, r, m, o, ix, v, alpha, x, beta, y, SIMD4<T>.self, P.self)
                case 8:
                    _bsrVectorRows(blockRowRange, r, m, o, ix, v, alpha, x, beta, y, SIMD8<T>.self, P.self)
                case 3 where r == 3:
                    _bsr3x3Rows(blockRowRange, m, o, ix, v, alpha, x, beta, y, P.self)
                default:
                    _bsrGenericRows(blockRowRange, r, c, m, o, ix, v, alpha, x, beta, y, P.self)
                }
            }
            _parallelFor(parts, threads: configuration.threads) { t in
                if prefetch {
                    rows(partition.range(t), _Prefetching.self)
                } else {
                    rows(partition.range(t), _NotPrefetching.self)
                }
            }
        }
    }
}

/// y[0..<k] += Σ_{q < count} (α·v[q·vStride])·x[q·ldx ..< q·ldx + k], the terms added in q order to each
/// element (as `count` calls of ``_axpy`` would, bit for bit) with y loaded and stored once: BSR's Aᵀ·X adds
/// one column of a block into one row of Y, for r ≥ 3. Against one ``_axpy`` per row of the block, which read
/// and wrote the Y row r times (n = 20000, 1% of blocks, k = 32, 2 threads, alternating in one process): 8×8
/// 1.24–1.29× (Float64) and 1.83–1.88× (Float32), 4×4 1.0× and 1.25–1.8×, 3×3 1.0× and 1.04–1.09×;
/// 2×2 0.87–0.9×, so one- and two-row blocks keep ``_axpy``.
@inlinable @inline(__always)
func _axpyRows<S: SparseScalar, V: SIMD>(
    _ k: Int, _ alpha: S.Arithmetic, _ v: UnsafePointer<S>, _ vStride: Int, _ count: Int,
    _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ y: UnsafeMutablePointer<S.Arithmetic>, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    var j = 0
    // Four vectors of y at a time: four independent chains, and each coefficient broadcast once per four.
    while j &+ 4 &* w <= k {
        var a0 = _load(UnsafePointer(y + j), V.self), a1 = _load(UnsafePointer(y + (j &+ w)), V.self)
        var a2 = _load(UnsafePointer(y + (j &+ 2 &* w)), V.self), a3 = _load(UnsafePointer(y + (j &+ 3 &* w)), V.self)
        for q in 0..<count {
            let c = V(repeating: alpha * v[q &* vStride].arithmetic)
            let xq = x + (q &* ldx &+ j)
            a0 += c * _load(xq, V.self)
            a1 += c * _load(xq + w, V.self)
            a2 += c * _load(xq + 2 &* w, V.self)
            a3 += c * _load(xq + 3 &* w, V.self)
        }
        _store(a0, y + j)
        _store(a1, y + (j &+ w))
        _store(a2, y + (j &+ 2 &* w))
        _store(a3, y + (j &+ 3 &* w))
        j &+= 4 &* w
    }
    while j &+ w <= k {
        var acc = _load(UnsafePointer(y + j), V.self)
        for q in 0..<count {
            acc += V(repeating: alpha * v[q &* vStride].arithmetic) * _load(x + (q &* ldx &+ j), V.self)
        }
        _store(acc, y + j)
        j &+= w
    }
    while j < k {
        var acc = y[j]
        for q in 0..<count { acc += (alpha * v[q &* vStride].arithmetic) * x[q &* ldx &+ j] }
        y[j] = acc
        j &+= 1
    }
}

/// BSR A·x's software prefetch towards L1, when `P` prefetches: the lines of the block
/// ``_spmvPrefetchValueBytes`` (4 KiB) of values ahead of block `b` (whose values start at `vb`, `blockScalars` of
/// them) and the index of that block, `indexAhead` blocks on (``_bsrIndexAhead``, computed once outside the loop):
/// as far ahead as CSR's row kernel prefetches towards L2. A prefetch past the arrays never faults. CSR's pair of
/// prefetches instead (towards L2 at 4 KiB, towards L1 at 1 KiB) measured 0.83–1.07× on a Zen 4 machine (4×4
/// blocks, Float64 and Float32, alternating in one process) and is not done. Alternating builds without
/// and with it (n = 20000, 4×4 blocks at 1%, 2 threads): 4×4 Float64 1.15–1.3× faster with it, Float32
/// 1.15–1.3×, the same matrix as 2×2 1.2×, 2×4 1.4–1.5×, 4×2 1.1–1.2×, 5×5 1.15–1.2×, 3×3 1.1×, 8×8 0.95–0.98×.
/// (That was on AMD Zen 5. On a Zen 4 machine of the same kind, alternating in one process, this matrix, most
/// of which stays in its 32 MiB L3, ran faster without it: Float64 4×4 1.15–1.2×, 2×2 0.95–1.1×, Float32 4×4
/// 1.04–1.12×, 2×2 1.2–1.5×; at n = 40000, beyond the L3, within 0.94–1.08× either way. There, a division for
/// the index's distance that sat inside the loop had cost 1.1–1.7×: Float64 4×4 1.22–1.35×, Float32 4×4
/// 1.48–1.68×, 2×2 1.09–1.18×.)
@inlinable @inline(__always)
func _bsrPrefetchSpMV<S, I, P: _PrefetchPolicy>(_ vb: UnsafePointer<S>, _ blockScalars: Int, _ b: Int,
                                                _ idx: UnsafePointer<I>, _ indexAhead: Int, _: P.Type) {
    if !P.enabled { return }
    _prefetchLines(UnsafeRawPointer(vb) + _spmvPrefetchValueBytes, bytes: blockScalars &* MemoryLayout<S>.stride)
    swiftsparse_prefetch(UnsafeRawPointer(idx + (b &+ indexAhead)))
}

/// How many blocks of `blockScalars` values of `S` ahead ``_bsrPrefetchSpMV`` prefetches the index: as many as
/// its 4 KiB of values hold.
@inlinable @inline(__always)
func _bsrIndexAhead<S>(_ blockScalars: Int, _: S.Type) -> Int {
    _spmvPrefetchValueBytes / Swift.max(1, blockScalars &* MemoryLayout<S>.stride)
}

/// Block rows with `V.scalarCount` columns per block: passes of up to four block rows (r = 8 takes two
/// passes over each block row, which stays in L1 between them).
@inlinable
func _bsrVectorRows<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ blockRowRange: Range<Int>, _ r: Int, _ m: Int, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _: V.Type, _: P.Type
) where V.Scalar == S.Arithmetic {
    let c = V.scalarCount, rc = r &* c, indexAhead = _bsrIndexAhead(rc, S.self)
    for br in blockRowRange {
        let s = Int(truncatingIfNeeded: off[br]), e = Int(truncatingIfNeeded: off[br &+ 1])
        var ii0 = 0
        while ii0 < r {
            let live = Swift.min(4, r &- ii0)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            var vb = val + (s &* rc &+ ii0 &* c)
            switch live {
            case 4:
                for b in s..<e {
                    if ii0 == 0 { _bsrPrefetchSpMV(vb, rc, b, idx, indexAhead, P.self) }
                    let xv = _load(x + Int(truncatingIfNeeded: idx[b]) &* c, V.self)
                    a0 += _loadValues(vb, V.self) * xv
                    a1 += _loadValues(vb + c, V.self) * xv
                    a2 += _loadValues(vb + 2 &* c, V.self) * xv
                    a3 += _loadValues(vb + 3 &* c, V.self) * xv
                    vb += rc
                }
            case 3:
                for b in s..<e {
                    if ii0 == 0 { _bsrPrefetchSpMV(vb, rc, b, idx, indexAhead, P.self) }
                    let xv = _load(x + Int(truncatingIfNeeded: idx[b]) &* c, V.self)
                    a0 += _loadValues(vb, V.self) * xv
                    a1 += _loadValues(vb + c, V.self) * xv
                    a2 += _loadValues(vb + 2 &* c, V.self) * xv
                    vb += rc
                }
            case 2:
                for b in s..<e {
                    if ii0 == 0 { _bsrPrefetchSpMV(vb, rc, b, idx, indexAhead, P.self) }
                    let xv = _load(x + Int(truncatingIfNeeded: idx[b]) &* c, V.self)
                    a0 += _loadValues(vb, V.self) * xv
                    a1 += _loadValues(vb + c, V.self) * xv
                    vb += rc
                }
            default:
                for b in s..<e {
                    if ii0 == 0 { _bsrPrefetchSpMV(vb, rc, b, idx, indexAhead, P.self) }
                    let xv = _load(x + Int(truncatingIfNeeded: idx[b]) &* c, V.self)
                    a0 += _loadValues(vb, V.self) * xv
                    vb += rc
                }
            }
            let i0 = br &* r &+ ii0
            if i0 < m { _finish(y + i0, a0.sum(), alpha, beta) }
            if live > 1 && i0 &+ 1 < m { _finish(y + (i0 &+ 1), a1.sum(), alpha, beta) }
            if live > 2 && i0 &+ 2 < m { _finish(y + (i0 &+ 2), a2.sum(), alpha, beta) }
            if live > 3 && i0 &+ 3 < m { _finish(y + (i0 &+ 3), a3.sum(), alpha, beta) }
            ii0 &+= 4
        }
    }
}

/// 3×3 blocks: nine scalar FMAs per block into three accumulators.
@inlinable
func _bsr3x3Rows<S: SparseScalar, I: SparseIndex, P: _PrefetchPolicy>(
    _ blockRowRange: Range<Int>, _ m: Int, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _: P.Type
) {
    let indexAhead = _bsrIndexAhead(9, S.self)
    for br in blockRowRange {
        let s = Int(truncatingIfNeeded: off[br]), e = Int(truncatingIfNeeded: off[br &+ 1])
        var y0 = S.Arithmetic.zero, y1 = S.Arithmetic.zero, y2 = S.Arithmetic.zero
        var vb = val + s &* 9
        for b in s..<e {
            _bsrPrefetchSpMV(vb, 9, b, idx, indexAhead, P.self)
            let xb = x + Int(truncatingIfNeeded: idx[b]) &* 3
            let x0 = xb[0], x1 = xb[1], x2 = xb[2]
            y0 += vb[0].arithmetic * x0 + vb[1].arithmetic * x1 + vb[2].arithmetic * x2
            y1 += vb[3].arithmetic * x0 + vb[4].arithmetic * x1 + vb[5].arithmetic * x2
            y2 += vb[6].arithmetic * x0 + vb[7].arithmetic * x1 + vb[8].arithmetic * x2
            vb += 9
        }
        let i0 = br &* 3
        if i0 < m { _finish(y + i0, y0, alpha, beta) }
        if i0 &+ 1 < m { _finish(y + (i0 &+ 1), y1, alpha, beta) }
        if i0 &+ 2 < m { _finish(y + (i0 &+ 2), y2, alpha, beta) }
    }
}

/// Any r×c: passes of up to four rows of a block row, each row its own scalar accumulator fed one column of
/// every block at a time (each x element loaded once per pass). With one row at a time, every row was a single
/// chain of dependent adds: 5×5 blocks ran at 0.51× CSR on the same matrix (n = 20001, 1% blocks, Float64,
/// 2 threads), now at 0.76–0.95×.
@inlinable
func _bsrGenericRows<S: SparseScalar, I: SparseIndex, P: _PrefetchPolicy>(
    _ blockRowRange: Range<Int>, _ r: Int, _ c: Int, _ m: Int, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _: P.Type
) {
    typealias T = S.Arithmetic
    let rc = r &* c, indexAhead = _bsrIndexAhead(rc, S.self)
    for br in blockRowRange {
        let s = Int(truncatingIfNeeded: off[br]), e = Int(truncatingIfNeeded: off[br &+ 1])
        let rows = Swift.min(r, m &- br &* r)
        var ii0 = 0
        while ii0 < rows {
            let live = Swift.min(4, rows &- ii0)
            var a0 = T.zero, a1 = T.zero, a2 = T.zero, a3 = T.zero
            for b in s..<e {
                let xb = x + Int(truncatingIfNeeded: idx[b]) &* c
                let vb = val + (b &* rc &+ ii0 &* c)
                if ii0 == 0 { _bsrPrefetchSpMV(vb, rc, b, idx, indexAhead, P.self) }
                switch live {
                case 4:
                    for jj in 0..<c {
                        let xj = xb[jj]
                        a0 += vb[jj].arithmetic * xj
                        a1 += vb[c &+ jj].arithmetic * xj
                        a2 += vb[2 &* c &+ jj].arithmetic * xj
                        a3 += vb[3 &* c &+ jj].arithmetic * xj
                    }
                case 3:
                    for jj in 0..<c {
                        let xj = xb[jj]
                        a0 += vb[jj].arithmetic * xj
                        a1 += vb[c &+ jj].arithmetic * xj
                        a2 += vb[2 &* c &+ jj].arithmetic * xj
                    }
                case 2:
                    for jj in 0..<c {
                        let xj = xb[jj]
                        a0 += vb[jj].arithmetic * xj
                        a1 += vb[c &+ jj].arithmetic * xj
                    }
                default:
                    for jj in 0..<c { a0 += vb[jj].arithmetic * xb[jj] }
                }
            }
            let yi = y + (br &* r &+ ii0)
            _finish(yi, a0, alpha, beta)
            if live > 1 { _finish(yi + 1, a1, alpha, beta) }
            if live > 2 { _finish(yi + 2, a2, alpha, beta) }
            if live > 3 { _finish(yi + 3, a3, alpha, beta) }
            ii0 &+= live
        }
    }
}

extension BlockSparseMatrix {
    /// y ← α·Aᵀ·x + β·y by block columns.
    @inlinable
    func _bsrScatterSpMV(alpha: Scalar.Arithmetic, x: UnsafePointer<Scalar.Arithmetic>, beta: Scalar.Arithmetic,
                         y: UnsafeMutablePointer<Scalar.Arithmetic>, configuration: KernelConfiguration) {
        typealias T = Scalar.Arithmetic
        let r = blockRows, c = blockColumns, rc = r &* c
        let nbr = blockRowCount, nbc = blockColumnCount, m = rows, n = columns
        _withPointers(pattern, values) { o, ix, v, nnz in
            let chunks = _scatterChunkCount(entries: nnz, outputs: n)
            if chunks > 1 {
                // Chunked: partials padded to whole blocks, so every block takes the vector path.
                let partition = RowPartition(offsets: o, sliceCount: nbr, parts: chunks, sliceCost: 1)
                return _chunkedScatter(outputs: n, partialLength: nbc &* c, chunks: chunks,
                                       chunkRange: partition.range, alpha: alpha, beta: beta, y: y, incy: 1,
                                       work: nnz, configuration: configuration) { blockRows, py in
                    withUnsafeTemporaryAllocation(of: T.self, capacity: r) { xb in
                        let xr = xb.baseAddress!
                        for br in blockRows {
                            let s = Int(truncatingIfNeeded: o[br]), e = Int(truncatingIfNeeded: o[br &+ 1])
                            if s == e { continue }
                            for ii in 0..<r {
                                let i = br &* r &+ ii
                                xr[ii] = i < m ? x[i] : 0
                            }
                            if _bsrScatterVectorBlocks(s, e, r, c, ix, v, xr, py) { continue }
                            for b in s..<e {
                                let yb = py + Int(truncatingIfNeeded: ix[b]) &* c
                                let vb = v + b &* rc
                                switch c {
                                case 3 where r == 3:
                                    let x0 = xr[0], x1 = xr[1], x2 = xr[2]
                                    yb[0] = ((yb[0] + vb[0].arithmetic * x0) + vb[3].arithmetic * x1)
                                        + vb[6].arithmetic * x2
                                    yb[1] = ((yb[1] + vb[1].arithmetic * x0) + vb[4].arithmetic * x1)
                                        + vb[7].arithmetic * x2
                                    yb[2] = ((yb[2] + vb[2].arithmetic * x0) + vb[5].arithmetic * x1)
                                        + vb[8].arithmetic * x2
                                default:
                                    // Column by column, the r terms added in row order in a register (what
                                    // a row-by-row update of yb adds, bit for bit, without a store and reload
                                    // of yb[jj] between rows; 3×3 unrolled above). On a 4×4-blocked matrix
                                    // (n = 20000, 1%, 2 threads, alternating builds) as 3×3 blocks:
                                    // 0.8–1.0 -> 1.4–1.7 GFLOP/s with this loop, 2.45–2.9 unrolled (A·x on
                                    // the same blocks: 3.65–4.5).
                                    for jj in 0..<c {
                                        var acc = yb[jj]
                                        for ii in 0..<r { acc += vb[ii &* c &+ jj].arithmetic * xr[ii] }
                                        yb[jj] = acc
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let parts = configuration._parts(work: nnz, limit: nbc)
            _parallelFor(parts) { t in
                let ownedBlocks = _evenRange(t, of: parts, count: nbc)
                let ownedLo = ownedBlocks.lowerBound &* c, ownedHi = Swift.min(n, ownedBlocks.upperBound &* c)
                _scale(y + ownedLo, count: Swift.max(0, ownedHi &- ownedLo), stride: 1, by: beta)
                if ownedBlocks.isEmpty { return }
                withUnsafeTemporaryAllocation(of: T.self, capacity: r) { axBuffer in
                    let ax = axBuffer.baseAddress!
                    for br in 0..<nbr {
                        let entries = _ownedEntries(o, ix, br, owned: ownedBlocks, minorCount: nbc)
                        if entries.isEmpty { continue }
                        for ii in 0..<r {
                            let i = br &* r &+ ii
                            ax[ii] = i < m ? alpha * x[i] : 0
                        }
                        // Whole blocks through the vector kernels; the last block column, when c does not
                        // divide n, by the scalar loop below, which stops at column n.
                        var first = entries.lowerBound, whole = entries.upperBound
                        if n % c != 0 && Int(truncatingIfNeeded: ix[whole &- 1]) == nbc &- 1 { whole &-= 1 }
                        if _bsrScatterVectorBlocks(first, whole, r, c, ix, v, ax, y) { first = whole }
                        for b in first..<entries.upperBound {
                            let j0 = Int(truncatingIfNeeded: ix[b]) &* c
                            let vb = v + b &* rc
                            for jj in 0..<Swift.min(c, n &- j0) {
                                var acc = T.zero
                                for ii in 0..<r { acc += vb[ii &* c &+ jj].arithmetic * ax[ii] }
                                y[j0 &+ jj] += acc
                            }
                        }
                    }
                }
            }
        }
    }
}

/// ``_bsrScatterBlockRow`` for blocks of c ∈ {2, 4, 8} columns, in vectors of c lanes; returns false, having
/// done nothing, for any other c (the caller's scalar loops take those).
@inlinable @inline(__always)
func _bsrScatterVectorBlocks<S: SparseScalar, I: SparseIndex>(
    _ s: Int, _ e: Int, _ r: Int, _ c: Int, _ ix: UnsafePointer<I>, _ v: UnsafePointer<S>,
    _ ax: UnsafePointer<S.Arithmetic>, _ y: UnsafeMutablePointer<S.Arithmetic>
) -> Bool {
    typealias T = S.Arithmetic
    switch c {
    case 2: _bsrScatterBlockRow(s, e, r, ix, v, ax, y, SIMD2<T>.self)
    case 4: _bsrScatterBlockRow(s, e, r, ix, v, ax, y, SIMD4<T>.self)
    case 8: _bsrScatterBlockRow(s, e, r, ix, v, ax, y, SIMD8<T>.self)
    default: return false
    }
    return true
}

/// The blocks `s..<e` of one block row of r×c blocks, c = `V.scalarCount`, scattered: for each block b,
/// y[ix[b]·c ..< ix[b]·c + c] += Σ_ii block_b[ii, :]·ax[ii], the r terms of each lane summed in row order. For
/// r ∈ {1, 2, 4} the r coefficients are broadcast into vectors once per block row (other r go block by block,
/// ``_bsrScatterBlock``). Against broadcasting them for every block (BSR Aᵀ·x, n = 20000, 4×4 blocks at 1%,
/// 2 threads, alternating in one process): 2×2 blocks 1.9–2.1× faster, 4×4 1.3–1.4×; on the 5-point stencil of
/// an 894 × 894 grid, 2×2 1.45–1.5×, 4×4 within noise.
@inlinable @inline(__always)
func _bsrScatterBlockRow<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ s: Int, _ e: Int, _ r: Int, _ ix: UnsafePointer<I>, _ v: UnsafePointer<S>, _ ax: UnsafePointer<S.Arithmetic>,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _: V.Type
) where V.Scalar == S.Arithmetic {
    let c = V.scalarCount, rc = r &* c
    @inline(__always) func out(_ b: Int) -> UnsafeMutablePointer<S.Arithmetic> {
        y + Int(truncatingIfNeeded: ix[b]) &* c
    }
    @inline(__always) func add(_ acc: V, _ b: Int) {
        let yb = out(b)
        _store(_load(UnsafePointer(yb), V.self) + acc, yb)
    }
    switch r {
    case 1:
        let a0 = V(repeating: ax[0])
        for b in s..<e { add(_loadValues(v + b &* c, V.self) * a0, b) }
    case 2:
        let a0 = V(repeating: ax[0]), a1 = V(repeating: ax[1])
        for b in s..<e {
            let vb = v + b &* rc
            add(_loadValues(vb, V.self) * a0 + _loadValues(vb + c, V.self) * a1, b)
        }
    case 4:
        let a0 = V(repeating: ax[0]), a1 = V(repeating: ax[1]), a2 = V(repeating: ax[2]), a3 = V(repeating: ax[3])
        for b in s..<e {
            let vb = v + b &* rc
            var acc = _loadValues(vb, V.self) * a0 + _loadValues(vb + c, V.self) * a1
            acc += _loadValues(vb + 2 &* c, V.self) * a2
            acc += _loadValues(vb + 3 &* c, V.self) * a3
            add(acc, b)
        }
    default:
        for b in s..<e { _bsrScatterBlock(v + b &* rc, r, ax, out(b), V.self) }
    }
}

/// y[0..<c] += Σ_ii block[ii, :]·ax[ii] for one r×c block with c = `V.scalarCount` lanes.
@inlinable @inline(__always)
func _bsrScatterBlock<S: SparseScalar, V: SIMD>(_ vb: UnsafePointer<S>, _ r: Int, _ ax: UnsafePointer<S.Arithmetic>,
                                                _ y: UnsafeMutablePointer<S.Arithmetic>, _: V.Type)
    where V.Scalar == S.Arithmetic
{
    let c = V.scalarCount
    var acc = V()
    for ii in 0..<r { acc += _loadValues(vb + ii &* c, V.self) * V(repeating: ax[ii]) }
    _store(_load(UnsafePointer(y), V.self) + acc, y)
}

extension BlockSparseMatrix {
    /// Y ← α·op(A)·X + β·Y, for X and Y in either layout.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        typealias T = Scalar.Arithmetic
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        if y.rows == 0 || y.columns == 0 { return }
        if alpha == 0 { return _scale(y, by: beta) }
        if blockRows == 1 && blockColumns == 1 {
            return CSRMatrix(uncheckedPattern: pattern, values: values)
                .multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
        }
        if let (xv, yv) = _contiguousVectors(x, y) {
            // One right-hand side: the SpMV kernels (A·X ran 2.8× and Aᵀ·X 6.6× slower here at k = 1).
            return multiply(op, alpha: alpha, x: xv, beta: beta, y: yv, configuration: configuration)
        }
        let r = blockRows, c = blockColumns, rc = r &* c, k = x.columns
        let nbr = blockRowCount, nbc = blockColumnCount, m = rows, n = columns
        if op == .none {
            // A·X gathers c rows of X per stored block, panel by panel when X is large.
            _withGatherPanels(x, gatheredRows: blockCount &* c, configuration: configuration) { xp, ldx, columns in
                _withPointers(pattern, values) { o, ix, v, nnz in
                    let k = columns.count
                    let out = _Output(y).shifted(columns: columns.lowerBound)
                    let parts = configuration._dynamicParts(work: nnz &* k, limit: nbr)
                    let partition = RowPartition(offsets: o, sliceCount: nbr, parts: parts, sliceCost: 1)
                    // X rows are hit at random; prefetch those of the block two ahead when X outgrows L2.
                    let prefetch = n &* k &* MemoryLayout<T>.stride > _prefetchThresholdBytes
                    _parallelFor(parts, threads: configuration.threads) { t in
                        let blockRows = partition.range(t)
                        switch (MemoryLayout<T>.stride <= 4, prefetch) {
                        case (true, true):
                            _bsrSpMMRows(blockRows, r, c, m, n, k, o, ix, v, alpha, xp, ldx, beta, out, _Prefetching.self, SIMD8<T>.self)
                        case (true, false):
                            _bsrSpMMRows(blockRows, r, c, m, n, k, o, ix, v, alpha, xp, ldx, beta, out, _NotPrefetching.self, SIMD8<T>.self)
                        case (false, true):
                            _bsrSpMMRows(blockRows, r, c, m, n, k, o, ix, v, alpha, xp, ldx, beta, out, _Prefetching.self, SIMD4<T>.self)
                        case (false, false):
                            _bsrSpMMRows(blockRows, r, c, m, n, k, o, ix, v, alpha, xp, ldx, beta, out, _NotPrefetching.self, SIMD4<T>.self)
                        }
                    }
                }
            }
            return
        }
        _withRowMajor(x, configuration: configuration) { xp, ldx in
            _withPointers(pattern, values) { o, ix, v, nnz in
                _withRowMajorOutput(y, beta: beta, configuration: configuration) { out, beta in
                    let parts = configuration._parts(work: nnz &* k, limit: nbc)
                    // Part t owns block columns _evenRange(t), that is these rows of Y.
                    func ownedRows(_ t: Int) -> Range<Int> {
                        let blocks = _evenRange(t, of: parts, count: nbc)
                        let lo = blocks.lowerBound &* c
                        return lo..<Swift.max(lo, Swift.min(n, blocks.upperBound &* c))
                    }
                    _ownerComputes(out, rows: n, columns: k, beta: beta, parts: parts, ownedRows: ownedRows,
                                   configuration: configuration) { t, out, columns in
                        let ownedBlocks = _evenRange(t, of: parts, count: nbc)
                        if ownedBlocks.isEmpty { return }
                        let k = columns.count
                        for br in 0..<nbr {
                            let entries = _ownedEntries(o, ix, br, owned: ownedBlocks, minorCount: nbc)
                            let rows = Swift.min(r, m &- br &* r)
                            let xrows = xp + (br &* r &* ldx &+ columns.lowerBound)
                            for b in entries {
                                let j0 = Int(truncatingIfNeeded: ix[b]) &* c
                                if r <= 2 {
                                    // One or two rows a block: one _axpy per row of the block measured
                                    // faster (1.13–1.15× at 2×2) than summing them into each Y row.
                                    for ii in 0..<rows {
                                        let xrow = xrows + ii &* ldx
                                        let vb = v + (b &* rc &+ ii &* c)
                                        for jj in 0..<Swift.min(c, n &- j0) {
                                            let a = alpha * vb[jj].arithmetic
                                            let yrow = out.base + (j0 &+ jj) &* out.rowStride
                                            if MemoryLayout<T>.stride <= 4 {
                                                _axpy(k, a, xrow, yrow, SIMD8<T>.self)
                                            } else {
                                                _axpy(k, a, xrow, yrow, SIMD4<T>.self)
                                            }
                                        }
                                    }
                                    continue
                                }
                                for jj in 0..<Swift.min(c, n &- j0) {
                                    // Y row j0 + jj += Σ_ii (α·A[ii, jj])·(X row br·r + ii), in ii order.
                                    let yrow = out.base + (j0 &+ jj) &* out.rowStride
                                    let vb = v + (b &* rc &+ jj)
                                    if MemoryLayout<T>.stride <= 4 {
                                        _axpyRows(k, alpha, vb, c, rows, xrows, ldx, yrow, SIMD8<T>.self)
                                    } else {
                                        _axpyRows(k, alpha, vb, c, rows, xrows, ldx, yrow, SIMD4<T>.self)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Block rows `blockRowRange` of A·X. For r ∈ {2, 4, 8} the whole block row is register-blocked at once
/// (r rows × 8/r vectors = eight accumulators): each X row segment loaded for a block serves all r rows.
/// Columns left over take narrower blocks of all r rows (``_bsrNarrowPass``: 2 rows × 2 or 1 vectors, 4 rows
/// × 1 vector; before, they went row by row: 1.2–1.6× faster for 2×2 blocks at k = 4 to 24, 1.3–2.6× for
/// 4×4 at k = 4, 12 and Float32 k = 8, 24). Other r go by pairs of rows (2 rows × 4, 2 or 1 vectors, the same
/// narrow pass). What is still left, and an odd last row, goes row by row (`_bsrSpMMRow`).
/// When `P` prefetches (X larger than L2), the X rows of the block two ahead are prefetched.
@inlinable
func _bsrSpMMRows<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ blockRowRange: Range<Int>, _ r: Int, _ c: Int, _ m: Int, _ n: Int, _ k: Int, _ off: UnsafePointer<I>,
    _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>,
    _ ldx: Int, _ beta: S.Arithmetic, _ out: _Output<S.Arithmetic>, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    // Only where r rows × 8/r vectors fill all eight accumulators; other r take pairs of rows (2 rows × 4
    // vectors) and a last odd row alone. Against one row at a time (alternating in one process, n = 20001,
    // 1% of blocks, 2 threads): 5×5, 6×6 and 7×7 1.07–1.44× at Float64 k = 32 and 128 and Float32 k = 64,
    // 3×3 1.0–1.23×; Float32 k = 128 0.95–1.19×; at k = 4 to 24, 1.16–1.36× (3×3 and 5×5). Also measured,
    // k = 32, against CSR's SpMM on the same matrix: 3 rows × 2 vectors for 3×3 blocks, 0.69× Float64 and 0.78×
    // Float32, no better than row by row; 5 rows × 1 vector for 5×5 blocks, 0.51× against 0.76× row by row:
    // the narrower the pass, the more passes over the block row and the less of each X line each one uses.
    let width = r == 2 || r == 4 || r == 8 ? 8 / r &* w : 0
    let cs = out.columnStride
    // Prefetching runs on past the end of a block row into the next ones of the range.
    let pe = Int(truncatingIfNeeded: off[blockRowRange.upperBound])
    for br in blockRowRange {
        var j = 0
        let s = Int(truncatingIfNeeded: off[br]), e = Int(truncatingIfNeeded: off[br &+ 1])
        let rows = Swift.min(r, m &- br &* r)
        if width > 0 {
            while j &+ width <= k {
                var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
                switch r {
                case 2:  // 2 rows × 4 vectors
                    for b in s..<e {
                        if P.enabled { _bsrPrefetch(b, pe, c, n, idx, x, ldx, j, width) }
                        let j0 = Int(truncatingIfNeeded: idx[b]) &* c
                        let vb = val + b &* (2 &* c)
                        for jj in 0..<Swift.min(c, n &- j0) {
                            let xr = x + ((j0 &+ jj) &* ldx &+ j)
                            let x0 = _load(xr, V.self), x1 = _load(xr + w, V.self)
                            let x2 = _load(xr + 2 &* w, V.self), x3 = _load(xr + 3 &* w, V.self)
                            let b0 = V(repeating: vb[jj].arithmetic), b1 = V(repeating: vb[c &+ jj].arithmetic)
                            a0 += b0 * x0; a1 += b0 * x1; a2 += b0 * x2; a3 += b0 * x3
                            a4 += b1 * x0; a5 += b1 * x1; a6 += b1 * x2; a7 += b1 * x3
                        }
                    }
                case 4:  // 4 rows × 2 vectors
                    for b in s..<e {
                        if P.enabled { _bsrPrefetch(b, pe, c, n, idx, x, ldx, j, width) }
                        let j0 = Int(truncatingIfNeeded: idx[b]) &* c
                        let vb = val + b &* (4 &* c)
                        for jj in 0..<Swift.min(c, n &- j0) {
                            let xr = x + ((j0 &+ jj) &* ldx &+ j)
                            let x0 = _load(xr, V.self), x1 = _load(xr + w, V.self)
                            let b0 = V(repeating: vb[jj].arithmetic), b1 = V(repeating: vb[c &+ jj].arithmetic)
                            let b2 = V(repeating: vb[2 &* c &+ jj].arithmetic)
                            let b3 = V(repeating: vb[3 &* c &+ jj].arithmetic)
                            a0 += b0 * x0; a1 += b0 * x1; a2 += b1 * x0; a3 += b1 * x1
                            a4 += b2 * x0; a5 += b2 * x1; a6 += b3 * x0; a7 += b3 * x1
                        }
                    }
                default:  // 8 rows × 1 vector
                    for b in s..<e {
                        if P.enabled { _bsrPrefetch(b, pe, c, n, idx, x, ldx, j, width) }
                        let j0 = Int(truncatingIfNeeded: idx[b]) &* c
                        let vb = val + b &* (8 &* c)
                        for jj in 0..<Swift.min(c, n &- j0) {
                            let x0 = _load(x + ((j0 &+ jj) &* ldx &+ j), V.self)
                            a0 += V(repeating: vb[jj].arithmetic) * x0
                            a1 += V(repeating: vb[c &+ jj].arithmetic) * x0
                            a2 += V(repeating: vb[2 &* c &+ jj].arithmetic) * x0
                            a3 += V(repeating: vb[3 &* c &+ jj].arithmetic) * x0
                            a4 += V(repeating: vb[4 &* c &+ jj].arithmetic) * x0
                            a5 += V(repeating: vb[5 &* c &+ jj].arithmetic) * x0
                            a6 += V(repeating: vb[6 &* c &+ jj].arithmetic) * x0
                            a7 += V(repeating: vb[7 &* c &+ jj].arithmetic) * x0
                        }
                    }
                }
                // Accumulator q holds row q / (8 / r), vector q % (8 / r).
                let perRow = 8 / r
                let accs = (a0, a1, a2, a3, a4, a5, a6, a7)
                @inline(__always) func acc(_ q: Int) -> V {
                    switch q {
                    case 0: return accs.0
                    case 1: return accs.1
                    case 2: return accs.2
                    case 3: return accs.3
                    case 4: return accs.4
                    case 5: return accs.5
                    case 6: return accs.6
                    default: return accs.7
                    }
                }
                for q in 0..<8 where q / perRow < rows {
                    let yq = out.base + (br &* r &+ q / perRow) &* out.rowStride + (j &+ (q % perRow) &* w) &* cs
                    _storeRow(acc(q), yq, cs, alpha, beta)
                }
                j &+= width
            }
            // Narrower blocks for what is left: 2 rows × 2 vectors, 2 rows × 1 vector, 4 rows × 1 vector.
            if r == 2 && j &+ 2 &* w <= k {
                _bsrNarrowPass(_V2.self, _V2.self, br, 0, r, s, e, pe, rows, c, n, idx, val, x + j, ldx, alpha, beta,
                               out.shifted(columns: j), P.self, V.self)
                j &+= 2 &* w
            }
            if (r == 2 || r == 4) && j &+ w <= k {
                if r == 2 {
                    _bsrNarrowPass(_V2.self, _V1.self, br, 0, r, s, e, pe, rows, c, n, idx, val, x + j, ldx, alpha,
                                   beta, out.shifted(columns: j), P.self, V.self)
                } else {
                    _bsrNarrowPass(_V4.self, _V1.self, br, 0, r, s, e, pe, rows, c, n, idx, val, x + j, ldx, alpha,
                                   beta, out.shifted(columns: j), P.self, V.self)
                }
                j &+= w
            }
        }
        if width == 0 && rows >= 2 {
            // Other r: pairs of rows register-blocked together (2 rows × 4, 2 or 1 vectors), then what is left
            // of each pair's columns, and an odd last row, row by row.
            var ii0 = 0
            while ii0 &+ 2 <= rows {
                var jp = 0
                while jp &+ 4 &* w <= k {
                    _bsrNarrowPass(_V2.self, _V4.self, br, ii0, r, s, e, pe, rows &- ii0, c, n, idx, val, x + jp, ldx,
                                   alpha, beta, out.shifted(columns: jp), P.self, V.self)
                    jp &+= 4 &* w
                }
                if jp &+ 2 &* w <= k {
                    _bsrNarrowPass(_V2.self, _V2.self, br, ii0, r, s, e, pe, rows &- ii0, c, n, idx, val, x + jp, ldx,
                                   alpha, beta, out.shifted(columns: jp), P.self, V.self)
                    jp &+= 2 &* w
                }
                if jp &+ w <= k {
                    _bsrNarrowPass(_V2.self, _V1.self, br, ii0, r, s, e, pe, rows &- ii0, c, n, idx, val, x + jp, ldx,
                                   alpha, beta, out.shifted(columns: jp), P.self, V.self)
                    jp &+= w
                }
                if jp < k {
                    _bsrSpMMRow(br, ii0, r, c, n, jp, k, off, idx, val, alpha, x, ldx, beta, out, V.self)
                    _bsrSpMMRow(br, ii0 &+ 1, r, c, n, jp, k, off, idx, val, alpha, x, ldx, beta, out, V.self)
                }
                ii0 &+= 2
            }
            if ii0 < rows {
                _bsrSpMMRow(br, ii0, r, c, n, 0, k, off, idx, val, alpha, x, ldx, beta, out, V.self)
            }
            continue
        }
        if j < k {
            for ii in 0..<rows {
                _bsrSpMMRow(br, ii, r, c, n, j, k, off, idx, val, alpha, x, ldx, beta, out, V.self)
            }
        }
    }
}

/// Rows `ii0 ..< ii0 + R.count` of block row `br` of A·X (blocks of r rows), over `N.count` vectors of columns
/// starting at `x`, all R rows register-blocked at once, so each X row segment loaded serves all of them:
/// R = 2 with N = 1, 2 or 4, or R = 4 with N = 1 (R·N ≤ 8 accumulators). `rows`: the rows of the block row that
/// exist, counted from `ii0`. Accumulator q holds row q % R, vector q / R.
@inlinable @inline(__always)
func _bsrNarrowPass<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy, R: _VectorCount, N: _VectorCount>(
    _: R.Type, _: N.Type, _ br: Int, _ ii0: Int, _ r: Int, _ s: Int, _ e: Int, _ pe: Int, _ rows: Int, _ c: Int,
    _ n: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int,
    _ alpha: S.Arithmetic, _ beta: S.Arithmetic, _ out: _Output<S.Arithmetic>, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount, nr = R.count, nv = N.count, rc = r &* c
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
    for b in s..<e {
        if P.enabled { _bsrPrefetch(b, pe, c, n, idx, x, ldx, 0, nv &* w) }
        let j0 = Int(truncatingIfNeeded: idx[b]) &* c
        let vb = val + (b &* rc &+ ii0 &* c)
        for jj in 0..<Swift.min(c, n &- j0) {
            let xr = x + (j0 &+ jj) &* ldx
            let x0 = _load(xr, V.self)
            let b0 = V(repeating: vb[jj].arithmetic), b1 = V(repeating: vb[c &+ jj].arithmetic)
            a0 += b0 * x0
            a1 += b1 * x0
            if nr > 2 {
                a2 += V(repeating: vb[2 &* c &+ jj].arithmetic) * x0
                a3 += V(repeating: vb[3 &* c &+ jj].arithmetic) * x0
            } else if nv > 1 {
                let x1 = _load(xr + w, V.self)
                a2 += b0 * x1
                a3 += b1 * x1
                if nv > 2 {
                    let x2 = _load(xr + 2 &* w, V.self), x3 = _load(xr + 3 &* w, V.self)
                    a4 += b0 * x2
                    a5 += b1 * x2
                    a6 += b0 * x3
                    a7 += b1 * x3
                }
            }
        }
    }
    let cs = out.columnStride
    @inline(__always) func store(_ acc: V, _ q: Int) {
        let row = q % nr, v = q / nr
        if row < rows {
            _storeRow(acc, out.base + (br &* r &+ ii0 &+ row) &* out.rowStride + v &* w &* cs, cs, alpha, beta)
        }
    }
    store(a0, 0)
    store(a1, 1)
    if nr &* nv > 2 {
        store(a2, 2)
        store(a3, 3)
    }
    if nr &* nv > 4 {
        store(a4, 4)
        store(a5, 5)
        store(a6, 6)
        store(a7, 7)
    }
}

/// Prefetches the `c` X rows (columns `j ..< j + width`) of block `b + 2`, or of the last block before `e` (the
/// end of the caller's block rows, so that the prefetching runs on into the next block row). On a Zen 4 machine
/// of the same kind (n = 20000, 4×4 blocks at 1%, Float64, k = 32 and 128, 2 threads, alternating in one
/// process), blocks 4 and 8 ahead measured within noise of 2; without the prefetch, 4×4 blocks ran at
/// 0.82–1.06× at k = 32 and 0.83–0.86× at k = 128.
@inlinable @inline(__always)
func _bsrPrefetch<I: SparseIndex, T>(_ b: Int, _ e: Int, _ c: Int, _ n: Int, _ idx: UnsafePointer<I>,
                                     _ x: UnsafePointer<T>, _ ldx: Int, _ j: Int, _ width: Int) {
    let jf = Int(truncatingIfNeeded: idx[Swift.min(b &+ 2, e &- 1)]) &* c
    let bytes = width &* MemoryLayout<T>.stride
    for jj in 0..<Swift.min(c, n &- jf) {
        _prefetchLines(UnsafeRawPointer(x + ((jf &+ jj) &* ldx &+ j)), bytes: bytes)
    }
}

/// Output row `br·r + ii`, columns `jStart ..< k` of A·X: register blocks of eight, four, two and one vectors
/// over the columns, each accumulating the c values of every block of the block row against the matching rows
/// of X (``_bsrRowBlock``), then scalar columns.
@inlinable
func _bsrSpMMRow<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ br: Int, _ ii: Int, _ r: Int, _ c: Int, _ n: Int, _ jStart: Int, _ k: Int, _ off: UnsafePointer<I>,
    _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>,
    _ ldx: Int, _ beta: S.Arithmetic, _ out: _Output<S.Arithmetic>, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount, rc = r &* c
    let s = Int(truncatingIfNeeded: off[br]), e = Int(truncatingIfNeeded: off[br &+ 1])
    let yrow = out.base + (br &* r &+ ii) &* out.rowStride
    let cs = out.columnStride
    var j = jStart
    while j &+ 8 &* w <= k {
        _bsrRowBlock(_V8.self, s, e, ii, c, rc, n, idx, val, x + j, ldx, alpha, beta, yrow + j &* cs, cs, V.self)
        j &+= 8 &* w
    }
    if j &+ 4 &* w <= k {
        _bsrRowBlock(_V4.self, s, e, ii, c, rc, n, idx, val, x + j, ldx, alpha, beta, yrow + j &* cs, cs, V.self)
        j &+= 4 &* w
    }
    if j &+ 2 &* w <= k {
        _bsrRowBlock(_V2.self, s, e, ii, c, rc, n, idx, val, x + j, ldx, alpha, beta, yrow + j &* cs, cs, V.self)
        j &+= 2 &* w
    }
    if j &+ w <= k {
        _bsrRowBlock(_V1.self, s, e, ii, c, rc, n, idx, val, x + j, ldx, alpha, beta, yrow + j &* cs, cs, V.self)
        j &+= w
    }
    while j < k {
        var acc = S.Arithmetic.zero
        for b in s..<e {
            let j0 = Int(truncatingIfNeeded: idx[b]) &* c
            let vb = val + (b &* rc &+ ii &* c)
            for jj in 0..<Swift.min(c, n &- j0) { acc += vb[jj].arithmetic * x[(j0 &+ jj) &* ldx &+ j] }
        }
        let ej = yrow + j &* cs
        _finish(ej, acc, alpha, beta)
        j &+= 1
    }
}

/// `N.count` vectors (1, 2, 4 or 8) of columns of one output row of BSR's A·X: row `ii` of every block
/// `s ..< e` of a block row against the c rows of X it meets, one entry (block, column) a step, each vector
/// its own accumulator. Row 0 of a block row prefetches the X rows of the block two ahead (the later rows of
/// the block row find them cached). The count is a type so that each size is its own specialisation (see
/// ``_VectorCount``). Also measured for 3×3 and 6×6 blocks and dropped, within noise: prefetching ⌈16 / c⌉
/// blocks ahead, in every row of the block row; the three entries of a full 3-column block written out.
@inlinable @inline(__always)
func _bsrRowBlock<S: SparseScalar, I: SparseIndex, V: SIMD, N: _VectorCount>(
    _: N.Type, _ s: Int, _ e: Int, _ ii: Int, _ c: Int, _ rc: Int, _ n: Int, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ alpha: S.Arithmetic,
    _ beta: S.Arithmetic, _ y: UnsafeMutablePointer<S.Arithmetic>, _ cs: Int, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount, nv = N.count
    // A constant, so that the prefetches unroll.
    let blockBytes = nv &* w &* MemoryLayout<S.Arithmetic>.stride
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
    for b in s..<e {
        let j0 = Int(truncatingIfNeeded: idx[b]) &* c
        let vb = val + (b &* rc &+ ii &* c)
        if ii == 0 {
            let jf = Int(truncatingIfNeeded: idx[Swift.min(b &+ 2, e &- 1)]) &* c
            for jj in 0..<Swift.min(c, n &- jf) {
                _prefetchLines(UnsafeRawPointer(x + (jf &+ jj) &* ldx), bytes: blockBytes)
            }
        }
        for jj in 0..<Swift.min(c, n &- j0) {
            let xr = x + (j0 &+ jj) &* ldx
            let a = V(repeating: vb[jj].arithmetic)
            a0 += a * _load(xr, V.self)
            if nv > 1 { a1 += a * _load(xr + w, V.self) }
            if nv > 2 {
                a2 += a * _load(xr + 2 &* w, V.self)
                a3 += a * _load(xr + 3 &* w, V.self)
            }
            if nv > 4 {
                a4 += a * _load(xr + 4 &* w, V.self)
                a5 += a * _load(xr + 5 &* w, V.self)
                a6 += a * _load(xr + 6 &* w, V.self)
                a7 += a * _load(xr + 7 &* w, V.self)
            }
        }
    }
    _storeRow(a0, y, cs, alpha, beta)
    if nv > 1 { _storeRow(a1, y + w &* cs, cs, alpha, beta) }
    if nv > 2 {
        _storeRow(a2, y + 2 &* w &* cs, cs, alpha, beta)
        _storeRow(a3, y + 3 &* w &* cs, cs, alpha, beta)
    }
    if nv > 4 {
        _storeRow(a4, y + 4 &* w &* cs, cs, alpha, beta)
        _storeRow(a5, y + 5 &* w &* cs, cs, alpha, beta)
        _storeRow(a6, y + 6 &* w &* cs, cs, alpha, beta)
        _storeRow(a7, y + 7 &* w &* cs, cs, alpha, beta)
    }
}
