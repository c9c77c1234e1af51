import CBLAS
import SparseCore

// COO products. Each thread owns a contiguous range of output rows (columns of A for Aᵀ). When the entries
// are sorted by output row (a canonical COO multiplied untransposed), the range is chosen so the threads get
// equal numbers of entries and each reads only its own slice of the arrays. Otherwise every thread scans all
// entries and keeps those in its range (for SpMV only when x and y together exceed 8 MiB; below, one thread) —
// except for SpMV with at least 8 entries per output, where the entries are cut into chunks fixed by the matrix
// and scattered into partial vectors added in chunk order, and for a canonical COO's Aᵀ·x on a banded matrix,
// which takes the halo scatter over chunks of entries (see `Compressed+Scatter.swift`; 2 threads, alternating
// processes against the owner-computes path it replaced: the 5-point stencil on 2000 × 2000 1.9–2.2 GFLOP/s
// against 0.95–1.1). A run of consecutive entries with the same output row is one CSR-like
// row: summed with CSR's vector row kernel (SpMV) or register-blocked row kernel (SpMM) and added into the
// output once; in SpMM a run of one entry adds its term directly, with the rows of X and Y it will touch
// prefetched 8 entries ahead (`_cooRunsSpMM`). Runs end at any change of row in the stored order, whichever
// thread reads them, so results are bitwise identical for every thread count. Duplicates simply add. Above
// ``KernelConfiguration/spmvPrefetchBytes`` the run SpMV of sorted entries prefetches values and columns through
// CSR's cursor, as far ahead and towards the same caches as CSR's row loop (``_spmvPrefetchesTowardsL2``,
// ``_spmvPrefetchDistance``). Against not prefetching (2 threads, alternating builds, Float64 and Float32, when
// it prefetched 512 entries ahead towards L1): n = 20000 at 1% 1.35–1.5× and 1.1–1.5×, 4096² at 20% 1.3–1.55×
// and 1.0–1.3×, a 5-point stencil 1.0–1.95× and 1.4–2.5×. Towards L2 and then L1 against that (a Zen 4 machine of
// the same kind, alternating in one process, n = 20000 at 1%): Float64 1.13–1.15×, Float32 1.02–1.07×.
// Prefetching every run of unsorted entries, which every thread scans, measured 0.65× on the stencil's
// transpose, and catching all three streams up at each run's start (a burst of prefetches per long run)
// 0.4–0.8× at 4096² and 20%: neither is done.
//
// A canonical COO multiplied transposed by a block (Aᵀ·X, k > 1) is CSR's Aᵀ·X: runs of one row of A, each
// scattered with the X row held in registers (`_scatterRows`) into the rows of Y its thread owns. Through the
// path above, each run of one output row is a single entry, whose Y row was updated without prefetching:
// measured n = 20000 at 1%, k = 32, Float64, 2 threads, 3.5 GFLOP/s (0.19× COO A·X) before, 8.2 after.

