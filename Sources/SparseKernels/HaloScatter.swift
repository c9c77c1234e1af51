import SparseCore

// The halo scatter: a race-free, deterministic scatter product for banded matrices (a stencil's, a mesh's in a
// good order) with too few entries per output for partial vectors per chunk. The stored entries are cut into
// chunks fixed by the matrix; chunk q owns a core of the output rows (the cores partition the outputs, in
// proportion to the chunks' slices), scales it by β and adds its terms straight into it, and adds the terms
// that fall outside it into its halo: the output rows below and above its core that it reaches, zeroed as it
// first reaches them. The halos are then added into the cores in chunk order. Every output gets the same terms
// in the same order whatever the thread count, and a halo holds only the rows its chunk reaches.

/// The halo of one chunk of a halo scatter: the output rows beyond its core that it has reached, each `width`
/// elements, zeroed when first reached. The rows below the core are stored nearest the core first (row
/// `core.lowerBound − 1 − j` at `j·width`), those above from the core's end on (row `core.upperBound + j` at
/// `j·width`), each side in a buffer that doubles as it grows. Freed by ``free()``.
@frozen @usableFromInline
struct _Halo<T: FloatingPoint>: @unchecked Sendable {
    @usableFromInline let core: Range<Int>
    @usableFromInline let width: Int
    @usableFromInline var below: UnsafeMutablePointer<T>?
    @usableFromInline var belowRows: Int
    @usableFromInline var belowCapacity: Int
    @usableFromInline var above: UnsafeMutablePointer<T>?
    @usableFromInline var aboveRows: Int
    @usableFromInline var aboveCapacity: Int

    @inlinable
    init(core: Range<Int>, width: Int) {
        self.core = core
        self.width = width
        (below, belowRows, belowCapacity) = (nil, 0, 0)
        (above, aboveRows, aboveCapacity) = (nil, 0, 0)
    }

    /// The output rows this halo holds, below and above the core.
    @inlinable var belowRange: Range<Int> { (core.lowerBound &- belowRows)..<core.lowerBound }
    @inlinable var aboveRange: Range<Int> { core.upperBound..<(core.upperBound &+ aboveRows) }

    /// Makes the output rows `first...last` addable: zeroes the rows of the halo they reach beyond the core.
    @inlinable @inline(__always)
    mutating func reach(_ first: Int, _ last: Int) {
        if core.lowerBound &- first > belowRows {
            Self._grow(&below, &belowRows, &belowCapacity, to: core.lowerBound &- first, width: width)
        }
        if last &+ 1 &- core.upperBound > aboveRows {
            Self._grow(&above, &aboveRows, &aboveCapacity, to: last &+ 1 &- core.upperBound, width: width)
        }
    }

    /// Output row `c` (outside the core, reached) in the halo.
    @inlinable @inline(__always)
    func row(_ c: Int) -> UnsafeMutablePointer<T> {
        c < core.lowerBound ? below! + (core.lowerBound &- 1 &- c) &* width : above! + (c &- core.upperBound) &* width
    }

    /// Where output row c of the halo below the core is, as `origin + c·(−width)`: for kernels that address
    /// rows as base + index·stride. Only once a row below has been reached.
    @inlinable @inline(__always)
    var belowOrigin: UnsafeMutablePointer<T> { below! + (core.lowerBound &- 1) &* width }

    /// Where output row c of the halo above the core is, as `origin + c·width`. Only once a row above has been
    /// reached.
    @inlinable @inline(__always)
    var aboveOrigin: UnsafeMutablePointer<T> { above! - core.upperBound &* width }

    /// Adds the entries `start..<end`, whose indices ascend (a slice, or a canonical COO row's run), where they
    /// belong: `body(s, e, base, stride)` adds entries `s..<e` into the rows `base + idx[p]·stride`, called with
    /// y and `rowStride` for the entries in the core and with the halo's origins for those below and above it
    /// (reached first), the run split at the core's bounds. Nearly every run of a banded matrix lies in the core
    /// and goes to `body` whole.
    @inlinable @inline(__always)
    mutating func split<I: SparseIndex>(
        _ start: Int, _ end: Int, _ idx: UnsafePointer<I>, y: UnsafeMutablePointer<T>, rowStride: Int,
        _ body: (_ s: Int, _ e: Int, _ base: UnsafeMutablePointer<T>, _ stride: Int) -> Void
    ) {
        if start == end { return }
        let first = Int(truncatingIfNeeded: idx[start]), last = Int(truncatingIfNeeded: idx[end &- 1])
        if first >= core.lowerBound && last < core.upperBound { return body(start, end, y, rowStride) }
        reach(first, last)
        let a = _lowerBound(idx, start, end, I(truncatingIfNeeded: core.lowerBound))
        let b = _lowerBound(idx, a, end, I(truncatingIfNeeded: core.upperBound))
        if a > start { body(start, a, belowOrigin, -width) }
        body(a, b, y, rowStride)
        if end > b { body(b, end, aboveOrigin, width) }
    }

