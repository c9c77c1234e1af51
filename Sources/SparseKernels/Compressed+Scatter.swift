import CBLAS
import SparseCore

// Products where each stored entry adds into the output at its minor index ("scatter"): CSR's Aᵀ·x and
// Aᵀ·X, CSC's A·x and A·X, and BSR's Aᵀ·x and Aᵀ·X.
//
// Race-free and deterministic, three ways:
//
// - SpMV, when the matrix has at least 8 entries per output element: the slices are cut into a number of
//   chunks fixed by the matrix alone (`_scatterChunkCount`: up to 8, balanced by entries, never by the thread
//   count). Each chunk scatters into its own zeroed partial vector; threads take whole chunks; then each output
//   element is reduced over the partials in chunk order. The same chunks and the same order for 1 or n
//   threads, so results are bitwise identical. Partials cost at most a quarter of the matrix's entry count in
//   memory, and each stays in L2 while it is filled.
//   SpMM does the same when the matrix has at least 8 entries per output element of Y (rows × k, so small k):
//   each chunk scatters rows of k into its own partial block, prefetching the partial row 8 entries ahead
//   (measured n = 20000 at 1%, 2 threads: k = 4 3.75 GFLOP/s against 2.5–3.5, k = 8 6.0 against 4.1–4.7 for the
//   owner-computes path below). SpMM with k = 1 is the SpMV scatter (it was 3–5× slower through the SpMM path).
//   Letting that prefetch run on into the next slices of the chunk (as the gather SpMM does) measured within
//   noise (Float64 k = 4 to 16 1.0–1.18×, Float32 k = 8 and 16 0.91–1.18×), so it stops at the slice's end.
// - With fewer entries per output on a banded matrix (a stencil's, a mesh's in a good order), found by probing
//   a few slices (`_haloScatterChunks`), SpMV and SpMM alike: the halo scatter (`HaloScatter.swift`), chunks
//   fixed by the matrix as above, each owning a core of the output rows in proportion to its slices, adding
//   straight into its core of y and into a small halo beyond it; the halos are then added into the cores in
//   chunk order. Against the owner-computes path it replaced there (2 threads, alternating processes,
//   medians, the 5-point stencil on a 2000 × 2000 grid): SpMV 2.0–2.7 GFLOP/s against 1.2–1.4; SpMM Aᵀ·X
//   k = 2 1.9–2.05 against 1.5–2.1, k = 4 3.25–3.65 against 2.6–3.05, k = 8 5.0–8.4 against 4.0–6.2; k = 16
//   and 32 within noise (8–13 GFLOP/s both).
// - Otherwise (other matrices with few entries per output, and SpMM with wider k): the outputs are split into
//   one contiguous range per part, and every part walks all slices, taking the entries that fall in its range
//   (found from an interpolated start). An output then receives its terms in slice order from one part,
//   exactly as with one.
//   For SpMV every thread then streams the whole pattern and searches every slice, which pays only for long
//   slices: SpMV uses several parts only from 256 entries per slice (`_ownerComputesSliceEntries`); a uniform
//   n = 20000 matrix with 4 entries per row went from 0.15–0.4 GFLOP/s (2 threads) to 0.95–1.45 (1 thread).
//   For SpMM the matrix is a small part of the traffic.
//
// All three SpMM paths run the same row kernel (`_scatterRows`): the X row's columns in register blocks of up to
// eight vectors, loaded once per block, and each entry's Y row read, updated and written back block by block,
// prefetched with intent to write. Against the earlier loop, which reloaded the X row from L1 for every entry
// (n = 20000 at 1%, CSR Aᵀ·X, alternating in one process, medians): 2 threads 1.1–1.55× faster at k = 4 to 64
// (Float64 k = 32 1.13–1.64×, Float32 k = 32 1.12–1.77×), 1 thread 1.0–1.38×; k = 128 within noise.
//
// Against the gather product of the explicitly transposed matrix (CSR of Aᵀ) the terms are the same but summed
// in another order, so the two agree to rounding, not bit for bit. For repeated Aᵀ products, transposing once
// (`a.transposed()`, or `a.csc()`) gives the faster gather kernels.

/// Chunks for a chunked scatter SpMV with `entries` stored entries into `outputs` elements: 1 (use the
/// owner-computes path) unless there are at least 8 entries per output; at most 8. Depends on the matrix only.
@inlinable
func _scatterChunkCount(entries: Int, outputs: Int) -> Int {
    guard outputs > 0 else { return 1 }
    let chunks = Swift.min(8, entries / (4 &* outputs))
    return chunks >= 2 ? chunks : 1
}

