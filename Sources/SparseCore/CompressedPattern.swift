/// Names used in error messages for one compressed format's arrays.
@usableFromInline
struct _PatternLabels: Sendable {
    @usableFromInline let offsets: String
    @usableFromInline let indices: String
    @usableFromInline let slice: String
    @usableFromInline let major: String
    @usableFromInline let minor: String
    /// Whether the major axis is the column axis (CSC), so errors report shapes as rows × columns.
    @usableFromInline let majorIsColumns: Bool

    @inlinable
    init(offsets: String, indices: String, slice: String, major: String, minor: String, majorIsColumns: Bool = false) {
        self.offsets = offsets
        self.indices = indices
        self.slice = slice
        self.major = major
        self.minor = minor
        self.majorIsColumns = majorIsColumns
    }

    @usableFromInline static let generic = _PatternLabels(
        offsets: "offsets", indices: "indices", slice: "slice", major: "majorCount", minor: "minorCount")
    @usableFromInline static let csr = _PatternLabels(
        offsets: "rowOffsets", indices: "columnIndices", slice: "row", major: "rows", minor: "columns")
    @usableFromInline static let csc = _PatternLabels(
        offsets: "columnOffsets", indices: "rowIndices", slice: "column", major: "columns", minor: "rows",
        majorIsColumns: true)
    @usableFromInline static let bsr = _PatternLabels(
        offsets: "blockRowOffsets", indices: "blockColumnIndices", slice: "block row",
        major: "block rows", minor: "block columns")
}

/// The compressed sparsity pattern shared by CSR, CSC and block-sparse matrices: for each of `majorCount`
/// slices (rows of CSR, columns of CSC, block rows of BSR), the sorted, duplicate-free minor indices of its
/// entries. `offsets[m]..<offsets[m + 1]` is slice `m`'s range in `indices`.
///
/// The invariants are checked in one place, ``init(majorCount:minorCount:offsets:indices:)``:
/// `offsets.count == majorCount + 1`, `offsets[0] == 0`, offsets non-decreasing,
/// `offsets[majorCount] == indices.count`, every index in `0..<minorCount`, strictly increasing within a slice,
/// and every count addressable by `Index`.
public struct CompressedPattern<Index: SparseIndex>: Sendable, Equatable {
    /// Slices: rows for CSR, columns for CSC, block rows for block-sparse.
    public let majorCount: Int
    /// The range of the indices: columns for CSR, rows for CSC, block columns for block-sparse.
    public let minorCount: Int
    /// `majorCount + 1` offsets into ``indices``.
    public let offsets: SparseBuffer<Index>
    /// The minor index of each stored entry, slice by slice.
    public let indices: SparseBuffer<Index>

    /// Validates and wraps a pattern.
    @inlinable
    public init(majorCount: Int, minorCount: Int, offsets: SparseBuffer<Index>, indices: SparseBuffer<Index>)
        throws(SparseError)
    {
        try self.init(majorCount: majorCount, minorCount: minorCount, offsets: offsets, indices: indices,
                      labels: .generic)
    }

    @inlinable
    init(majorCount: Int, minorCount: Int, offsets: SparseBuffer<Index>, indices: SparseBuffer<Index>,
         labels: _PatternLabels) throws(SparseError)
    {
        self.init(uncheckedMajorCount: majorCount, minorCount: minorCount, offsets: offsets, indices: indices)
        try _validate(labels)
    }

    /// Wraps a pattern without checking it. The caller guarantees every invariant listed on the type;
    /// a broken pattern makes kernels read out of bounds.
    @inlinable
    public init(uncheckedMajorCount majorCount: Int, minorCount: Int, offsets: SparseBuffer<Index>,
                indices: SparseBuffer<Index>)
    {
        self.majorCount = majorCount
        self.minorCount = minorCount
        self.offsets = offsets
        self.indices = indices
    }

    /// The pattern of a `majorCount × minorCount` matrix with no stored entries.
    @inlinable
    public init(emptyMajorCount majorCount: Int, minorCount: Int) {
        self.init(uncheckedMajorCount: majorCount, minorCount: minorCount,
                  offsets: SparseBuffer(repeating: 0, count: majorCount + 1), indices: SparseBuffer())
    }

    /// Number of stored entries (blocks, for block-sparse).
    @inlinable public var storedCount: Int { indices.count }

    /// The range of slice `major` in ``indices``.
    @inlinable @inline(__always)
    public func range(ofSlice major: Int) -> Range<Int> {
        Int(truncatingIfNeeded: offsets[major])..<Int(truncatingIfNeeded: offsets[major + 1])
    }