    /// Grows one side to `rows` zeroed rows, at least doubling its buffer when it reallocates.
    @inlinable
    static func _grow(_ side: inout UnsafeMutablePointer<T>?, _ count: inout Int, _ capacity: inout Int,
                      to rows: Int, width: Int) {
        if rows > capacity {
            let newCapacity = Swift.max(rows, 2 &* capacity, 64)
            let new = UnsafeMutablePointer<T>.allocate(capacity: newCapacity &* width)
            if let old = side {
                new.moveInitialize(from: old, count: count &* width)
                old.deallocate()
            }
            side = new
            capacity = newCapacity
        }
        (side! + count &* width).initialize(repeating: 0, count: (rows &- count) &* width)
        count = rows
    }

    /// Frees both sides.
    @inlinable
    func free() {
        below?.deallocate()
        above?.deallocate()
    }
}

/// How many chunks a halo scatter over `entries` stored entries into `n` outputs takes: one per 2¹⁶ entries, at
/// most 8, when the halos its probes estimate add up to at most an eighth of the outputs; otherwise (below 2
/// chunks, or fewer than `slices` slices to cut) 1, the caller's other path. `estimate(chunks, q)` gives chunk
/// q's core and the lowest output and one past the highest that its probes reach, widened to the core (nil for
/// an empty chunk). Depends on the matrix only. A probe can miss an entry that reaches far out; its chunk's
/// halo then grows to it, which costs time and memory, never correctness.
@inlinable
func _haloChunks(entries: Int, outputs n: Int, slices: Int = .max,
                 _ estimate: (_ chunks: Int, _ q: Int) -> (core: Range<Int>, lo: Int, hi: Int)?) -> Int {
    guard n > 0 else { return 1 }
    let chunks = Swift.min(8, entries >> 16)
    guard chunks >= 2, slices >= chunks else { return 1 }
    var halo = 0
    for q in 0..<chunks {
        guard let (core, lo, hi) = estimate(chunks, q) else { continue }
        halo &+= (core.lowerBound &- lo) &+ (hi &- core.upperBound)
    }
    return halo <= n / 8 ? chunks : 1
}

/// The frame of the halo scatters: `chunks` chunks, chunk q owning output rows `core(q)` (the cores partition
/// `0..<n`), of `width` elements each, row c at `y + c·rowStride` (its elements contiguous; `width` 1 with any
/// stride for SpMV). Each chunk scales its core by β, then `scatter(q, &halo)` adds its terms into y where they
/// fall in the core and into the halo otherwise (``_Halo/reach(_:_:)`` first). Then each chunk adds into its
/// core the other chunks' halos, in chunk order, and the halos are freed.
@inlinable
func _haloScatter<T: FloatingPoint>(
    chunks: Int, outputs n: Int, width k: Int, core: (Int) -> Range<Int>, beta: T, y: UnsafeMutablePointer<T>,
    rowStride: Int, work: Int, configuration: KernelConfiguration,
    _ scatter: (_ q: Int, _ halo: inout _Halo<T>) -> Void
) {
    let threads = configuration._parts(work: work, limit: chunks)
    withUnsafeTemporaryAllocation(of: _Halo<T>.self, capacity: chunks) { buffer in
        let halos = buffer.baseAddress!
        _parallelFor(chunks, threads: threads) { q in
            let own = core(q)
            if k == 1 {
                _scale(y + own.lowerBound &* rowStride, count: own.count, stride: rowStride, by: beta)
            } else {
                _scale(_Output(base: y, rowStride: rowStride, columnStride: 1), rows: own, columns: k, by: beta)
            }
            var halo = _Halo<T>(core: own, width: k)
            scatter(q, &halo)
            (halos + q).initialize(to: halo)
        }
        _parallelFor(chunks, threads: threads) { q in
            let mine = core(q)
            for r in 0..<chunks where r != q {
                let halo = halos[r]
                @inline(__always) func add(_ part: Range<Int>) {
                    for c in part.clamped(to: mine) {
                        let src = UnsafePointer(halo.row(c)), dst = y + c &* rowStride
                        for j in 0..<k { dst[j] += src[j] }
                    }
                }
                add(halo.belowRange)
                add(halo.aboveRange)
            }
        }
        for q in 0..<chunks { halos[q].free() }
        halos.deinitialize(count: chunks)
    }
}