/// The chunked scatter: `accumulate(chunkRange(q), partial)` adds the terms of chunk q into `partial`
/// (`partialLength` ≥ n elements, zeroed first); then y[c·incy] ← α·Σ_q partial_q[c] + β·y[c·incy], summing the partials in chunk order.
@inlinable
func _chunkedScatter<T: FloatingPoint & SIMDScalar & BitwiseCopyable>(
    outputs n: Int, partialLength: Int? = nil, chunks: Int, chunkRange: (Int) -> Range<Int>, alpha: T, beta: T,
    y: UnsafeMutablePointer<T>, incy: Int, work: Int, configuration: KernelConfiguration,
    _ accumulate: (Range<Int>, UnsafeMutablePointer<T>) -> Void
) {
    let length = partialLength ?? n
    var buffer = SparseBuffer<T>(unsafeUninitializedCount: chunks &* length) { _ in }
    buffer.withUnsafeMutableBufferPointer { pb in
        let partial = pb.baseAddress!
        let threads = configuration._parts(work: work, limit: chunks)
        _parallelFor(chunks, threads: threads) { q in
            let py = partial + q &* length
            py.initialize(repeating: 0, count: length)
            accumulate(chunkRange(q), py)
        }
        let reduceParts = configuration._parts(work: work, limit: n)
        _parallelFor(reduceParts) { t in
            let range = _evenRange(t, of: reduceParts, count: n)
            var c = range.lowerBound
            // Eight outputs at a time, each summed over the chunks in order (the same order as one at a time).
            while c &+ 8 <= range.upperBound {
                var s = _load(UnsafePointer(partial + c), SIMD8<T>.self)
                for q in 1..<chunks { s += _load(UnsafePointer(partial + (q &* length &+ c)), SIMD8<T>.self) }
                for l in 0..<8 {
                    let e = y + (c &+ l) &* incy
                    _finish(e, s[l], alpha, beta)
                }
                c &+= 8
            }
            while c < range.upperBound {
                var s = partial[c]
                for q in 1..<chunks { s += partial[q &* length &+ c] }
                let e = y + c &* incy
                _finish(e, s, alpha, beta)
                c &+= 1
            }
        }
    }
}