extension COOMatrix: MatrixMultiplying {
    /// y ← α·op(A)·x + β·y.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: UnsafeBufferPointer<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: UnsafeMutableBufferPointer<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        _checkSpMV(op, rows, columns, x.count, y.count)
        guard let yp = y.baseAddress, y.count > 0 else { return }
        let xp = x.baseAddress ?? _dangling()
        if alpha == 0 { return _scale(yp, count: y.count, stride: 1, by: beta) }
        let (outIdx, inIdx) = op == .none ? (rowIndices, columnIndices) : (columnIndices, rowIndices)
        let sorted = isCanonical && op == .none
        _withPointers(outIdx, inIdx, values) { o, c, v, nnz in
            let m = y.count
            let chunks = _scatterChunkCount(entries: nnz, outputs: m)
            if !sorted && chunks > 1 {
                // Unsorted: chunks of consecutive entries (fixed by the matrix), scattered into partials.
                return _chunkedScatter(outputs: m, chunks: chunks,
                                       chunkRange: { q in _evenRange(q, of: chunks, count: nnz) },
                                       alpha: alpha, beta: beta, y: yp, incy: 1, work: nnz,
                                       configuration: configuration) { entries, py in
                    for p in entries {
                        py[Int(truncatingIfNeeded: o[p])] += v[p].arithmetic * xp[Int(truncatingIfNeeded: c[p])]
                    }
                }
            }
            if isCanonical && op == .transpose {
                let inputs = x.count
                let haloChunks = _cooHaloChunks(c, o, inputs: inputs, outputs: m, entries: nnz)
                if haloChunks > 1 {
                    // Banded: the halo scatter over chunks of entries (rows ascend, so cores follow the rows).
                    return _haloScatter(chunks: haloChunks, outputs: m, width: 1,
                                        core: { _cooHaloCore($0, haloChunks, c, inputs, m, nnz) }, beta: beta,
                                        y: yp, rowStride: 1, work: nnz, configuration: configuration) { q, halo in
                        let core = halo.core
                        for p in _evenRange(q, of: haloChunks, count: nnz) {
                            let j = Int(truncatingIfNeeded: o[p])
                            let term = alpha * xp[Int(truncatingIfNeeded: c[p])] * v[p].arithmetic
                            if core.contains(j) {
                                yp[j] += term
                            } else {
                                halo.reach(j, j)
                                halo.row(j).pointee += term
                            }
                        }
                    }
                }
            }
            // Unsorted entries are scanned whole by every part, which pays only when the random accesses to x
            // and y miss the caches: below 8 MiB of x and y together, one part (2 threads against 1, A·x of a
            // permuted uniform matrix with 4 entries per row: n = 20000 to 200000 0.5–0.85×, n = 10⁶ 1.4–1.8×,
            // the permuted 5-point stencil on 2000 × 2000 1.8×).
            let scanned = (m &+ x.count) &* MemoryLayout<Scalar.Arithmetic>.stride >= _cooParallelScanBytes
            let parts = sorted || scanned ? configuration._parts(work: nnz, limit: m) : 1
            // Sorted entries: the values and columns prefetched as in CSR's SpMV, through its cursor (each run
            // catches it up to its start plus the distance, then the row kernel moves it a line per block).
            // Unsorted entries, which every thread scans, are not prefetched.
            let prefetch = sorted && nnz &* (MemoryLayout<Scalar>.stride &+ 2 &* MemoryLayout<Index>.stride)
                > configuration.spmvPrefetchBytes
            let towardsL2 = _spmvPrefetchesTowardsL2(Scalar.self, xCount: x.count)
            @inline(__always)
            func runs<P: _PrefetchPolicy>(_ owned: Range<Int>, _ entries: Range<Int>, _: P.Type) {
                let line = _spmvLineEntries(Scalar.self, Index.self)
                let distance = _spmvPrefetchDistance(Scalar.self, P.self)
                var ahead = entries.lowerBound &+ distance
                _forEachOwnedRun(o, entries, owned) { r, p, q in
                    if P.enabled { _prefetchCatchUp(v, c, &ahead, line, to: p &+ distance, P.self) }
                    yp[r] += alpha * _rowDot(p, q, c, v, xp, &ahead, P.self)
                }
            }
            _parallelFor(parts) { t in
                let (owned, entries) = _cooShare(t, parts, o, nnz, m, sorted)
                _scale(yp + owned.lowerBound, count: owned.count, stride: 1, by: beta)
                if prefetch && towardsL2 {
                    runs(owned, entries, _PrefetchingToL2.self)
                } else if prefetch {
                    runs(owned, entries, _Prefetching.self)
                } else {
                    runs(owned, entries, _NotPrefetching.self)
                }
            }
        }
    }

    /// Y ← α·op(A)·X + β·Y, for X and Y in either layout.
    @inlinable
    public func multiply(_ op: MatrixOperation, alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                         beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                         configuration: KernelConfiguration) {
        typealias T = Scalar.Arithmetic
        _checkSpMM(op, rows, columns, x.rows, x.columns, y.rows, y.columns)
        if y.rows == 0 || y.columns == 0 { return }
        if alpha == 0 { return _scale(y, by: beta) }
        if let (xv, yv) = _contiguousVectors(x, y) {
            // One right-hand side: the SpMV kernels (Aᵀ·X in row order ran 10× slower here at k = 1).
            return multiply(op, alpha: alpha, x: xv, beta: beta, y: yv, configuration: configuration)
        }
        let (outIdx, inIdx) = op == .none ? (rowIndices, columnIndices) : (columnIndices, rowIndices)
        let sorted = isCanonical && op == .none
        let m = y.rows
        if isCanonical && op == .transpose && x.columns > 1 {
            return _canonicalTransposedSpMM(alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
        }
        // Sorted runs of scattered columns take CSR's far X-row prefetch too (``_scatteredGather``), sampled once
        // for all panels and only when X is larger than L2, as in CSR's SpMM.
        let scattered = sorted && x.rows &* x.columns &* MemoryLayout<T>.stride > _prefetchThresholdBytes
            && inIdx.withUnsafeBufferPointer { c in
                c.baseAddress.map { _scatteredGather($0, entries: c.count) } ?? false
            }
        // Every stored entry reads the X row of its input index (a gather, in either direction).
        _withRowMajorOutput(y, beta: beta, configuration: configuration) { out, beta in
            _withGatherPanels(x, gatheredRows: values.count, configuration: configuration) { xp, ldx, columns in
                let k = columns.count, out = out.shifted(columns: columns.lowerBound)
                _withPointers(outIdx, inIdx, values) { o, c, v, nnz in
                    let parts = configuration._parts(work: nnz &* k, limit: m)
                    let prefetch = x.rows &* k &* MemoryLayout<T>.stride > _prefetchThresholdBytes
                    let far = prefetch && scattered
                    @inline(__always)
                    func runs<P: _PrefetchPolicy>(_ entries: Range<Int>, _ owned: Range<Int>, _: P.Type) {
                        if MemoryLayout<T>.stride <= 4 {
                            _cooRunsSpMM(entries, owned, o, c, v, alpha, xp, ldx, k, out, P.self, SIMD8<T>.self)
                        } else {
                            _cooRunsSpMM(entries, owned, o, c, v, alpha, xp, ldx, k, out, P.self, SIMD4<T>.self)
                        }
                    }
                    _parallelFor(parts) { t in
                        let (owned, entries) = _cooShare(t, parts, o, nnz, m, sorted)
                        _scale(out, rows: owned, columns: k, by: beta)
                        if far {
                            runs(entries, owned, _PrefetchingToL2.self)
                        } else if prefetch {
                            runs(entries, owned, _Prefetching.self)
                        } else {
                            runs(entries, owned, _NotPrefetching.self)
                        }
                    }
                }
            }
        }
    }
}

