import CBLAS
import SparseCore

// SpMM over a compressed pattern, one output row per slice ("gather"): Y[i, :] ← α·Σ_p val[p]·X[idx[p], :] +
// β·Y[i, :]. This is CSR's A·X and CSC's Aᵀ·X.
//
// The inner loop runs over the k right-hand-side columns held in vector registers: for each stored entry, one
// broadcast of the value and up to eight vector multiply-adds against the matching row of X (32 Double or
// 64 Float columns: eight of AVX2's sixteen ymm registers hold the accumulators). Wider blocks loop over
// register blocks of that size. What is left takes one more pass: ⌈left / w⌉ vectors, the last one shifted
// back to end at the last column (it overlaps its neighbour and stores only its own lanes), or, for less than
// one vector, a half or quarter vector, two overlapping ones, or four scalar chains. So any k ≤ 32 (Double) or
// 64 (Float) reads A and gathers the X rows once; before, k = 3, 5, 7, 20 … took a vector pass and one or
// two remainder passes (measured, n = 20000 at 1%, 2 threads, alternating runs: k = 3 and 7 Double 2×
// faster, k = 5 and 6 1.3×, Float k = 7 1.8×, k = 20 and 28 1.5×). Narrow blocks take 2 or 4 entries per
// step into separate accumulators, so there are always at least four independent add chains. (Swift does
// not contract `acc += a * b` into an FMA; on the AMD Zen 3 cores measured here multiplies and adds issue on
// separate pipes, so the throughput is the same.) Whether to prefetch is a type parameter, so no loop tests it.
//
// The rows of X that a product touches are random. When X is larger than 1 MiB, each register block
// prefetches the X row of the entry 16 positions ahead (`swiftsparse_prefetch`): measured 1.4–1.7× faster
// at n = 20000, k = 32 (Float64, one thread); below 1 MiB the prefetch costs more than it saves. Near the end
// of a row it prefetches the first entries of the next rows of its part, instead of stopping at the row's last
// entry (which left the first 16 of every row's X rows unprefetched): measured 1.0–1.09× at k = 32, 1.06–1.29× at
// k = 8 and 16, 1.05–1.11× at k = 128 (Float64), 1.04–1.13× at Float32 k = 32 (n = 20000, 200 entries a row,
// 2 threads, alternating in one process). Prefetching the rows towards L2 (`prefetcht1`) instead, as the SpMV
// row loop does its streams, measured 0.99–1.14× on the uniform matrix (Float64 k = 16 and 32, Float32 k = 32
// to 128) but 0.8–0.87× at k = 32 on 4×4 blocks, where consecutive entries read neighbouring rows of X: dropped.
//
// Large k: when X is larger than `KernelConfiguration.spmmPanelBytes` (8 MiB) and the product reads each row
// of X at least 20 times on average, its columns are cut into panels of 128-byte rows (16 Double or 32 Float
// columns: half a register block), each packed into a contiguous scratch block, and A is streamed once per
// panel; a panel then behaves like a narrow X (`_withGatherPanels`, `_gatherPanelWidth`). Measured at
// n = 20000, Float64: k = 128 read in place ran at about half the GFLOP/s of k = 32 (a 32-column slice of 1 KB
// rows lands in a quarter of the cache sets); with packed 32-column panels at 0.9–0.96× (64-column panels:
// 0.75–0.8×; running every panel over a chunk of rows before the next chunk, 0.5×). Panels of 128-byte rows
// against one register block's (2 threads, alternating in one process, n = 20000 at 1% unless said): Float64
// k = 128 0.96–1.19× (nine runs, one below 1.06), Float32 k = 128 1.03–1.23×, Float64 k = 64 1.03–1.18×;
// k = 128 at n = 10000 (2%) and 40000 (0.5%) Float64 1.08–1.25×, Float32 1.08–1.24×; n = 20000 at 0.2% (40 a
// row) 1.11–1.31×. Against reading in place: n = 100000 at 20 and 30 a row, Float64 k = 128 1.25–1.88×, k = 32
// 1.15–1.57× (no wider than a register block, it was read in place before), Float32 k = 64 1.4–1.54×;
// n = 40000 at 0.5%, Float64 k = 32 1.13–1.15×, Float32 k = 64 1.11–1.12×. Panels of 64-byte rows ran
// 0.68–0.78× those of 128. Where the rule reads in place: at 16 reads a row (n = 200000) panels ran 0.97–1.08×
// in place; when a 128-byte panel outgrows twice the budget (n = 300000 and 10⁶ at 20 a row) in place ran
// 0.88–1.18× panels (one run each); and on the 5-point stencil (n = 10⁶, 5 a row, X rows read nearly in order),
// where register-block panels were packed for k = 128, in place runs 2.35–2.5× faster in Float64, 3.1–3.5× in
// Float32. BSR and COO keep panels of one register block (128-byte ones ran 0.9–1.0× for BSR 4×4 at k = 64 and
// 128, 0.9× for canonical COO at k = 128) and read a banded matrix's X in place too (the stencil at k = 128:
// COO 2.3–2.5×, BSR with 2×2 blocks 1.45–1.6× faster than in panels). The two widths sum a column's terms in
// different orders (a 128-byte block takes two entries a step into two sets of accumulators, an eight-vector
// block one), so a product read in panels can differ in the last bits from the same product with a budget that
// reads X in place; the thread count never changes it. Packing the next panel
// while the threads run the current one, and keeping the scratch block from one product to the next (a kept,
// pre-faulted block: 0.91–1.0×), measured no better. What is left is likely X and Y themselves: at k = 32
// (5 MB each) they stay in the cache from one product to the next, at k = 128 (20 MB each) they come from
// memory. Packing costs O(n·k) against the product's O(nnz·k) (0.17 ms for 20000 × 32 Double, about 1% of a
// k = 32 product at 1%). BSR's and COO's A·X read X through the same panels (`_withGatherPanels`); before,
// they read X in place at any width: at k = 128 (n = 20001, 1% of blocks, Float64, 2 threads) BSR ran at
// 0.35–0.45× CSR's speed for 2×2, 3×3 and 4×4 blocks. Panels made it 2.25× faster at 2×2, 1.5× at 3×3 and 4×4,
// 1.15× at 5×5 (one run each); COO in row order 1.13–1.5× (n = 20000 at 1%, old and new code run in turn).
// Also measured (k = 128, alternating runs): reading X in
// place with every register block of a row in turn, the first prefetching the whole X row, 0.5× the panels;
// packing every panel first into an X-sized scratch and running all (panel, row part) pairs in one parallel
// region, 1.01–1.025× (not worth a scratch as large as X); and, in C at k = 32, column slabs of A that keep a
// slice of X in L2, 0.35–0.7×.
//
// Also measured at k = 128 (Float64 and Float32, alternating in one process, 2 threads) and dropped, all within
// noise: non-temporal stores of Y (vmovntpd, with a store fence per part); packing the next panel a few rows at
// a time inside the current panel's row loop (double-buffered scratch); and running every other panel's parts
// in reverse order, so that the matrix's tail, still in L3, is read first. Register blocks of twelve vectors
// (48 Double or 96 Float columns, panels of that width: three passes over A at k = 128 instead of four) ran at
// 0.6–0.7× (twelve accumulators leave too few of the sixteen ymm registers). With X and Y of k = 32 also taken
// from memory (four X/Y pairs in turn), k = 128 ran at 0.91–0.95× its speed per flop (against 0.87–0.89×
// with one X/Y pair that stays cached). On a Zen 4 machine of the same kind (32 KiB L1): running the four
// passes of k = 128 over 128-byte column slices of X in place, without packing, 0.68–0.72× the packed panels
// (Float32 and Float64); Float64 k = 32 in two packed panels of 16 columns, 0.90–0.96× in place; and every
// 128-byte panel packed at once, each thread running all of them over a chunk of 64 to 1024 of its rows before
// the next chunk (so that A's chunk and Y's rows stay cached), Float32 0.57–0.64×, Float64 0.3–0.63×: four
// panels read at random miss L2 far more often than one. Also on Zen 4: reading X in place, each row's entries
// taken in chunks of 4 to 16 with all four register blocks run over a chunk before the next (its X rows stay in
// L1; A and Y are streamed once), Float64 0.29–0.57× the panels, Float32 0.81–0.93×: the 20 MB of Float64 X
// rows then come from memory at every gather (1 KB an entry, 4 GB a product), where a panel stays in L3. A
// panel's scratch block (2.5 MB, below SparseBuffer's 4 MiB huge-page threshold) on huge pages: Float
// 1.03–1.04×, Float64 1.0×, not worth a rule of its own.
//
// Cache lines of X: each stored entry fetches the lines its X row spans, so a row that straddles one more
// line than it needs costs a fetch more. A row-major X one element off a 64-byte line (as a Swift array's
// elements usually are) ran at 0.69–0.82× the speed of the same X on a line (n = 20000, 1%, 2 threads, k = 8
// to 64), and 40- or 56-byte rows (5 or 7 Double columns) packed densely span 1.5 or 1.75 lines on average
// against one line padded to 64 bytes. When X is larger than L2 (`spmmAlignedCopyBytes`), each row is read
// at least 32 times on average and the copy fits `spmmPanelBytes`, X is read from a line-aligned copy, each row
// padded to whole lines when that makes it touch fewer (`_alignedCopyPays`): measured 1.15–1.43× the in-place
// speed for X one element off a line (k = 8 to 64; BSR 4×4 k = 32 1.16–1.28×), and 1.05–1.2× for 5 and 7 Double
// or 12 Float columns. Below 32 reads a row the copy cost more than it saved (0.6–0.75× at 4 and 8 a row).
// Panels and column-major copies are line-aligned and padded the same way.
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
    _withPointers(pattern, values) { o, ix, v, nnz in
        let parts = configuration._dynamicParts(work: nnz &* k, limit: m)
        let partition = RowPartition(offsets: o, sliceCount: m, parts: parts, sliceCost: 2 &+ k / 8)
        // Sampled only when some pass may prefetch (its X rows larger than L2).
        let scattered = n &* k &* stride > _prefetchThresholdBytes && _scatteredGather(ix, entries: nnz)
        _withGatherPanels(x, gatheredRows: nnz, halfBlockPanels: true, configuration: configuration) {
            xp, ldx, columns in
            let width = columns.count
            let out = out.shifted(columns: columns.lowerBound)
            @inline(__always)
            func rows<P: _PrefetchPolicy>(_ rows: Range<Int>, _: P.Type) {
                if stride <= 4 {
                    _gatherSpMMRows(rows, 0..<width, o, ix, v, alpha, xp, ldx, beta, out, P.self, SIMD8<T>.self)
                } else {
                    _gatherSpMMRows(rows, 0..<width, o, ix, v, alpha, xp, ldx, beta, out, P.self, SIMD4<T>.self)
                }
            }
            // Prefetch only when the rows of X read by a pass outgrow L2; far ahead towards L2 too when
            // consecutive entries read scattered rows (``_farPrefetchBlockBytes``).
            let prefetch = n &* width &* stride > _prefetchThresholdBytes
            // Whether to prefetch is a type, so that each loop is compiled without a test inside.
            _parallelFor(parts, threads: configuration.threads) { t in
                let range = partition.range(t)
                if prefetch && scattered {
                    rows(range, _PrefetchingToL2.self)
                } else if prefetch {
                    rows(range, _Prefetching.self)
                } else {
                    rows(range, _NotPrefetching.self)
                }
            }
        }
    }
}