/// y[c·incy] ← α·Σ_{entries (i, c)} val·x[i·incx] + β·y[c·incy], for c in `0..<pattern.minorCount`. α ≠ 0.
@inlinable
func _scatterSpMV<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic,
    x: UnsafePointer<S.Arithmetic>, incx: Int, beta: S.Arithmetic, y: UnsafeMutablePointer<S.Arithmetic>,
    incy: Int = 1, configuration: KernelConfiguration
) {
    let n = pattern.minorCount, m = pattern.majorCount
    if n == 0 { return }
    _withPointers(pattern, values) { o, ix, v, nnz in
        let chunks = _scatterChunkCount(entries: nnz, outputs: n)
        if chunks > 1 {
            let partition = RowPartition(offsets: o, sliceCount: m, parts: chunks)
            let prefetch = configuration._prefetchesSpMV(entries: nnz, S.self, I.self)
            // The value and index streams prefetched as in the gather SpMV, with the partial vector (n elements)
            // in the place of x (``_spmvPrefetchesTowardsL2``), through one cursor kept ``_spmvPrefetchDistance``
            // ahead: each slice catches it up to its start plus the distance, then moves it a line per line of
            // entries. Measured on a Zen 4 machine of the same kind (2 threads, n = 20000, alternating in one
            // process), towards L2 and then L1 (``_prefetchStep``) against towards L1 alone: uniform at 1%
            // Float64 1.19–1.30×, Float 1.07–1.10×; 4×4 blocks Float64 1.07–1.11×, Float 1.03–1.06×.
            @inline(__always)
            func chunk<P: _PrefetchPolicy>(_ slices: Range<Int>, _ py: UnsafeMutablePointer<S.Arithmetic>, _: P.Type) {
                let line = _spmvLineEntries(S.self, I.self), distance = _spmvPrefetchDistance(S.self, P.self)
                var ahead = Int(truncatingIfNeeded: o[slices.lowerBound]) &+ distance
                for i in slices {
                    let xi = x[i &* incx]
                    let start = Int(truncatingIfNeeded: o[i]), end = Int(truncatingIfNeeded: o[i &+ 1])
                    var p = start
                    if P.enabled {
                        _prefetchCatchUp(v, ix, &ahead, line, to: start &+ distance, P.self)
                        while p &+ line <= end {
                            _prefetchStep(v, ix, &ahead, line, P.self)
                            for q in p..<(p &+ line) {
                                py[Int(truncatingIfNeeded: ix[q])] += xi * v[q].arithmetic
                            }
                            p &+= line
                        }
                    }
                    while p < end {
                        py[Int(truncatingIfNeeded: ix[p])] += xi * v[p].arithmetic
                        p &+= 1
                    }
                }
            }
            let towardsL2 = _spmvPrefetchesTowardsL2(S.self, xCount: n)
            return _chunkedScatter(outputs: n, chunks: chunks, chunkRange: partition.range, alpha: alpha, beta: beta,
                                   y: y, incy: incy, work: nnz, configuration: configuration) { slices, py in
                if slices.isEmpty { return }
                if prefetch && towardsL2 {
                    chunk(slices, py, _PrefetchingToL2.self)
                } else if prefetch {
                    chunk(slices, py, _Prefetching.self)
                } else {
                    chunk(slices, py, _NotPrefetching.self)
                }
            }
        }
        let halo = _haloScatterChunks(o, ix, slices: m, minorCount: n, entries: nnz)
        if halo > 1 {
            return _haloScatterSpMV(halo, o, ix, v, slices: m, minorCount: n, alpha: alpha, x: x, incx: incx,
                                    beta: beta, y: y, incy: incy, configuration: configuration)
        }
        // Every thread walks every slice and bounds its own entries in each, which pays only on long slices.
        let parts = configuration._ownerComputesSpMVParts(entries: nnz, slices: m, outputs: n)
        _parallelFor(parts) { t in
            let owned = _evenRange(t, of: parts, count: n)
            _scale(y + owned.lowerBound &* incy, count: owned.count, stride: incy, by: beta)
            for i in 0..<m {
                let entries = _ownedEntries(o, ix, i, owned: owned, minorCount: n)
                if entries.isEmpty { continue }
                let ax = alpha * x[i &* incx]
                for p in entries {
                    let c = Int(truncatingIfNeeded: ix[p])
                    y[c &* incy] += ax * v[p].arithmetic
                }
            }
        }
    }
}

/// The average entries per slice from which the owner-computes scatter SpMV runs on several threads; below it,
/// one thread. Each thread walks every slice and finds its own entries in each with two searches, so short
/// slices cost every thread the whole pattern. Measured (development machine, 2 threads against 1, Aᵀ·x of
/// uniform CSR matrices with 1 to 4 entries per output, medians): 4 and 20 entries per slice 0.2–0.5×,
/// 64 0.85–1.35×, 256 1.1–1.2×, 1024 1.05–1.5×, 20000 1.45–1.8×.
@inlinable @inline(__always)
var _ownerComputesSliceEntries: Int { 256 }

extension KernelConfiguration {
    /// The parts of the owner-computes scatter SpMV over `entries` entries in `slices` slices into `outputs`
    /// outputs: as many as the work allows from ``_ownerComputesSliceEntries`` entries per slice, otherwise 1.
    @inlinable @inline(__always)
    func _ownerComputesSpMVParts(entries: Int, slices: Int, outputs: Int) -> Int {
        entries >= _ownerComputesSliceEntries &* slices ? _parts(work: entries, limit: outputs) : 1
    }
}

/// The output range chunk `q` of a halo scatter owns: slices `b..<e` own outputs `b·n/m ..< e·n/m`, so the
/// chunks' cores partition `0..<n` as their slices partition `0..<m`.
@inlinable @inline(__always)
func _haloCore(_ slices: Range<Int>, slices m: Int, minorCount n: Int) -> Range<Int> {
    _proportion(slices.lowerBound, n, m)..<_proportion(slices.upperBound, n, m)
}

/// ⌊a·n / m⌋ for 0 ≤ a ≤ m, m > 0, without overflow in the product: where the halo scatters cut the outputs.
@inlinable @inline(__always)
func _proportion(_ a: Int, _ n: Int, _ m: Int) -> Int {
    m.dividingFullWidth(a.multipliedFullWidth(by: n)).quotient
}