    /// The position in ``indices`` of (`major`, `minor`), or `nil` if it is not stored (binary search).
    @inlinable
    public func position(major: Int, minor: Int) -> Int? {
        var lo = Int(truncatingIfNeeded: offsets[major])
        var hi = Int(truncatingIfNeeded: offsets[major + 1])
        let target = Index(truncatingIfNeeded: minor)
        return indices.withUnsafeBufferPointer { idx -> Int? in
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                let v = idx[mid]
                if v == target { return mid }
                if v < target { lo = mid &+ 1 } else { hi = mid }
            }
            return nil
        }
    }

    /// Bytes of the offsets array.
    @inlinable public var offsetBytes: Int { offsets.allocatedByteCount }
    /// Bytes of the indices array.
    @inlinable public var indexBytes: Int { indices.allocatedByteCount }

    /// Checks every invariant, throwing the first violation found.
    @inlinable
    public func validate() throws(SparseError) { try _validate(.generic) }

    @inlinable
    func _validate(_ labels: _PatternLabels) throws(SparseError) {
        let (rows, columns) = labels.majorIsColumns ? (minorCount, majorCount) : (majorCount, minorCount)
        guard majorCount >= 0, minorCount >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        let nnz = indices.count
        try Index.checkAddressable(rows: rows, columns: columns, entries: nnz)
        guard offsets.count == majorCount + 1 else {
            throw .lengthMismatch(array: labels.offsets, expected: majorCount + 1, actual: offsets.count)
        }
        try offsets.withUnsafeBufferPointer { (off) throws(SparseError) in
            try indices.withUnsafeBufferPointer { (idx) throws(SparseError) in
                let first = Int(truncatingIfNeeded: off[0])
                guard first == 0 else { throw .offsetsMustStartAtZero(array: labels.offsets, actual: first) }
                var previous = 0
                for m in 1..<(majorCount &+ 1) {
                    let o = Int(truncatingIfNeeded: off[m])
                    guard o >= previous else {
                        throw .decreasingOffsets(array: labels.offsets, position: m, previous: previous, value: o)
                    }
                    guard o <= nnz else {
                        throw .offsetsMustEndAtEntryCount(array: labels.offsets, expected: nnz, actual: o)
                    }
                    previous = o
                }
                guard previous == nnz else {
                    throw .offsetsMustEndAtEntryCount(array: labels.offsets, expected: nnz, actual: previous)
                }
                for m in 0..<majorCount {
                    let start = Int(truncatingIfNeeded: off[m]), end = Int(truncatingIfNeeded: off[m &+ 1])
                    var last = -1
                    for p in start..<end {
                        let j = Int(truncatingIfNeeded: idx[p])
                        guard j >= 0 && j < minorCount else {
                            throw .indexOutOfRange(array: labels.indices, position: p, index: j, bound: minorCount)
                        }
                        if j <= last {
                            if j == last {
                                throw .duplicateIndex(array: labels.indices, slice: labels.slice, sliceIndex: m,
                                                      position: p, index: j)
                            }
                            throw .unsortedIndices(array: labels.indices, slice: labels.slice, sliceIndex: m,
                                                   position: p, previous: last, value: j)
                        }
                        last = j
                    }
                }
            }
        }
    }

    /// The same pattern with another index type; throws if a count does not fit.
    @inlinable
    public func converted<J: SparseIndex>(to: J.Type) throws(SparseError) -> CompressedPattern<J> {
        if let same = self as? CompressedPattern<J> { return same }
        try J.checkAddressable(rows: majorCount, columns: minorCount, entries: storedCount)
        return CompressedPattern<J>(
            uncheckedMajorCount: majorCount, minorCount: minorCount,
            offsets: _convertIndices(offsets, to: J.self), indices: _convertIndices(indices, to: J.self))
    }

    /// The transposed pattern (slices become minor indices and vice versa), sorted. `move(to, from)` is called
    /// once per entry with its new and old position, so the caller can permute values alongside.
    @inlinable
    public func transposed(moving move: (_ to: Int, _ from: Int) -> Void) -> CompressedPattern<Index> {
        let nnz = storedCount
        let minor = minorCount
        var next = [Int](repeating: 0, count: minor + 1)
        let newOffsets = SparseBuffer<Index>(unsafeUninitializedCount: minor + 1) { newOff in
            indices.withUnsafeBufferPointer { idx in
                next.withUnsafeMutableBufferPointer { cnt in
                    for p in 0..<nnz { cnt[Int(truncatingIfNeeded: idx[p]) &+ 1] &+= 1 }
                    for j in 0..<minor { cnt[j &+ 1] &+= cnt[j] }
                    for j in 0...minor { newOff[j] = Index(truncatingIfNeeded: cnt[j]) }
                }
            }
        }
        let newIndices = SparseBuffer<Index>(unsafeUninitializedCount: nnz) { newIdx in
            offsets.withUnsafeBufferPointer { off in
                indices.withUnsafeBufferPointer { idx in
                    next.withUnsafeMutableBufferPointer { cnt in
                        for m in 0..<majorCount {
                            let start = Int(truncatingIfNeeded: off[m]), end = Int(truncatingIfNeeded: off[m &+ 1])
                            for p in start..<end {
                                let j = Int(truncatingIfNeeded: idx[p])
                                let q = cnt[j]
                                cnt[j] = q &+ 1
                                newIdx[q] = Index(truncatingIfNeeded: m)
                                move(q, p)
                            }
                        }
                    }
                }
            }
        }
        return CompressedPattern(uncheckedMajorCount: minor, minorCount: majorCount, offsets: newOffsets,
                                 indices: newIndices)
    }
}

/// Copies an index buffer into another index type, truncating (callers check that values fit).
@inlinable
func _convertIndices<I: SparseIndex, J: SparseIndex>(_ source: SparseBuffer<I>, to: J.Type) -> SparseBuffer<J> {
    SparseBuffer<J>(unsafeUninitializedCount: source.count) { dst in
        source.withUnsafeBufferPointer { src in
            for p in 0..<src.count { dst[p] = J(truncatingIfNeeded: src[p]) }
        }
    }
}