/// Whether consecutive stored entries mostly read rows of X that are not neighbours (a uniform pattern, unlike
/// dense blocks or a stencil): in runs of 64 entries spread evenly over `idx` (at most 64 runs, so at most 4096
/// entries read), fewer than a quarter of the consecutive pairs have indices one apart. 4×4 blocks have three
/// in four, a 5-point stencil two in five.
@inlinable
func _scatteredGather<I: SparseIndex>(_ idx: UnsafePointer<I>, entries nnz: Int) -> Bool {
    if nnz < 2 { return false }
    let run = 64, step = Swift.max(run, (nnz &- 1) / 64)
    var pairs = 0, adjacent = 0, start = 0
    while start < nnz &- 1 {
        let end = Swift.min(start &+ run, nnz &- 1)
        for p in start..<end {
            pairs &+= 1
            if Int(truncatingIfNeeded: idx[p &+ 1]) &- Int(truncatingIfNeeded: idx[p]) == 1 { adjacent &+= 1 }
        }
        start &+= step
    }
    return adjacent &* 4 < pairs
}

/// The average number of 64-byte cache lines a row of `rowBytes` bytes touches when row r starts at byte
/// `offset + r·strideBytes` of a line-aligned block (rows repeat their offsets within 64 rows).
@inlinable
func _linesPerRow(offset: Int, rowBytes: Int, strideBytes: Int) -> Double {
    if rowBytes <= 0 { return 0 }
    var lines = 0
    for r in 0..<64 {
        let o = (offset &+ r &* strideBytes) & 63
        lines &+= (o &+ rowBytes &+ 63) >> 6
    }
    return Double(lines) / 64
}