/// Chunks for the halo scatters (``_haloScatterSpMV``, ``_haloScatterSpMM``), for a matrix with too few
/// entries per output for the chunked scatter, whose slices are banded, so that each chunk of slices adds
/// almost only into its own core of outputs (``_haloChunks``, never more chunks than slices): each chunk probes
/// 17 of its slices (first, last and evenly between), their first and last indices.
@inlinable
func _haloScatterChunks<I: SparseIndex>(_ off: UnsafePointer<I>, _ idx: UnsafePointer<I>, slices m: Int,
                                        minorCount n: Int, entries: Int) -> Int {
    _haloChunks(entries: entries, outputs: n, slices: m) { chunks, q in
        let slices = RowPartition(offsets: off, sliceCount: m, parts: chunks).range(q)
        if slices.isEmpty { return nil }
        let core = _haloCore(slices, slices: m, minorCount: n)
        var lo = core.lowerBound, hi = core.upperBound
        for j in 0...16 {
            let i = slices.lowerBound &+ (slices.count &- 1) &* j / 16
            let s = Int(truncatingIfNeeded: off[i]), e = Int(truncatingIfNeeded: off[i &+ 1])
            if s == e { continue }
            lo = Swift.min(lo, Int(truncatingIfNeeded: idx[s]))
            hi = Swift.max(hi, Int(truncatingIfNeeded: idx[e &- 1]) &+ 1)
        }
        return (core, lo, hi)
    }
}

/// The halo scatter SpMV (see `HaloScatter.swift`), for banded slices: chunk q (slices cut by
/// ``RowPartition``, a number fixed by the matrix) owns the outputs ``_haloCore`` gives it and adds its terms
/// α·x[i]·val in slice order, each slice through ``_Halo/split(_:_:_:y:rowStride:_:)``. Its streams are
/// prefetched towards L1 only: the row loop's pair (towards L2, then L1) measured 0.96–1.09× on the 5-point
/// stencil (a Zen 4 machine, Float64 and Float32, alternating in one process).
@inlinable
func _haloScatterSpMV<S: SparseScalar, I: SparseIndex>(
    _ chunks: Int, _ o: UnsafePointer<I>, _ ix: UnsafePointer<I>, _ v: UnsafePointer<S>, slices m: Int,
    minorCount n: Int, alpha: S.Arithmetic, x: UnsafePointer<S.Arithmetic>, incx: Int, beta: S.Arithmetic,
    y: UnsafeMutablePointer<S.Arithmetic>, incy: Int, configuration: KernelConfiguration
) {
    let nnz = Int(truncatingIfNeeded: o[m])
    let partition = RowPartition(offsets: o, sliceCount: m, parts: chunks)
    let prefetch = configuration._prefetchesSpMV(entries: nnz, S.self, I.self)
    _haloScatter(chunks: chunks, outputs: n, width: 1,
                 core: { _haloCore(partition.range($0), slices: m, minorCount: n) }, beta: beta, y: y,
                 rowStride: incy, work: nnz, configuration: configuration) { q, halo in
        let slices = partition.range(q)
        if slices.isEmpty { return }
        let line = _spmvLineEntries(S.self, I.self)
        var ahead = Int(truncatingIfNeeded: o[slices.lowerBound]) &+ _spmvPrefetchEntries
        for i in slices {
            let start = Int(truncatingIfNeeded: o[i]), end = Int(truncatingIfNeeded: o[i &+ 1])
            if start == end { continue }
            let ax = alpha * x[i &* incx]
            if prefetch { _prefetchCatchUp(v, ix, &ahead, line, to: start &+ _spmvPrefetchEntries, _Prefetching.self) }
            halo.split(start, end, ix, y: y, rowStride: incy) { s, e, base, stride in
                _scatterSlice(s, e, ix, v, ax, base, stride, &ahead, line, prefetch)
            }
        }
    }
}

/// The halo scatter SpMM, Y[c, :] += α·val·X[i, :] for banded slices, as ``_haloScatterSpMV`` with rows of k
/// for elements (``_scatterRows``, its register blocks and prefetches, into Y's core rows and the halo's).
@inlinable
func _haloScatterSpMM<S: SparseScalar, I: SparseIndex>(
    _ chunks: Int, _ o: UnsafePointer<I>, _ ix: UnsafePointer<I>, _ v: UnsafePointer<S>, slices m: Int,
    minorCount n: Int, alpha: S.Arithmetic, x: UnsafePointer<S.Arithmetic>, ldx: Int, columns k: Int,
    beta: S.Arithmetic, out: _Output<S.Arithmetic>, configuration: KernelConfiguration
) {
    let nnz = Int(truncatingIfNeeded: o[m])
    let partition = RowPartition(offsets: o, sliceCount: m, parts: chunks)
    _haloScatter(chunks: chunks, outputs: n, width: k,
                 core: { _haloCore(partition.range($0), slices: m, minorCount: n) }, beta: beta, y: out.base,
                 rowStride: out.rowStride, work: nnz &* k, configuration: configuration) { q, halo in
        for i in partition.range(q) {
            let xi = x + i &* ldx
            halo.split(Int(truncatingIfNeeded: o[i]), Int(truncatingIfNeeded: o[i &+ 1]), ix, y: out.base,
                       rowStride: out.rowStride) { s, e, base, stride in
                _scatterRows(s, e, ix, v, alpha, xi, k, base, stride)
            }
        }
    }
}