extension COOMatrix {
    /// Y ← α·Aᵀ·X + β·Y for canonical entries (sorted row-major, no repeats), k > 1, shapes checked, α ≠ 0,
    /// Y not empty: on a banded matrix the halo scatter (see `HaloScatter.swift`), otherwise CSR's
    /// owner-computes scatter. Each row's entries are a run whose columns ascend, so the
    /// outputs a thread owns are a contiguous part of each run (``_ownedEntries``), and the scatter
    /// row kernel holds the row of X in registers while it updates those rows of Y.
    @inlinable
    func _canonicalTransposedSpMM(alpha: Scalar.Arithmetic, x: DenseMatrixView<Scalar.Arithmetic>,
                                  beta: Scalar.Arithmetic, y: MutableDenseMatrixView<Scalar.Arithmetic>,
                                  configuration: KernelConfiguration) {
        let k = x.columns, n = columns
        _withRowMajor(x, configuration: configuration) { xp, ldx in
            _withRowMajorOutput(y, beta: beta, configuration: configuration) { out, beta in
                _withPointers(rowIndices, columnIndices, values) { ri, ci, v, nnz in
                    let chunks = _cooHaloChunks(ri, ci, inputs: rows, outputs: n, entries: nnz)
                    if chunks > 1 {
                        // Banded: the halo scatter over chunks of entries, a row's run at a time.
                        return _haloScatter(chunks: chunks, outputs: n, width: k,
                                            core: { _cooHaloCore($0, chunks, ri, rows, n, nnz) }, beta: beta,
                                            y: out.base, rowStride: out.rowStride, work: nnz &* k,
                                            configuration: configuration) { q, halo in
                            let entries = _evenRange(q, of: chunks, count: nnz)
                            var p = entries.lowerBound
                            while p < entries.upperBound {
                                let e = _runEnd(ri, p, entries.upperBound)
                                let xi = xp + Int(truncatingIfNeeded: ri[p]) &* ldx
                                halo.split(p, e, ci, y: out.base, rowStride: out.rowStride) { s, e, base, stride in
                                    _scatterRows(s, e, ci, v, alpha, xi, k, base, stride)
                                }
                                p = e
                            }
                        }
                    }
                    let parts = configuration._parts(work: nnz &* k, limit: n)
                    _ownerComputes(out, rows: n, columns: k, beta: beta, parts: parts,
                                   ownedRows: { _evenRange($0, of: parts, count: n) },
                                   configuration: configuration) { t, out, columns in
                        let owned = _evenRange(t, of: parts, count: n)
                        if owned.isEmpty { return }
                        let xj = xp + columns.lowerBound
                        var p = 0
                        while p < nnz {
                            let q = _runEnd(ri, p, nnz)
                            let mine = _ownedEntries(ci, p..<q, owned: owned, minorCount: n)
                            if !mine.isEmpty {
                                _scatterRows(mine.lowerBound, mine.upperBound, ci, v, alpha,
                                             xj + Int(truncatingIfNeeded: ri[p]) &* ldx, columns.count, out.base,
                                             out.rowStride)
                            }
                            p = q
                        }
                    }
                }
            }
        }
    }
}

