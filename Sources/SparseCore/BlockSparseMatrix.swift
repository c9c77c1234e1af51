/// A block compressed sparse row (BSR) matrix: dense r×c blocks on a compressed pattern of block rows.
///
/// The pattern is a ``CompressedPattern`` over `⌈rows / r⌉` block rows and `⌈columns / c⌉` block columns;
/// block `b` holds its r×c values row-major at `values[b·r·c ..< (b+1)·r·c]`. When r or c does not divide
/// the shape, the edge blocks reach past the matrix: those padding values are stored (and counted in the
/// footprint) and must be zero. Zeros inside blocks are fill, not entries: converting to another sparse format
/// stores only the non-zero values.
public struct BlockSparseMatrix<Scalar: SparseScalar, Index: SparseIndex>: MatrixStorage, Equatable {
    public let rows: Int
    public let columns: Int
    /// Rows of one block (r).
    public let blockRows: Int
    /// Columns of one block (c).
    public let blockColumns: Int
    /// The block pattern: block-row offsets and sorted block-column indices.
    public let pattern: CompressedPattern<Index>
    /// `blockCount × r × c` values, block by block, each block row-major.
    public var values: SparseBuffer<Scalar> { _values }
    @usableFromInline var _values: SparseBuffer<Scalar>

    /// Validates and wraps the BSR arrays: the pattern over block rows and columns, the value count, and zero
    /// padding in edge blocks.
    @inlinable
    public init(rows: Int, columns: Int, blockRows r: Int, blockColumns c: Int,
                blockRowOffsets: SparseBuffer<Index>, blockColumnIndices: SparseBuffer<Index>,
                values: SparseBuffer<Scalar>) throws(SparseError)
    {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard r >= 1, c >= 1 else { throw .invalidBlockSize(rows: r, columns: c) }
        let pattern = try CompressedPattern(majorCount: _blockCount(rows, r), minorCount: _blockCount(columns, c),
                                            offsets: blockRowOffsets, indices: blockColumnIndices, labels: .bsr)
        let perBlock = r.multipliedReportingOverflow(by: c)
        let total = pattern.storedCount.multipliedReportingOverflow(by: perBlock.partialValue)
        guard !perBlock.overflow, !total.overflow else { throw .invalidBlockSize(rows: r, columns: c) }
        let expected = total.partialValue
        guard values.count == expected else {
            throw .lengthMismatch(array: "values", expected: expected, actual: values.count)
        }
        self.init(uncheckedRows: rows, columns: columns, blockRows: r, blockColumns: c, pattern: pattern,
                  values: values)
        if rows % r != 0 || columns % c != 0 {
            try _forEachBlockElement(includePadding: true) { (b, i, j, v) throws(SparseError) in
                if (i >= rows || j >= columns) && v != 0 { throw .nonzeroBlockPadding(block: b, row: i, column: j) }
            }
        }
    }