/// out[idx[p]·inc] += ax·val[p] for p in `start..<end`; when `prefetch`, in blocks of a line's entries, each
/// first stepping the SpMV prefetch cursor (``_prefetchStep``).
@inlinable @inline(__always)
func _scatterSlice<S: SparseScalar, I: SparseIndex>(
    _ start: Int, _ end: Int, _ ix: UnsafePointer<I>, _ v: UnsafePointer<S>, _ ax: S.Arithmetic,
    _ out: UnsafeMutablePointer<S.Arithmetic>, _ inc: Int, _ ahead: inout Int, _ line: Int, _ prefetch: Bool
) {
    var p = start
    if prefetch {
        while p &+ line <= end {
            _prefetchStep(v, ix, &ahead, line, _Prefetching.self)
            for q in p..<(p &+ line) { out[Int(truncatingIfNeeded: ix[q]) &* inc] += ax * v[q].arithmetic }
            p &+= line
        }
    }
    while p < end {
        out[Int(truncatingIfNeeded: ix[p]) &* inc] += ax * v[p].arithmetic
        p &+= 1
    }
}

/// The first position in `lo..<hi` whose index is at least `target` (indices sorted).
@inlinable @inline(__always)
func _lowerBound<I: SparseIndex>(_ idx: UnsafePointer<I>, _ lo: Int, _ hi: Int, _ target: I) -> Int {
    var lo = lo, hi = hi
    while lo < hi {
        let mid = (lo &+ hi) >> 1
        if idx[mid] < target { lo = mid &+ 1 } else { hi = mid }
    }
    return lo
}

/// The entries of slice `i` (`off[i]..<off[i + 1]`) whose minor index lies in `owned`, a range of
/// `0..<minorCount`: all of them when `owned` is the whole range, otherwise bounded with ``_lowerBoundNear``.
/// The owner-computes scatter products (compressed and BSR, SpMV and SpMM) call it for every slice with the
/// output range their thread owns.
@inlinable @inline(__always)
func _ownedEntries<I: SparseIndex>(_ off: UnsafePointer<I>, _ idx: UnsafePointer<I>, _ i: Int, owned: Range<Int>,
                                   minorCount: Int) -> Range<Int> {
    _ownedEntries(idx, Int(truncatingIfNeeded: off[i])..<Int(truncatingIfNeeded: off[i &+ 1]), owned: owned,
                  minorCount: minorCount)
}

/// The entries of `slice` (positions whose indices ascend within `0..<minorCount`) whose index lies in
/// `owned`; see the slice-number form above. Canonical COO's Aᵀ·X calls it for each row's run.
@inlinable @inline(__always)
func _ownedEntries<I: SparseIndex>(_ idx: UnsafePointer<I>, _ slice: Range<Int>, owned: Range<Int>,
                                   minorCount: Int) -> Range<Int> {
    let s = slice.lowerBound, e = slice.upperBound
    if s == e || owned.count == minorCount { return slice }
    let lo = _lowerBoundNear(idx, s, e, I(truncatingIfNeeded: owned.lowerBound), minorCount: minorCount)
    return lo..<_lowerBoundNear(idx, lo, e, I(truncatingIfNeeded: owned.upperBound), minorCount: minorCount)
}