/// COO SpMM over `entries` for the output rows in `owned`: each run of consecutive entries with the same output
/// row r (``_runEnd``) adds into row r of Y once, through CSR's register-blocked row kernel (``_spmmRow``, with
/// β = 1), except a run of one entry, which adds (α·val)·(its X row) directly (``_axpy``) after prefetching the
/// X row and, with intent to write, the Y row of the entry 8 ahead (when that one's row is owned). Entries in no
/// particular order make runs of one, whose Y rows are hit at random: without that prefetch, a COO in column
/// order multiplied untransposed ran at 0.21× the speed of the same matrix in row order (n = 20000 at 1%, k = 32,
/// Float64, 2 threads).
@inlinable
func _cooRunsSpMM<S: SparseScalar, I: SparseIndex, P: _PrefetchPolicy, V: SIMD>(
    _ entries: Range<Int>, _ owned: Range<Int>, _ outIdx: UnsafePointer<I>, _ inIdx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ k: Int,
    _ out: _Output<S.Arithmetic>, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    let end = entries.upperBound
    let bytes = k &* MemoryLayout<S.Arithmetic>.stride
    var p = entries.lowerBound
    while p < end {
        let q = _runEnd(outIdx, p, end)
        let r = Int(truncatingIfNeeded: outIdx[p])
        let yrow = out.base + r &* out.rowStride
        if q &- p > 1 {
            if owned.contains(r) {
                _spmmRow(p, q, end, inIdx, val, alpha, x, ldx, 0..<k, 1, yrow, 1, P.self, V.self)
            }
        } else {
            let f = Swift.min(p &+ 8, end &- 1)
            let rf = Int(truncatingIfNeeded: outIdx[f])
            if owned.contains(rf) {
                let xf = UnsafeRawPointer(x + Int(truncatingIfNeeded: inIdx[f]) &* ldx)
                let yf = UnsafeRawPointer(out.base + rf &* out.rowStride)
                _prefetchLines(xf, bytes: bytes)
                _prefetchLinesForWriting(yf, bytes: bytes)
            }
            if owned.contains(r) {
                _axpy(k, alpha * val[p].arithmetic, x + Int(truncatingIfNeeded: inIdx[p]) &* ldx, yrow, V.self)
            }
        }
        p = q
    }
}

/// The bytes of x and y from which an SpMV over unsorted COO entries, which every part scans whole, runs on
/// several threads.
@inlinable @inline(__always)
var _cooParallelScanBytes: Int { 8 << 20 }

/// The outputs chunk `q` of canonical COO's halo Aᵀ·x owns: chunk q holds entries `nnz·q/chunks ..<
/// nnz·(q+1)/chunks`, whose rows ascend, and owns the outputs from (its first entry's row)·n/m to the next
/// chunk's, so the cores partition `0..<n`.
@inlinable @inline(__always)
func _cooHaloCore<I: SparseIndex>(_ q: Int, _ chunks: Int, _ rowIdx: UnsafePointer<I>, _ m: Int, _ n: Int,
                                  _ nnz: Int) -> Range<Int> {
    func boundary(_ q: Int) -> Int {
        if q == 0 { return 0 }
        if q == chunks { return n }
        return _proportion(Int(truncatingIfNeeded: rowIdx[_evenRange(q, of: chunks, count: nnz).lowerBound]), n, m)
    }
    return boundary(q)..<boundary(q &+ 1)
}