    /// Validates and wraps the BSR arrays, given as Swift arrays (copied at exact size).
    @inlinable
    public init(rows: Int, columns: Int, blockRows r: Int, blockColumns c: Int, blockRowOffsets: [Index],
                blockColumnIndices: [Index], values: [Scalar]) throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, blockRows: r, blockColumns: c,
                      blockRowOffsets: SparseBuffer(blockRowOffsets),
                      blockColumnIndices: SparseBuffer(blockColumnIndices), values: SparseBuffer(values))
    }

    /// Wraps a block pattern and values without checking them. The caller guarantees `r, c ≥ 1`, a valid
    /// pattern over `⌈rows / r⌉ × ⌈columns / c⌉` blocks, `values.count == blockCount × r × c` and zero padding.
    @inlinable
    public init(uncheckedRows rows: Int, columns: Int, blockRows r: Int, blockColumns c: Int,
                pattern: CompressedPattern<Index>, values: SparseBuffer<Scalar>)
    {
        self.rows = rows
        self.columns = columns
        self.blockRows = r
        self.blockColumns = c
        self.pattern = pattern
        self._values = values
    }

    /// Converts any matrix to r×c blocks.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>, blockRows r: Int, blockColumns c: Int) throws(SparseError) {
        self = try source.blockSparse(blockRows: r, blockColumns: c, indexType: Index.self)
    }

    /// Number of stored blocks.
    @inlinable public var blockCount: Int { pattern.storedCount }
    /// Number of block rows, `⌈rows / r⌉`.
    @inlinable public var blockRowCount: Int { pattern.majorCount }
    /// Number of block columns, `⌈columns / c⌉`.
    @inlinable public var blockColumnCount: Int { pattern.minorCount }
    /// Block-row offsets into ``blockColumnIndices``.
    @inlinable public var blockRowOffsets: SparseBuffer<Index> { pattern.offsets }
    /// The block column of each stored block.
    @inlinable public var blockColumnIndices: SparseBuffer<Index> { pattern.indices }
    @inlinable public var format: StorageFormat { .blockSparse(blockRows: blockRows, blockColumns: blockColumns) }
    @inlinable public var storedCount: Int { values.count }
    @inlinable public static var storesExplicitZeros: Bool { false }

    @inlinable
    public var footprint: MemoryFootprint {
        MemoryFootprint(format: format, rows: rows, columns: columns, storedValues: values.count,
                        scalarBytes: MemoryLayout<Scalar>.stride, valueBytes: values.allocatedByteCount,
                        indexBytes: pattern.indexBytes, offsetBytes: pattern.offsetBytes)
    }

    /// The fill of this matrix: stored values against its non-zero values.
    @inlinable
    public var fill: BlockFill {
        let nonzeros = values.reduce(0) { $1 != 0 ? $0 &+ 1 : $0 }
        return BlockFill(blockRows: blockRows, blockColumns: blockColumns, blockCount: blockCount,
                         entries: nonzeros, scalarBytes: MemoryLayout<Scalar>.stride)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        _checkElementIndex(row, column, rows, columns)
        let r = blockRows, c = blockColumns
        guard let b = pattern.position(major: row / r, minor: column / c) else { return 0 }
        return values[(b &* r &+ row % r) &* c &+ column % c]
    }

    /// Visits every element of every block as (block, row, column, value), padding optional.
    @inlinable
    func _forEachBlockElement<E: Error>(includePadding: Bool, _ body: (Int, Int, Int, Scalar) throws(E) -> Void)
        throws(E)
    {
        let r = blockRows, c = blockColumns
        try pattern.offsets.withUnsafeBufferPointer { (off) throws(E) in
            try pattern.indices.withUnsafeBufferPointer { (idx) throws(E) in
                try values.withUnsafeBufferPointer { (val) throws(E) in
                    for br in 0..<pattern.majorCount {
                        for b in Int(truncatingIfNeeded: off[br])..<Int(truncatingIfNeeded: off[br &+ 1]) {
                            let bc = Int(truncatingIfNeeded: idx[b])
                            for ii in 0..<r {
                                let i = br &* r &+ ii
                                if !includePadding && i >= rows { break }
                                for jj in 0..<c {
                                    let j = bc &* c &+ jj
                                    if !includePadding && j >= columns { break }
                                    try body(b, i, j, val[(b &* r &+ ii) &* c &+ jj])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inlinable
    public func forEachStoredEntry<E: Error>(_ body: (Int, Int, Scalar) throws(E) -> Void) throws(E) {
        try _forEachBlockElement(includePadding: false) { (_, i, j, v) throws(E) in try body(i, j, v) }
    }

    /// The same matrix without blocks whose values are all zero.
    @inlinable
    public func droppingZeroBlocks() -> BlockSparseMatrix {
        let rc = blockRows * blockColumns
        var keep = [Bool](repeating: false, count: blockCount)
        values.withUnsafeBufferPointer { val in
            for b in 0..<blockCount {
                for k in 0..<rc where val[b &* rc &+ k] != 0 { keep[b] = true; break }
            }
        }
        let kept = keep.reduce(0) { $1 ? $0 + 1 : $0 }
        if kept == blockCount { return self }
        var offsets = SparseBuffer<Index>(repeating: 0, count: blockRowCount + 1)
        var indices = SparseBuffer<Index>(repeating: 0, count: kept)
        var newValues = SparseBuffer<Scalar>(repeating: 0, count: kept * rc)
        var q = 0
        for br in 0..<blockRowCount {
            for b in pattern.range(ofSlice: br) where keep[b] {
                indices[q] = pattern.indices[b]
                for k in 0..<rc { newValues[q * rc + k] = values[b * rc + k] }
                q += 1
            }
            offsets[br + 1] = Index(truncatingIfNeeded: q)
        }
        return BlockSparseMatrix(
            uncheckedRows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
            pattern: CompressedPattern(uncheckedMajorCount: blockRowCount, minorCount: blockColumnCount,
                                       offsets: offsets, indices: indices),
            values: newValues)
    }

    /// The transpose, with c×r blocks (each block transposed).
    @inlinable
    public func transposed() -> BlockSparseMatrix {
        let r = blockRows, c = blockColumns
        var newPattern: CompressedPattern<Index>? = nil
        let newValues = SparseBuffer<Scalar>(unsafeUninitializedCount: values.count) { dst in
            values.withUnsafeBufferPointer { src in
                newPattern = pattern.transposed { to, from in
                    for ii in 0..<r {
                        for jj in 0..<c { dst[(to &* c &+ jj) &* r &+ ii] = src[(from &* r &+ ii) &* c &+ jj] }
                    }
                }
            }
        }
        return BlockSparseMatrix(uncheckedRows: columns, columns: rows, blockRows: c, blockColumns: r,
                                 pattern: newPattern!, values: newValues)
    }

    @inlinable
    public func blockSparse<I: SparseIndex>(blockRows r: Int, blockColumns c: Int, indexType: I.Type)
        throws(SparseError) -> BlockSparseMatrix<Scalar, I>
    {
        guard r == blockRows && c == blockColumns else {
            return try csr(indexType: I.self).blockSparse(blockRows: r, blockColumns: c, indexType: I.self)
        }
        if let same = self as? BlockSparseMatrix<Scalar, I> { return same }
        return BlockSparseMatrix<Scalar, I>(uncheckedRows: rows, columns: columns, blockRows: r, blockColumns: c,
                                            pattern: try pattern.converted(to: I.self), values: values)
    }

    /// CSR holding the non-zero values of the blocks.
    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        let r = blockRows, c = blockColumns
        // The shape first: its row counts are allocated next.
        try I.checkAddressable(rows: rows, columns: columns, entries: 0)
        var rowCounts = [Int](repeating: 0, count: rows + 1)
        forEachStoredEntry { i, _, v in if v != 0 { rowCounts[i &+ 1] &+= 1 } }
        for i in 0..<rows { rowCounts[i + 1] += rowCounts[i] }
        let nnz = rowCounts[rows]
        try I.checkAddressable(rows: rows, columns: columns, entries: nnz)
        var colOut = SparseBuffer<I>(repeating: 0, count: nnz)
        var valOut = SparseBuffer<Scalar>(repeating: 0, count: nnz)
        pattern.offsets.withUnsafeBufferPointer { off in
            pattern.indices.withUnsafeBufferPointer { idx in
                values.withUnsafeBufferPointer { val in
                    colOut.withUnsafeMutableBufferPointer { co in
                        valOut.withUnsafeMutableBufferPointer { vo in
                            // Blocks are sorted by block column, so each row's columns come out sorted.
                            for i in 0..<rows {
                                let br = i / r, ii = i % r
                                var q = rowCounts[i]
                                for b in Int(truncatingIfNeeded: off[br])..<Int(truncatingIfNeeded: off[br &+ 1]) {
                                    let j0 = Int(truncatingIfNeeded: idx[b]) &* c
                                    let base = (b &* r &+ ii) &* c
                                    for jj in 0..<Swift.min(c, columns &- j0) where val[base &+ jj] != 0 {
                                        co[q] = I(truncatingIfNeeded: j0 &+ jj)
                                        vo[q] = val[base &+ jj]
                                        q &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: SparseBuffer(rowCounts.lazy.map { I(truncatingIfNeeded: $0) }),
                         columnIndices: colOut, values: valOut)
    }

    /// Builds r×c blocks from CSR (used by ``CSRMatrix/blockSparseConversion(blockRows:blockColumns:indexType:)``).
    @inlinable
    init<J: SparseIndex>(_fromCSR a: CSRMatrix<Scalar, J>, blockRows r: Int, blockColumns c: Int) throws(SparseError) {
        guard r >= 1, c >= 1 else { throw .invalidBlockSize(rows: r, columns: c) }
        let rows = a.rows, columns = a.columns
        let nbr = _blockCount(rows, r), nbc = _blockCount(columns, c)
        let (blocks, blockOffsets) = _countBlocks(a, r, c)
        try Index.checkAddressable(rows: nbr, columns: nbc, entries: blocks)
        // The values of the blocks, r·c each: a block size whose blocks cannot be counted in bytes, or would
        // not fit in the machine's memory (a 2²⁹ × 2³⁰ block on a 1 × 1 matrix), is refused before allocating.
        let perBlock = r.multipliedReportingOverflow(by: c)
        let count = blocks.multipliedReportingOverflow(by: perBlock.partialValue)
        let bytes = count.partialValue.multipliedReportingOverflow(by: MemoryLayout<Scalar>.stride)
        if perBlock.overflow || count.overflow || bytes.overflow || bytes.partialValue > _physicalMemory {
            throw .invalidBlockSize(rows: r, columns: c)
        }
        var indices = SparseBuffer<Index>(repeating: 0, count: blocks)
        var values = SparseBuffer<Scalar>(repeating: 0, count: blocks * r * c)
        var slots = _BlockColumnSlots(a, r, c)
        a.pattern.offsets.withUnsafeBufferPointer { off in
            a.pattern.indices.withUnsafeBufferPointer { idx in
                a.values.withUnsafeBufferPointer { val in
                    indices.withUnsafeMutableBufferPointer { bidx in
                        values.withUnsafeMutableBufferPointer { bval in
                            for br in 0..<nbr {
                                _ = slots.collect(blockRow: br, off, idx, slots: true)
                                let base = blockOffsets[br]
                                for (k, bc) in slots.found.enumerated() { bidx[base &+ k] = Index(truncatingIfNeeded: bc) }
                                for i in (br &* r)..<Swift.min(rows, (br &+ 1) &* r) {
                                    let ii = i &- br &* r
                                    for p in Int(truncatingIfNeeded: off[i])..<Int(truncatingIfNeeded: off[i &+ 1]) {
                                        let j = Int(truncatingIfNeeded: idx[p])
                                        let b = base &+ slots.slot(of: j / c)
                                        bval[(b &* r &+ ii) &* c &+ j % c] = val[p]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.init(uncheckedRows: rows, columns: columns, blockRows: r, blockColumns: c,
                  pattern: CompressedPattern(uncheckedMajorCount: nbr, minorCount: nbc,
                                             offsets: SparseBuffer(blockOffsets.lazy.map { Index(truncatingIfNeeded: $0) }),
                                             indices: indices),
                  values: values)
    }
}

/// Counts the r×c blocks a CSR matrix touches, with the block-row offsets they would have.
@inlinable
func _countBlocks<Scalar, J: SparseIndex>(_ a: CSRMatrix<Scalar, J>, _ r: Int, _ c: Int)
    -> (count: Int, blockRowOffsets: [Int])
{
    let nbr = _blockCount(a.rows, r)
    var slots = _BlockColumnSlots(a, r, c)
    var offsets = [Int](repeating: 0, count: nbr + 1)
    var total = 0
    a.pattern.offsets.withUnsafeBufferPointer { off in
        a.pattern.indices.withUnsafeBufferPointer { idx in
            for br in 0..<nbr {
                total &+= slots.collect(blockRow: br, off, idx, slots: false)
                offsets[br &+ 1] = total
            }
        }
    }
    return (total, offsets)
}

/// The distinct block columns of one block row at a time, and the slot of each within it.
///
/// A marker per block column finds them in O(entries) when there are no more block columns than entries and
/// block rows (plus 4096); beyond that the marker array would dwarf the matrix (a 2 × 2·10⁹ CSR with a few
/// entries would need 16 GB), so the block row's block columns are sorted and looked up by binary search.
@usableFromInline
struct _BlockColumnSlots {
    @usableFromInline let r: Int, c: Int, rows: Int
    /// Per block column: its slot in the block row last collected with slots, or the stamp −2 − br of the
    /// block row `br` that last saw it (empty when sorting instead).
    @usableFromInline var marker: [Int]
    /// The distinct block columns of the block row last collected with slots, sorted.
    @usableFromInline var found: [Int] = []

    @inlinable
    init<Scalar, J: SparseIndex>(_ a: CSRMatrix<Scalar, J>, _ r: Int, _ c: Int) {
        self.r = r
        self.c = c
        rows = a.rows
        let nbc = _blockCount(a.columns, c)
        let useMarker = nbc <= _countingSortLimit(entries: a.storedCount, rows: _blockCount(a.rows, r))
        marker = useMarker ? [Int](repeating: -1, count: nbc) : []
    }

    /// Counts the distinct block columns of block row `br`; with `slots`, also lists them, sorted, in
    /// ``found`` for ``slot(of:)``.
    @inlinable
    mutating func collect<J: SparseIndex>(blockRow br: Int, _ off: UnsafeBufferPointer<J>,
                                          _ idx: UnsafeBufferPointer<J>, slots: Bool) -> Int {
        let rowStart = br &* r, rowEnd = Swift.min(rows, (br &+ 1) &* r)
        found.removeAll(keepingCapacity: true)
        if !marker.isEmpty {
            let stamp = -2 &- br, c = self.c
            var count = 0
            var list = [Int]()
            swap(&list, &found)
            marker.withUnsafeMutableBufferPointer { mark in
                for i in rowStart..<rowEnd {
                    for p in Int(truncatingIfNeeded: off[i])..<Int(truncatingIfNeeded: off[i &+ 1]) {
                        let bc = Int(truncatingIfNeeded: idx[p]) / c
                        if mark[bc] != stamp {
                            mark[bc] = stamp
                            count &+= 1
                            if slots { list.append(bc) }
                        }
                    }
                }
                if slots {
                    list.sort()
                    for (k, bc) in list.enumerated() { mark[bc] = k }
                }
            }
            swap(&list, &found)
            return count
        }
        for i in rowStart..<rowEnd {
            for p in Int(truncatingIfNeeded: off[i])..<Int(truncatingIfNeeded: off[i &+ 1]) {
                let bc = Int(truncatingIfNeeded: idx[p]) / c
                if found.last != bc { found.append(bc) }  // a row's block columns never decrease
            }
        }
        // Repeats across the block row's rows remain.
        found.sort()
        var unique = 0
        for k in found.indices where k == 0 || found[k] != found[k &- 1] {
            found[unique] = found[k]
            unique &+= 1
        }
        found.removeLast(found.count &- unique)
        return unique
    }

    /// The slot of block column `bc` within the block row last collected with slots.
    @inlinable
    func slot(of bc: Int) -> Int {
        if !marker.isEmpty { return marker[bc] }
        var low = 0, high = found.count
        while low < high {
            let mid = (low &+ high) >> 1
            if found[mid] < bc { low = mid &+ 1 } else { high = mid }
        }
        return low
    }
}

/// What storing a matrix in r×c blocks costs: how many values the blocks hold against the entries they
/// represent.
public struct BlockFill: Hashable, Sendable, CustomStringConvertible {
    /// Rows of one block.
    public var blockRows: Int
    /// Columns of one block.
    public var blockColumns: Int
    /// Stored blocks.
    public var blockCount: Int
    /// Entries the blocks represent: the stored entries of the source (for a conversion), or the non-zero
    /// values (for ``BlockSparseMatrix/fill``).
    public var entries: Int
    /// Bytes of one value.
    public var scalarBytes: Int

    /// Creates a fill report.
    public init(blockRows: Int, blockColumns: Int, blockCount: Int, entries: Int, scalarBytes: Int) {
        self.blockRows = blockRows
        self.blockColumns = blockColumns
        self.blockCount = blockCount
        self.entries = entries
        self.scalarBytes = scalarBytes
    }

    /// Values the blocks hold: `blockCount × r × c`.
    public var storedValues: Int { _product(blockCount, blockRows, blockColumns) }
    /// Explicit zeros the blocks store beyond the entries (padding of edge blocks included).
    public var fillValues: Int { storedValues - entries }
    /// Stored values per entry: 1.0 when every block is full, larger with fill (NaN with no entries).
    public var fillRatio: Double { entries == 0 ? .nan : Double(storedValues) / Double(entries) }
    /// Bytes spent on fill values.
    public var fillBytes: Int { _product(fillValues, scalarBytes) }

    public var description: String {
        "\(blockRows)×\(blockColumns) blocks: \(blockCount) blocks, \(storedValues) values for \(entries) entries, "
            + "fill ratio \(fillRatio.isNaN ? "–" : String(Double(Int((fillRatio * 1000).rounded())) / 1000)) "
            + "(\(fillValues) zeros, \(fillBytes) bytes)"
    }
}

extension BlockSparseMatrix where Index == Int32 {
    /// Validates and wraps the BSR arrays; `Int32` indices.
    @inlinable
    public init(rows: Int, columns: Int, blockRows r: Int, blockColumns c: Int, blockRowOffsets: [Index],
                blockColumnIndices: [Index], values: [Scalar]) throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, blockRows: r, blockColumns: c,
                      blockRowOffsets: SparseBuffer(blockRowOffsets),
                      blockColumnIndices: SparseBuffer(blockColumnIndices), values: SparseBuffer(values))
    }

    /// Converts any matrix to r×c blocks with `Int32` indices.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>, blockRows r: Int, blockColumns c: Int) throws(SparseError) {
        self = try source.blockSparse(blockRows: r, blockColumns: c, indexType: Int32.self)
    }
}

/// ⌈n / r⌉ for n ≥ 0, r ≥ 1, without overflow: the blocks of r rows (or columns) that cover n.
@inlinable @inline(__always)
func _blockCount(_ n: Int, _ r: Int) -> Int {
    n / r &+ (n % r == 0 ? 0 : 1)
}