/// ``_lowerBound`` for a slice whose indices lie in `0..<minorCount`: starts at the position interpolated
/// from `target / minorCount` and walks to the exact bound. A binary search costs a chain of dependent cache
/// misses per slice when the slice is not yet cached (measured: 2-thread Aᵀ·x 2.4× slower than 1 thread);
/// the interpolated start touches the line the thread reads next anyway, and the walk is sequential.
@inlinable @inline(__always)
func _lowerBoundNear<I: SparseIndex>(_ idx: UnsafePointer<I>, _ lo: Int, _ hi: Int, _ target: I,
                                     minorCount: Int) -> Int {
    if lo == hi || target <= idx[lo] { return lo }
    let t = Int(truncatingIfNeeded: target)
    if t >= minorCount { return hi }
    var q = lo &+ Int(Double(hi &- lo) * (Double(t) / Double(minorCount)))
    q = Swift.min(Swift.max(q, lo &+ 1), hi)
    while q > lo &+ 1 && idx[q &- 1] >= target { q &-= 1 }
    while q < hi && idx[q] < target { q &+= 1 }
    return q
}

/// Y[c, :] ← α·Σ_{entries (i, c)} val·X[i, :] + β·Y[c, :]. α ≠ 0, Y not empty.
@inlinable
func _scatterSpMM<S: SparseScalar, I: SparseIndex>(
    _ pattern: CompressedPattern<I>, _ values: SparseBuffer<S>, alpha: S.Arithmetic,
    x: DenseMatrixView<S.Arithmetic>, beta: S.Arithmetic, y: MutableDenseMatrixView<S.Arithmetic>,
    configuration: KernelConfiguration
) {
    let k = x.columns, n = pattern.minorCount, m = pattern.majorCount
    if k == 1 {
        // One right-hand side: the SpMV scatter, which splits the matrix rather than the outputs (measured
        // 3–5× faster than this kernel at k = 1, n = 20000 at 1%, 2 threads).
        return _scatterSpMV(pattern, values, alpha: alpha, x: x.baseAddress,
                            incx: x.layout == .rowMajor ? x.leadingDimension : 1, beta: beta, y: y.baseAddress,
                            incy: y.layout == .rowMajor ? y.leadingDimension : 1, configuration: configuration)
    }
    _withRowMajor(x, configuration: configuration) { xp, ldx in
        _withRowMajorOutput(y, beta: beta, configuration: configuration) { out, beta in
            _withPointers(pattern, values) { o, ix, v, nnz in
                let chunks = _scatterChunkCount(entries: nnz, outputs: n &* k)
                if chunks > 1 && out.rowStride == k {
                    // Small k on a matrix with many entries per output: chunks of slices, each into its
                    // own partial block of Y (the SpMV scheme, with rows of k for elements).
                    let partition = RowPartition(offsets: o, sliceCount: m, parts: chunks)
                    return _chunkedScatter(
                        outputs: n &* k, chunks: chunks, chunkRange: partition.range, alpha: alpha, beta: beta,
                        y: out.base, incy: 1, work: nnz &* k, configuration: configuration
                    ) { slices, py in
                        for i in slices {
                            // α is applied when the partials are summed.
                            _scatterRows(Int(truncatingIfNeeded: o[i]), Int(truncatingIfNeeded: o[i &+ 1]), ix, v,
                                         1, xp + i &* ldx, k, py, k)
                        }
                    }
                }
                let halo = _haloScatterChunks(o, ix, slices: m, minorCount: n, entries: nnz)
                if halo > 1 {
                    return _haloScatterSpMM(halo, o, ix, v, slices: m, minorCount: n, alpha: alpha, x: xp, ldx: ldx,
                                            columns: k, beta: beta, out: out, configuration: configuration)
                }
                let parts = configuration._parts(work: nnz &* k, limit: n)
                _ownerComputes(out, rows: n, columns: k, beta: beta, parts: parts,
                               ownedRows: { _evenRange($0, of: parts, count: n) },
                               configuration: configuration) { t, out, columns in
                    let owned = _evenRange(t, of: parts, count: n)
                    let xj = xp + columns.lowerBound
                    for i in 0..<m {
                        let entries = _ownedEntries(o, ix, i, owned: owned, minorCount: n)
                        if entries.isEmpty { continue }
                        _scatterRows(entries.lowerBound, entries.upperBound, ix, v, alpha, xj + i &* ldx,
                                     columns.count, out.base, out.rowStride)
                    }
                }
            }
        }
    }
}