/// Chunks for canonical COO's halo Aᵀ·x and Aᵀ·X (``_haloChunks``, as ``_haloScatterChunks`` for compressed
/// slices): each chunk probes the columns of 17 of its entries (first, last and evenly between).
@inlinable
func _cooHaloChunks<I: SparseIndex>(_ rowIdx: UnsafePointer<I>, _ colIdx: UnsafePointer<I>, inputs m: Int,
                                    outputs n: Int, entries nnz: Int) -> Int {
    _haloChunks(entries: nnz, outputs: n) { chunks, q in
        let entries = _evenRange(q, of: chunks, count: nnz)
        let core = _cooHaloCore(q, chunks, rowIdx, m, n, nnz)
        var lo = core.lowerBound, hi = core.upperBound
        for j in 0...16 {
            let c = Int(truncatingIfNeeded: colIdx[entries.lowerBound &+ (entries.count &- 1) &* j / 16])
            lo = Swift.min(lo, c)
            hi = Swift.max(hi, c &+ 1)
        }
        return (core, lo, hi)
    }
}

/// Calls `body(r, p, q)` for every run `p..<q` of consecutive entries in `entries` with the same output row `r`,
/// when `owned` holds `r`. Runs end at any change of row in the stored order.
@inlinable @inline(__always)
func _forEachOwnedRun<I: SparseIndex>(_ outIdx: UnsafePointer<I>, _ entries: Range<Int>, _ owned: Range<Int>,
                                      _ body: (_ r: Int, _ p: Int, _ q: Int) -> Void) {
    var p = entries.lowerBound
    let end = entries.upperBound
    while p < end {
        let q = _runEnd(outIdx, p, end)
        let r = Int(truncatingIfNeeded: outIdx[p])
        if owned.contains(r) { body(r, p, q) }
        p = q
    }
}

/// The end of the run of entries equal to `idx[p]` that starts at `p` (p < end): eight Int32 or four Int64
/// indices compared at a time up to the block where the run ends, then one at a time. A scan of one index per
/// step took as long as the dot products themselves in canonical COO A·x (n = 20000 at 1%: a load, compare and
/// branch per entry).
@inlinable @inline(__always)
func _runEnd<I: SparseIndex>(_ idx: UnsafePointer<I>, _ p: Int, _ end: Int) -> Int {
    let row = idx[p]
    var q = p &+ 1
    if q == end || idx[q] != row { return q }  // a run of one: entries in no particular order
    if MemoryLayout<I>.size == 4 {
        let key = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: row))
        while q &+ 8 <= end {
            let differs = UnsafeRawPointer(idx + q).loadUnaligned(as: SIMD8<Int32>.self) .!= key
            if any(differs) { break }
            q &+= 8
        }
    } else if MemoryLayout<I>.size == 8 {
        let key = SIMD4<Int64>(repeating: Int64(truncatingIfNeeded: row))
        while q &+ 4 <= end {
            let differs = UnsafeRawPointer(idx + q).loadUnaligned(as: SIMD4<Int64>.self) .!= key
            if any(differs) { break }
            q &+= 4
        }
    }
    while q < end && idx[q] == row { q &+= 1 }
    return q
}

/// Part `t`'s output rows and the entries it reads. Sorted entries: rows split at the rows of entries
/// `nnz·t/parts`, and only those rows' entries. Unsorted: an even split of the rows, and all entries.
@inlinable
func _cooShare<I: SparseIndex>(_ t: Int, _ parts: Int, _ outIdx: UnsafePointer<I>, _ nnz: Int, _ m: Int,
                               _ sorted: Bool) -> (owned: Range<Int>, entries: Range<Int>) {
    if parts == 1 { return (0..<m, 0..<nnz) }
    guard sorted else { return (_evenRange(t, of: parts, count: m), 0..<nnz) }
    func rowBoundary(_ t: Int) -> Int {
        if t == 0 { return 0 }
        if t == parts || nnz == 0 { return m }
        return Int(truncatingIfNeeded: outIdx[nnz &* t / parts])
    }
    let r0 = rowBoundary(t), r1 = Swift.max(r0, rowBoundary(t &+ 1))
    let e0 = _lowerBound(outIdx, 0, nnz, I(truncatingIfNeeded: r0))
    let e1 = r1 == m ? nnz : _lowerBound(outIdx, e0, nnz, I(truncatingIfNeeded: r1))
    return (r0..<r1, e0..<e1)
}