/// The leading dimension of a packed (line-aligned) copy of `rows` rows of `width` columns: `width` itself, or
/// rounded up to whole 64-byte lines when that makes each row touch fewer lines (5 Double columns: 40 bytes,
/// on average 1.5 lines a row packed densely, one line padded to 64) and the padded copy stays within `budget`
/// bytes. The padding is never read.
@inlinable
func _packedLeadingDimension(_ width: Int, stride: Int, rows: Int, budget: Int) -> Int {
    let bytes = width &* stride
    let padded = (bytes &+ 63) & ~63
    if padded == bytes || padded % stride != 0 || rows &* padded > budget { return width }
    let dense = _linesPerRow(offset: 0, rowBytes: bytes, strideBytes: bytes)
    return Double(padded >> 6) < dense ? padded / stride : width
}

/// Whether SpMM should read a row-major X from a line-aligned copy instead of in place (see
/// ``KernelConfiguration/spmmAlignedCopyBytes``): when the rows of X straddle more cache lines than the copy's
/// would, X (as copied) is larger than `configuration.spmmAlignedCopyBytes` and fits
/// `configuration.spmmPanelBytes`, and the product reads each row of X at least 32 times on average
/// (`gatheredRows`; the copy reads each row once, in order).
@inlinable
func _alignedCopyPays<T>(_ x: DenseMatrixView<T>, gatheredRows: Int, configuration: KernelConfiguration) -> Bool {
    let n = x.rows, k = x.columns, stride = MemoryLayout<T>.stride
    let ld = _packedLeadingDimension(k, stride: stride, rows: n, budget: configuration.spmmPanelBytes)
    let bytes = n &* ld &* stride
    guard bytes > configuration.spmmAlignedCopyBytes, bytes <= configuration.spmmPanelBytes,
          gatheredRows >= 32 &* n else { return false }
    let offset = Int(bitPattern: UnsafeRawPointer(x.baseAddress)) & 63
    let inPlace = _linesPerRow(offset: offset, rowBytes: k &* stride, strideBytes: x.leadingDimension &* stride)
    return Double((ld &* stride &+ 63) >> 6) < inPlace
}

