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
                for c in own { _scale(y + c &* rowStride, count: k, stride: 1, by: beta) }
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
