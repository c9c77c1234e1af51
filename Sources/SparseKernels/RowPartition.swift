import SparseCore

/// Splits the slices of a compressed pattern (rows of CSR, block rows of BSR) into contiguous ranges of
/// nearly equal cost, one per part (a thread takes one part or more, see
/// ``KernelConfiguration/partsPerThread``). A slice costs its stored entries plus `sliceCost` (the fixed work
/// of starting a row and writing its result), so rows of very different lengths still share out evenly.
///
/// Every part computes its own bounds by binary search over the offsets: nothing is allocated and nothing is
/// shared. A slice belongs to exactly one part, and the arithmetic for a slice does not depend on which part
/// runs it, so products are bitwise identical whatever the thread count.
@frozen
public struct RowPartition<Index: SparseIndex>: @unchecked Sendable {
    /// `sliceCount + 1` offsets into the entries.
    @usableFromInline let offsets: UnsafePointer<Index>
    /// Number of slices.
    public let sliceCount: Int
    /// Number of parts.
    public let parts: Int
    /// The fixed cost of one slice, in units of one stored entry.
    public let sliceCost: Int

    /// A partition of the slices described by `offsets` (`sliceCount + 1` elements, non-decreasing, from 0)
    /// into `parts` ranges. The pointer must stay valid while the partition is used.
    @inlinable
    public init(offsets: UnsafePointer<Index>, sliceCount: Int, parts: Int, sliceCost: Int = 2) {
        precondition(parts >= 1 && sliceCount >= 0 && sliceCost >= 0, "RowPartition: bad arguments")
        self.offsets = offsets
        self.sliceCount = sliceCount
        self.parts = parts
        self.sliceCost = sliceCost
    }

    /// The cost of slices `0..<i`.
    @inlinable @inline(__always)
    func _cost(_ i: Int) -> Int { Int(truncatingIfNeeded: offsets[i]) &+ i &* sliceCost }

    /// The first slice of part `t` (`t == parts` gives `sliceCount`).
    @inlinable
    public func boundary(_ t: Int) -> Int {
        if t <= 0 { return 0 }
        if t >= parts { return sliceCount }
        let total = _cost(sliceCount)
        // total·t/parts without overflow for any realistic total (< 2^56 with up to 256 parts).
        let target = Int((Double(total) * Double(t) / Double(parts)).rounded(.up))
        var lo = 0, hi = sliceCount
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if _cost(mid) < target { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// The slices of part `t`.
    @inlinable
    public func range(_ t: Int) -> Range<Int> { boundary(t)..<boundary(t &+ 1) }
}

/// Part `t` of `0..<count` split into `parts` nearly equal contiguous ranges.
@inlinable @inline(__always)
func _evenRange(_ t: Int, of parts: Int, count: Int) -> Range<Int> {
    (count &* t / parts)..<(count &* (t &+ 1) / parts)
}