/// For p in s..<e: row idx[p] of `y` (rows `rowStride` apart) += (a·val[p])·xrow[0..<k]: the scatter SpMM's
/// inner loop, chunked or owner-computes. The columns go in register blocks of up to eight vectors (32 Double or
/// 64 Float columns), the last one with the fewer-than-a-vector columns left: each block loads its part of the
/// X row into registers once, then every entry reads, updates and writes back its part of a Y row, prefetching
/// (with intent to write) that of the entry ``_scatterPrefetchDistance`` ahead. Each Y element gets y + ap·x, as
/// in ``_axpy``.
@inlinable @inline(__always)
func _scatterRows<S: SparseScalar, I: SparseIndex>(
    _ s: Int, _ e: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ a: S.Arithmetic,
    _ xrow: UnsafePointer<S.Arithmetic>, _ k: Int, _ y: UnsafeMutablePointer<S.Arithmetic>, _ rowStride: Int
) {
    typealias T = S.Arithmetic
    if s >= e { return }
    if MemoryLayout<T>.stride <= 4 {
        _scatterColumns(s, e, idx, val, a, xrow, k, y, rowStride, SIMD8<T>.self)
    } else {
        _scatterColumns(s, e, idx, val, a, xrow, k, y, rowStride, SIMD4<T>.self)
    }
}