/// Whether a kernel loop prefetches (SpMM: rows of X ahead; SpMV: its value and index streams), as a type:
/// the loops are specialised for it, so the test is never inside them, inlined or not.
@usableFromInline
protocol _PrefetchPolicy {
    static var enabled: Bool { get }
    /// Whether the prefetches also go towards L2, further ahead: the SpMV streams (``_prefetchStep``), the X rows
    /// of the gather SpMM's wide register blocks (``_spmmBlock``).
    static var towardsL2: Bool { get }
}

/// Loops prefetch (towards L1).
@usableFromInline
enum _Prefetching: _PrefetchPolicy {
    @inlinable static var enabled: Bool { true }
    @inlinable static var towardsL2: Bool { false }
}

/// The SpMV row loops (CSR's, sorted COO's) and the chunked scatter prefetch their streams towards L2, then L1
/// (``_prefetchStep``); the gather SpMM's wide register blocks prefetch X rows towards L1 and, further ahead,
/// towards L2 (``_spmmBlock``).
@usableFromInline
enum _PrefetchingToL2: _PrefetchPolicy {
    @inlinable static var enabled: Bool { true }
    @inlinable static var towardsL2: Bool { true }
}

/// Loops do not prefetch.
@usableFromInline
enum _NotPrefetching: _PrefetchPolicy {
    @inlinable static var enabled: Bool { false }
    @inlinable static var towardsL2: Bool { false }
}

/// Rows `rows`, columns `columns` of the gather SpMM.
@inlinable
func _gatherSpMMRows<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ rows: Range<Int>, _ columns: Range<Int>, _ off: UnsafePointer<I>, _ idx: UnsafePointer<I>,
    _ val: UnsafePointer<S>, _ alpha: S.Arithmetic, _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int,
    _ beta: S.Arithmetic, _ out: _Output<S.Arithmetic>, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    // Prefetching runs on past the end of a row into the next rows of the part.
    let partEnd = Int(truncatingIfNeeded: off[rows.upperBound])
    for i in rows {
        let start = Int(truncatingIfNeeded: off[i]), end = Int(truncatingIfNeeded: off[i &+ 1])
        _spmmRow(start, end, partEnd, idx, val, alpha, x, ldx, columns, beta,
                 out.base + i &* out.rowStride, out.columnStride, P.self, V.self)
    }
}