/// ``_scatterRows`` with vectors of `V`: eight-vector blocks while at least eight vectors of columns are left,
/// then one block of the whole vectors left (a type per count, so that every loop has constant bounds) and the
/// last fewer-than-`w` columns.
@inlinable @inline(__always)
func _scatterColumns<S: SparseScalar, I: SparseIndex, V: SIMD>(
    _ s: Int, _ e: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ a: S.Arithmetic,
    _ xrow: UnsafePointer<S.Arithmetic>, _ k: Int, _ y: UnsafeMutablePointer<S.Arithmetic>, _ rowStride: Int,
    _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    var j = 0
    while k &- j > 8 &* w {
        _scatterBlock(_V8.self, 0, s, e, idx, val, a, xrow + j, y + j, rowStride, V.self)
        j &+= 8 &* w
    }
    let left = k &- j, tail = left % w, xj = xrow + j, yj = y + j
    switch left / w {
    case 0: _scatterBlock(_V0.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 1: _scatterBlock(_V1.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 2: _scatterBlock(_V2.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 3: _scatterBlock(_V3.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 4: _scatterBlock(_V4.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 5: _scatterBlock(_V5.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 6: _scatterBlock(_V6.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    case 7: _scatterBlock(_V7.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    default: _scatterBlock(_V8.self, tail, s, e, idx, val, a, xj, yj, rowStride, V.self)
    }
}

/// How many entries ahead the scatter SpMM prefetches (with intent to write) the Y row it will update: 16.
/// Against 8, on a Zen 4 machine (CSR Aᵀ·X, 2 threads, alternating in one process, three runs): n = 20000 at 1%,
/// Float k = 32 1.15–1.2×, Float64 k = 32 1.03–1.07×, Float64 k = 128 1.1–1.2×, Float k = 128 1.01–1.03×; the
/// 5-point stencil (the halo scatter) and 4×4 blocks 0.98–1.06×. 12 and 24 measured like 16 or worse.
@inlinable @inline(__always)
var _scatterPrefetchDistance: Int { 16 }

/// One register block of the scatter: `N.count` vectors of X's row, then `tail` (< w) more columns (a 4-lane
/// vector when w = 8, a 2-lane one, a scalar), all held in registers; for p in s..<e, Y row idx[p] += (a·val[p])·
/// (that block of the X row).
///
/// Measured and not done (CSR Aᵀ·X, n = 20000 at 1%, 2 threads, a Zen 4 machine, alternating in one process):
/// also prefetching the Y row of the entry 32 ahead towards L2, as the gather SpMM's wide blocks do with X. It
/// paid only where Y outgrows the 32 MiB L3 next to the matrix and is not cut into panels: Float64 k = 128 (Y 20
/// MB) 1.14–1.25×, Float k = 256 1.18–1.22×; elsewhere it cost: Float64 k = 32 0.89–0.99×, Float k = 64 and 128
/// 0.68–1.04×, Float64 k = 256 (panels) 0.9–0.93×, Float64 k = 64 0.91–1.17×.
@inlinable @inline(__always)
func _scatterBlock<S: SparseScalar, I: SparseIndex, N: _VectorCount, V: SIMD>(
    _: N.Type, _ tail: Int, _ s: Int, _ e: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>,
    _ a: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ y: UnsafeMutablePointer<S.Arithmetic>, _ rowStride: Int,
    _: V.Type
) where V.Scalar == S.Arithmetic {
    typealias T = S.Arithmetic
    let nv = N.count, w = V.scalarCount
    @inline(__always) func xv(_ i: Int) -> V { nv > i ? _load(x + i &* w, V.self) : V() }
    let x0 = xv(0), x1 = xv(1), x2 = xv(2), x3 = xv(3), x4 = xv(4), x5 = xv(5), x6 = xv(6), x7 = xv(7)
    // The tail: 4, 2 and 1 columns at o4, o2, o1 (each present or not).
    let t4 = w > 4 && tail & 4 != 0, t2 = tail & 2 != 0, t1 = tail & 1 != 0
    let o4 = nv &* w, o2 = o4 &+ (t4 ? 4 : 0), o1 = o2 &+ (t2 ? 2 : 0)
    let x4t = t4 ? _load(x + o4, SIMD4<T>.self) : SIMD4<T>()
    let x2t = t2 ? _load(x + o2, SIMD2<T>.self) : SIMD2<T>()
    let x1t = t1 ? x[o1] : T.zero
    let bytes = (nv &* w &+ tail) &* MemoryLayout<T>.stride
    @inline(__always) func update(_ yr: UnsafeMutablePointer<T>, _ i: Int, _ ap: V, _ xi: V) {
        if nv > i { _store(_load(UnsafePointer(yr + i &* w), V.self) + ap * xi, yr + i &* w) }
    }
    for p in s..<e {
        let yr = y + Int(truncatingIfNeeded: idx[p]) &* rowStride
        let yf = UnsafeRawPointer(y + Int(truncatingIfNeeded: idx[Swift.min(p &+ _scatterPrefetchDistance, e &- 1)])
            &* rowStride)
        _prefetchLinesForWriting(yf, bytes: bytes)
        let c = a * val[p].arithmetic
        let ap = V(repeating: c)
        update(yr, 0, ap, x0)
        update(yr, 1, ap, x1)
        update(yr, 2, ap, x2)
        update(yr, 3, ap, x3)
        update(yr, 4, ap, x4)
        update(yr, 5, ap, x5)
        update(yr, 6, ap, x6)
        update(yr, 7, ap, x7)
        if t4 { _store(_load(UnsafePointer(yr + o4), SIMD4<T>.self) + SIMD4(repeating: c) * x4t, yr + o4) }
        if t2 { _store(_load(UnsafePointer(yr + o2), SIMD2<T>.self) + SIMD2(repeating: c) * x2t, yr + o2) }
        if t1 { yr[o1] += c * x1t }
    }
}

/// y[0..<k] += a·x[0..<k], four vectors at a time, then one, then 4- and 2-lane vectors, then scalars.
@inlinable @inline(__always)
func _axpy<V: SIMD>(_ k: Int, _ a: V.Scalar, _ x: UnsafePointer<V.Scalar>, _ y: UnsafeMutablePointer<V.Scalar>,
                    _: V.Type) where V.Scalar: FloatingPoint & SIMDScalar {
    let w = V.scalarCount
    let av = V(repeating: a)
    var j = 0
    while j &+ 4 &* w <= k {
        let y0 = _load(UnsafePointer(y + j), V.self) + av * _load(x + j, V.self)
        let y1 = _load(UnsafePointer(y + (j &+ w)), V.self) + av * _load(x + (j &+ w), V.self)
        let y2 = _load(UnsafePointer(y + (j &+ 2 &* w)), V.self) + av * _load(x + (j &+ 2 &* w), V.self)
        let y3 = _load(UnsafePointer(y + (j &+ 3 &* w)), V.self) + av * _load(x + (j &+ 3 &* w), V.self)
        _store(y0, y + j)
        _store(y1, y + (j &+ w))
        _store(y2, y + (j &+ 2 &* w))
        _store(y3, y + (j &+ 3 &* w))
        j &+= 4 &* w
    }
    while j &+ w <= k {
        _store(_load(UnsafePointer(y + j), V.self) + av * _load(x + j, V.self), y + j)
        j &+= w
    }
    if w > 4 && j &+ 4 <= k {
        let a4 = SIMD4<V.Scalar>(repeating: a)
        _store(_load(UnsafePointer(y + j), SIMD4<V.Scalar>.self) + a4 * _load(x + j, SIMD4<V.Scalar>.self), y + j)
        j &+= 4
    }
    if w > 2 && j &+ 2 <= k {
        let a2 = SIMD2<V.Scalar>(repeating: a)
        _store(_load(UnsafePointer(y + j), SIMD2<V.Scalar>.self) + a2 * _load(x + j, SIMD2<V.Scalar>.self), y + j)
        j &+= 2
    }
    while j < k {
        y[j] += a * x[j]
        j &+= 1
    }
}