/// One output row over columns `columns`: y[j·ycs] ← α·Σ_p val[p]·x[idx[p]·ldx + j] + β·y[j·ycs], for the
/// entries `start ..< end`; when `P` prefetches, it may prefetch the X rows of entries up to `pend` (≥ end: the
/// end of the caller's rows, so that the prefetching runs on into the next row).
///
/// Register blocks of eight vectors while at least eight vectors of columns are left; then what is left, in
/// one more pass: ⌈left / w⌉ vectors when at least one vector is left (the last one shifted back to end at the
/// last column, overlapping its neighbour, so that 5 Double columns or 20 Float ones still take one pass),
/// otherwise a half or quarter vector, two overlapping ones or four scalar chains.
@inlinable @inline(__always)
func _spmmRow<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy>(
    _ start: Int, _ end: Int, _ pend: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ alpha: S.Arithmetic,
    _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ columns: Range<Int>, _ beta: S.Arithmetic,
    _ yrow: UnsafeMutablePointer<S.Arithmetic>, _ ycs: Int, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount
    var j = columns.lowerBound
    let j1 = columns.upperBound
    while j &+ 8 &* w <= j1 {
        _spmmBlock(_V8.self, 7 &* w, start, end, pend, idx, val, x + j, ldx, alpha, beta, yrow + j &* ycs, ycs, P.self, V.self)
        j &+= 8 &* w
    }
    let rest = j1 &- j
    let xj = x + j, yj = yrow + j &* ycs
    if rest >= w {
        // ⌈rest / w⌉ ≤ 8 vectors, the last at column rest − w (the count as a type per case: see `_VectorCount`).
        let last = rest &- w
        switch (rest &+ w &- 1) / w {
        case 1: _spmmBlock(_V1.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 2: _spmmBlock(_V2.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 3: _spmmBlock(_V3.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 4: _spmmBlock(_V4.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 5: _spmmBlock(_V5.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 6: _spmmBlock(_V6.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        case 7: _spmmBlock(_V7.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        default: _spmmBlock(_V8.self, last, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, V.self)
        }
        return
    }
    typealias T = S.Arithmetic
    switch rest {
    case 0:
        return
    case 1:
        _spmmColumn(start, end, idx, val, xj, ldx, alpha, beta, yj)
    case 2:
        _spmmBlock(_V1.self, 0, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, SIMD2<T>.self)
    case 3:
        _spmmPair(start, end, pend, idx, val, xj, ldx, 3, alpha, beta, yj, ycs, P.self, SIMD2<T>.self)
    case 4:
        _spmmBlock(_V1.self, 0, start, end, pend, idx, val, xj, ldx, alpha, beta, yj, ycs, P.self, SIMD4<T>.self)
    case 5, 6, 7:
        _spmmPair(start, end, pend, idx, val, xj, ldx, rest, alpha, beta, yj, ycs, P.self, SIMD4<T>.self)
    default:
        // Vectors wider than 8 lanes leave wider remainders: columns one at a time.
        for c in 0..<rest {
            _spmmColumn(start, end, idx, val, xj + c, ldx, alpha, beta, yj + c &* ycs)
        }
    }
}

/// One column of an output row: y ← α·Σ_p val[p]·x[idx[p]·ldx] + β·y, with four scalar chains.
@inlinable @inline(__always)
func _spmmColumn<S: SparseScalar, I: SparseIndex>(
    _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>,
    _ ldx: Int, _ alpha: S.Arithmetic, _ beta: S.Arithmetic, _ y: UnsafeMutablePointer<S.Arithmetic>
) {
    typealias T = S.Arithmetic
    @inline(__always) func term(_ p: Int) -> T { val[p].arithmetic * x[Int(truncatingIfNeeded: idx[p]) &* ldx] }
    var s0 = T.zero, s1 = T.zero, s2 = T.zero, s3 = T.zero
    var p = start
    while p &+ 4 <= end {
        s0 += term(p)
        s1 += term(p &+ 1)
        s2 += term(p &+ 2)
        s3 += term(p &+ 3)
        p &+= 4
    }
    while p < end {
        s0 += term(p)
        p &+= 1
    }
    let s = (s0 + s1) + (s2 + s3)
    _finish(y, s, alpha, beta)
}

/// `cols` columns of an output row, U.scalarCount < cols < 2·U.scalarCount, in one pass: one vector of U at
/// column 0 and one at column `cols − U.scalarCount` (they overlap), two entries a step into two sets of
/// accumulators. The overlapping lanes of the second vector compute the same sums as the first in the same
/// order, and only the first is stored for them, so β·y is applied once.
@inlinable @inline(__always)
func _spmmPair<S: SparseScalar, I: SparseIndex, U: SIMD, P: _PrefetchPolicy>(
    _ start: Int, _ end: Int, _ pend: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>, _ x: UnsafePointer<S.Arithmetic>,
    _ ldx: Int, _ cols: Int, _ alpha: S.Arithmetic, _ beta: S.Arithmetic, _ y: UnsafeMutablePointer<S.Arithmetic>,
    _ ycs: Int, _: P.Type, _: U.Type
) where U.Scalar == S.Arithmetic {
    let u = U.scalarCount, o = cols &- u
    let last = pend &- 1
    let lastByte = cols &* MemoryLayout<S.Arithmetic>.stride &- 1
    @inline(__always) func row(_ p: Int) -> UnsafePointer<S.Arithmetic> {
        if P.enabled {
            let xf = UnsafeRawPointer(x + Int(truncatingIfNeeded: idx[Swift.min(p &+ _prefetchDistance, last)]) &* ldx)
            swiftsparse_prefetch(xf)
            swiftsparse_prefetch(xf + lastByte)
        }
        return x + Int(truncatingIfNeeded: idx[p]) &* ldx
    }
    var a0 = U(), b0 = U(), a1 = U(), b1 = U()
    var p = start
    while p &+ 2 <= end {
        let xr = row(p), xs = row(p &+ 1)
        let a = U(repeating: val[p].arithmetic), b = U(repeating: val[p &+ 1].arithmetic)
        a0 += a * _load(xr, U.self)
        b0 += a * _load(xr + o, U.self)
        a1 += b * _load(xs, U.self)
        b1 += b * _load(xs + o, U.self)
        p &+= 2
    }
    if p < end {
        let xr = row(p), a = U(repeating: val[p].arithmetic)
        a0 += a * _load(xr, U.self)
        b0 += a * _load(xr + o, U.self)
    }
    a0 += a1
    b0 += b1
    _storeRow(a0, y, ycs, alpha, beta)
    for l in (u &- o)..<u {
        let e = y + (o &+ l) &* ycs
        _finish(e, b0[l], alpha, beta)
    }
}

/// SpMM prefetches X rows only when the X block a pass reads is larger than this (twice an L2 of 512 KiB;
/// below it X mostly stays in L2 and the prefetch instructions cost more than they save: measured at k = 2).
@inlinable @inline(__always)
var _prefetchThresholdBytes: Int { 1 << 20 }

/// How many stored entries ahead SpMM prefetches rows of X: in ``_spmmPair`` and in the register blocks of
/// ``_farPrefetchBlockBytes`` or more.
@inlinable @inline(__always)
var _prefetchDistance: Int { 16 }

/// How many stored entries ahead a register block narrower than ``_farPrefetchBlockBytes`` (which prefetches
/// its X rows once) prefetches them: 24. Against ``_prefetchDistance`` (16), on a Zen 4 machine (2 threads,
/// n = 20000 at 1%, alternating in one process, four runs): Float k = 32 1.06–1.07×, Float64 k = 128 (panels of
/// 16 columns) 1.05–1.06×, Float k = 128 1.0–1.03×; 32 entries ahead measured 0.92–1.15×.
@inlinable @inline(__always)
var _narrowPrefetchDistance: Int { 24 }

/// How many stored entries ahead a register block of at least ``_farPrefetchBlockBytes`` also prefetches its
/// X rows towards L2, ahead of the prefetch towards L1 (``_spmmBlock``).
@inlinable @inline(__always)
var _farPrefetchDistance: Int { 32 }

/// The narrowest register block, in bytes of an X row, that prefetches X rows twice (``_farPrefetchDistance``)
/// when consecutive entries read scattered rows of X (``_scatteredGather``; the policy `_PrefetchingToL2`):
/// four cache lines, a Float64 block of 32 columns or a Float one of 64. Measured on a Zen 4 machine (2 threads,
/// n = 20000 at 1%, X in place, alternating in one process): Float64 k = 32 1.09–1.35× (eight runs), Float
/// k = 64 1.06–1.15×, 48 entries ahead like 32. On 4×4 blocks, where consecutive entries read neighbouring
/// rows, it ran 0.88–0.89× (Float64 k = 32), on the 5-point stencil 0.92–1.11× (k = 32 and 128), and for
/// 128-byte blocks (Float k = 32, the panels of k = 128) 0.8–0.9×. With it, k = 128 in panels of 256-byte rows
/// ran 1.0–1.13× (Float64) and 0.96–0.97× (Float) the panels of 128-byte rows, and in place over 256-byte
/// column slices of X 0.6×. Float64 alone in 256-byte panels, again (nine to eleven runs a case): 1.04–1.06× at
/// n = 20000 and 40000, 1.03× at 14000, 1.0× on 4×4 blocks, 0.88–0.89× at n = 10000 (2%): k = 128 keeps its
/// panels.
@inlinable @inline(__always)
var _farPrefetchBlockBytes: Int { 256 }

/// One register block: `N.count` = nv vectors (1 to 8) of columns of one output row, at
/// columns 0, w, …, (nv − 2)·w and `last` (≤ (nv − 1)·w; when smaller, the last vector overlaps the one
/// before it and only its lanes past (nv − 1)·w are stored, so β·y is applied once to every column).
///
/// Every block keeps at least four independent accumulator chains, so the add latency never limits it:
/// 5 to 8 vectors take one entry per step, 3 and 4 vectors two entries (two sets), 2 vectors and one vector
/// four entries. The sets are added at the end in a fixed order. When `P` prefetches (X larger than L2), the
/// X row of an entry ahead is prefetched, one cache line per 64 bytes of the block: for blocks of
/// ``_farPrefetchBlockBytes`` or more, that of the entry ``_prefetchDistance`` ahead and, when `P.towardsL2`,
/// towards L2 that of the entry ``_farPrefetchDistance`` ahead; for narrower ones, that of the entry
/// ``_narrowPrefetchDistance`` ahead.
@inlinable @inline(__always)
func _spmmBlock<S: SparseScalar, I: SparseIndex, V: SIMD, P: _PrefetchPolicy, N: _VectorCount>(
    _: N.Type, _ last: Int, _ start: Int, _ end: Int, _ pend: Int, _ idx: UnsafePointer<I>, _ val: UnsafePointer<S>,
    _ x: UnsafePointer<S.Arithmetic>, _ ldx: Int, _ alpha: S.Arithmetic, _ beta: S.Arithmetic,
    _ y: UnsafeMutablePointer<S.Arithmetic>, _ ycs: Int, _: P.Type, _: V.Type
) where V.Scalar == S.Arithmetic {
    let w = V.scalarCount, nv = N.count
    var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
    let lastEntry = pend &- 1
    // A constant (nv·w scalars), so that the prefetches unroll; at most one line more than the block spans.
    let blockBytes = nv &* w &* MemoryLayout<S.Arithmetic>.stride
    @inline(__always) func row(_ p: Int) -> UnsafePointer<S.Arithmetic> {
        if P.enabled {
            let ahead = blockBytes >= _farPrefetchBlockBytes ? _prefetchDistance : _narrowPrefetchDistance
            let xf = UnsafeRawPointer(x + Int(truncatingIfNeeded: idx[Swift.min(p &+ ahead, lastEntry)]) &* ldx)
            _prefetchLines(xf, bytes: blockBytes)
            if P.towardsL2 && blockBytes >= _farPrefetchBlockBytes {
                let far = Int(truncatingIfNeeded: idx[Swift.min(p &+ _farPrefetchDistance, lastEntry)])
                _prefetchLinesTowardsL2(UnsafeRawPointer(x + far &* ldx), bytes: blockBytes)
            }
        }
        return x + Int(truncatingIfNeeded: idx[p]) &* ldx
    }
    @inline(__always) func value(_ p: Int) -> V { V(repeating: val[p].arithmetic) }
    /// Vector `i` of the X row at `r`.
    @inline(__always) func load(_ r: UnsafePointer<S.Arithmetic>, _ i: Int) -> V {
        _load(r + (i == nv &- 1 ? last : i &* w), V.self)
    }
    var p = start
    switch nv {
    case 5...8:
        while p < end {
            let xr = row(p), a = value(p)
            a0 += a * load(xr, 0)
            a1 += a * load(xr, 1)
            a2 += a * load(xr, 2)
            a3 += a * load(xr, 3)
            a4 += a * load(xr, 4)
            if nv > 5 { a5 += a * load(xr, 5) }
            if nv > 6 { a6 += a * load(xr, 6) }
            if nv > 7 { a7 += a * load(xr, 7) }
            p &+= 1
        }
    case 3, 4:
        while p &+ 2 <= end {
            let xr = row(p), a = value(p), xs = row(p &+ 1), b = value(p &+ 1)
            a0 += a * load(xr, 0)
            a1 += a * load(xr, 1)
            a2 += a * load(xr, 2)
            if nv > 3 { a3 += a * load(xr, 3) }
            a4 += b * load(xs, 0)
            a5 += b * load(xs, 1)
            a6 += b * load(xs, 2)
            if nv > 3 { a7 += b * load(xs, 3) }
            p &+= 2
        }
        if p < end {
            let xr = row(p), a = value(p)
            a0 += a * load(xr, 0)
            a1 += a * load(xr, 1)
            a2 += a * load(xr, 2)
            if nv > 3 { a3 += a * load(xr, 3) }
        }
        a0 += a4; a1 += a5; a2 += a6; a3 += a7
    case 2:
        while p &+ 4 <= end {
            let xr = row(p), a = value(p), xs = row(p &+ 1), b = value(p &+ 1)
            let xt = row(p &+ 2), c = value(p &+ 2), xu = row(p &+ 3), d = value(p &+ 3)
            a0 += a * load(xr, 0)
            a1 += a * load(xr, 1)
            a2 += b * load(xs, 0)
            a3 += b * load(xs, 1)
            a4 += c * load(xt, 0)
            a5 += c * load(xt, 1)
            a6 += d * load(xu, 0)
            a7 += d * load(xu, 1)
            p &+= 4
        }
        while p < end {
            let xr = row(p), a = value(p)
            a0 += a * load(xr, 0)
            a1 += a * load(xr, 1)
            p &+= 1
        }
        a0 = (a0 + a2) + (a4 + a6)
        a1 = (a1 + a3) + (a5 + a7)
    default:
        while p &+ 4 <= end {
            a0 += value(p) * load(row(p), 0)
            a1 += value(p &+ 1) * load(row(p &+ 1), 0)
            a2 += value(p &+ 2) * load(row(p &+ 2), 0)
            a3 += value(p &+ 3) * load(row(p &+ 3), 0)
            p &+= 4
        }
        while p < end {
            a0 += value(p) * load(row(p), 0)
            p &+= 1
        }
        a0 = (a0 + a1) + (a2 + a3)
    }
    /// Stores accumulator `i`: the last vector skips the lanes it shares with the one before it.
    @inline(__always) func store(_ acc: V, _ i: Int) {
        let column = i == nv &- 1 ? last : i &* w
        let skip = i &* w &- column
        if skip == 0 {
            _storeRow(acc, y + column &* ycs, ycs, alpha, beta)
        } else {
            for l in skip..<w {
                let e = y + (column &+ l) &* ycs
                _finish(e, acc[l], alpha, beta)
            }
        }
    }
    store(a0, 0)
    if nv > 1 { store(a1, 1) }
    if nv > 2 { store(a2, 2) }
    if nv > 3 { store(a3, 3) }
    if nv > 4 { store(a4, 4) }
    if nv > 5 { store(a5, 5) }
    if nv > 6 { store(a6, 6) }
    if nv > 7 { store(a7, 7) }
}

/// The number of vectors of an SpMM register block, as a type: each block size is its own specialisation of
/// ``_spmmBlock``, with the count a constant, whether or not the compiler inlines it. (With the count a
/// runtime argument, the outlined remainder blocks tested it inside the loop and prefetched in a loop: measured,
/// n = 20000 at 1%, 2 threads, alternating in one process, Float32 k = 32 1.34–1.45× faster as a type, k = 16
/// 1.18–1.23×, Float64 k = 8, 16 and 20 1.19–1.39×.)
@usableFromInline protocol _VectorCount { static var count: Int { get } }
/// No whole vectors: the scatter SpMM's block for fewer than w columns.
@usableFromInline enum _V0: _VectorCount { @inlinable static var count: Int { 0 } }
@usableFromInline enum _V1: _VectorCount { @inlinable static var count: Int { 1 } }
@usableFromInline enum _V2: _VectorCount { @inlinable static var count: Int { 2 } }
@usableFromInline enum _V3: _VectorCount { @inlinable static var count: Int { 3 } }
@usableFromInline enum _V4: _VectorCount { @inlinable static var count: Int { 4 } }
@usableFromInline enum _V5: _VectorCount { @inlinable static var count: Int { 5 } }
@usableFromInline enum _V6: _VectorCount { @inlinable static var count: Int { 6 } }
@usableFromInline enum _V7: _VectorCount { @inlinable static var count: Int { 7 } }
@usableFromInline enum _V8: _VectorCount { @inlinable static var count: Int { 8 } }

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
            _finish(e, acc[l], alpha, beta)
        }
    }
}
