/// A compressed sparse row matrix: row offsets (`rows + 1`), column indices sorted within each row with no
/// duplicates, and one value per stored entry.
///
/// Generic over the scalar and the index width (`Int32` unless you ask for `Int64`). Build one with the
/// checked initializer, by converting another format (`CSRMatrix(other)`, `dense.csr(threshold:)`), from a
/// ``COOMatrix`` (duplicates summed), or with a ``MatrixGenerator``.
public struct CSRMatrix<Scalar: SparseScalar, Index: SparseIndex>: MatrixStorage, Equatable {
    /// The row pattern: ``CompressedPattern/majorCount`` is `rows`, ``CompressedPattern/minorCount`` is `columns`.
    public let pattern: CompressedPattern<Index>
    /// One value per stored entry, row by row.
    public var values: SparseBuffer<Scalar> { _values }
    @usableFromInline var _values: SparseBuffer<Scalar>

    /// Validates and wraps the three CSR arrays.
    @inlinable
    public init(rows: Int, columns: Int, rowOffsets: SparseBuffer<Index>, columnIndices: SparseBuffer<Index>,
                values: SparseBuffer<Scalar>) throws(SparseError)
    {
        let pattern = try CompressedPattern(majorCount: rows, minorCount: columns, offsets: rowOffsets,
                                            indices: columnIndices, labels: .csr)
        guard values.count == pattern.storedCount else {
            throw .lengthMismatch(array: "values", expected: pattern.storedCount, actual: values.count)
        }
        self.init(uncheckedPattern: pattern, values: values)
    }

    /// Validates and wraps the three CSR arrays, given as Swift arrays (copied at exact size).
    @inlinable
    public init(rows: Int, columns: Int, rowOffsets: [Index], columnIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, rowOffsets: SparseBuffer(rowOffsets),
                      columnIndices: SparseBuffer(columnIndices), values: SparseBuffer(values))
    }

    /// Wraps the three CSR arrays without checking them. The caller guarantees the invariants of
    /// ``CompressedPattern`` and `values.count == columnIndices.count`; kernels trust them.
    @inlinable
    public init(uncheckedRows rows: Int, columns: Int, rowOffsets: SparseBuffer<Index>,
                columnIndices: SparseBuffer<Index>, values: SparseBuffer<Scalar>)
    {
        self.init(uncheckedPattern: CompressedPattern(uncheckedMajorCount: rows, minorCount: columns,
                                                      offsets: rowOffsets, indices: columnIndices),
                  values: values)
    }

    /// Wraps a pattern and values without checking that the value count matches.
    @inlinable
    public init(uncheckedPattern pattern: CompressedPattern<Index>, values: SparseBuffer<Scalar>) {
        self.pattern = pattern
        self._values = values
    }

    /// A validated pattern with its values.
    @inlinable
    public init(pattern: CompressedPattern<Index>, values: SparseBuffer<Scalar>) throws(SparseError) {
        guard values.count == pattern.storedCount else {
            throw .lengthMismatch(array: "values", expected: pattern.storedCount, actual: values.count)
        }
        self.init(uncheckedPattern: pattern, values: values)
    }

    /// A `rows × columns` matrix with no stored entries.
    @inlinable
    public init(zeroRows rows: Int, columns: Int) {
        self.init(uncheckedPattern: CompressedPattern(emptyMajorCount: rows, minorCount: columns),
                  values: SparseBuffer())
    }

    /// Converts any matrix to CSR (see ``MatrixStorage`` for the explicit-zero rule).
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.csr(indexType: Index.self)
    }

    @inlinable public var rows: Int { pattern.majorCount }
    @inlinable public var columns: Int { pattern.minorCount }
    /// `rows + 1` offsets into ``columnIndices`` and ``values``.
    @inlinable public var rowOffsets: SparseBuffer<Index> { pattern.offsets }
    /// The column of each stored entry.
    @inlinable public var columnIndices: SparseBuffer<Index> { pattern.indices }
    @inlinable public var format: StorageFormat { .csr }
    @inlinable public var storedCount: Int { pattern.storedCount }
    @inlinable public static var storesExplicitZeros: Bool { true }

    @inlinable
    public var footprint: MemoryFootprint {
        MemoryFootprint(format: .csr, rows: rows, columns: columns, storedValues: values.count,
                        scalarBytes: MemoryLayout<Scalar>.stride, valueBytes: values.allocatedByteCount,
                        indexBytes: pattern.indexBytes, offsetBytes: pattern.offsetBytes)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        _checkElementIndex(row, column, rows, columns)
        guard let p = pattern.position(major: row, minor: column) else { return 0 }
        return values[p]
    }

    @inlinable
    public func forEachStoredEntry<E: Error>(_ body: (Int, Int, Scalar) throws(E) -> Void) throws(E) {
        try _forEachCompressedEntry(pattern, values) { (i, j, v) throws(E) in try body(i, j, v) }
    }

    /// Replaces every stored value by `transform(value)`, keeping the pattern.
    @inlinable
    public func mapValues<T: SparseScalar>(_ transform: (Scalar) throws -> T) rethrows -> CSRMatrix<T, Index> {
        CSRMatrix<T, Index>(uncheckedPattern: pattern, values: SparseBuffer(try values.map(transform)))
    }

    /// Calls `body` with mutable access to the values (the pattern cannot change).
    @inlinable
    public mutating func withUnsafeMutableValues<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws(E) -> R
    ) throws(E) -> R {
        try _values.withUnsafeMutableBufferPointer(body)
    }

    /// The same matrix without its explicitly stored zeros.
    @inlinable
    public func droppingZeros() -> CSRMatrix {
        let (p, v) = _filterCompressed(pattern, values) { $0 != 0 }
        return CSRMatrix(uncheckedPattern: p, values: v)
    }

    /// The transpose, as CSR.
    @inlinable
    public func transposed() -> CSRMatrix {
        let (p, v) = _transposeCompressed(pattern, values)
        return CSRMatrix(uncheckedPattern: p, values: v)
    }

    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        if let same = self as? CSRMatrix<Scalar, I> { return same }
        return CSRMatrix<Scalar, I>(uncheckedPattern: try pattern.converted(to: I.self), values: values)
    }

    @inlinable
    public func csc<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSCMatrix<Scalar, I> {
        let (p, v) = _transposeCompressed(try pattern.converted(to: I.self), values)
        return CSCMatrix(uncheckedPattern: p, values: v)
    }

    @inlinable
    public func coo<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> COOMatrix<Scalar, I> {
        let p = try pattern.converted(to: I.self)
        let rowIndices = _expandOffsets(p.offsets, rows: rows)
        return COOMatrix(uncheckedRows: rows, columns: columns, rowIndices: rowIndices, columnIndices: p.indices,
                         values: values, isCanonical: true)
    }

    @inlinable
    public func blockSparse<I: SparseIndex>(blockRows: Int, blockColumns: Int, indexType: I.Type) throws(SparseError)
        -> BlockSparseMatrix<Scalar, I>
    {
        try blockSparseConversion(blockRows: blockRows, blockColumns: blockColumns, indexType: I.self).matrix
    }

    /// Converts to block-sparse with r×c blocks and reports the fill: the zeros the blocks had to store and
    /// their cost in bytes.
    @inlinable
    public func blockSparseConversion<I: SparseIndex>(blockRows r: Int, blockColumns c: Int, indexType: I.Type)
        throws(SparseError) -> (matrix: BlockSparseMatrix<Scalar, I>, fill: BlockFill)
    {
        let m = try BlockSparseMatrix<Scalar, I>(_fromCSR: self, blockRows: r, blockColumns: c)
        let fill = BlockFill(blockRows: r, blockColumns: c, blockCount: m.blockCount, entries: storedCount,
                             scalarBytes: MemoryLayout<Scalar>.stride)
        return (m, fill)
    }

    /// ``blockSparseConversion(blockRows:blockColumns:indexType:)`` with `Int32` indices.
    @inlinable
    public func blockSparseConversion(blockRows r: Int, blockColumns c: Int)
        throws(SparseError) -> (matrix: BlockSparseMatrix<Scalar, Int32>, fill: BlockFill)
    {
        try blockSparseConversion(blockRows: r, blockColumns: c, indexType: Int32.self)
    }

    /// The fill r×c blocks would need, counted without building the block-sparse matrix.
    @inlinable
    public func blockFill(blockRows r: Int, blockColumns c: Int) throws(SparseError) -> BlockFill {
        guard r >= 1, c >= 1 else { throw .invalidBlockSize(rows: r, columns: c) }
        let blocks = _countBlocks(self, r, c).count
        return BlockFill(blockRows: r, blockColumns: c, blockCount: blocks, entries: storedCount,
                         scalarBytes: MemoryLayout<Scalar>.stride)
    }
}

extension CSRMatrix where Index == Int32 {
    /// Validates and wraps the three CSR arrays; `Int32` indices.
    @inlinable
    public init(rows: Int, columns: Int, rowOffsets: [Index], columnIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, rowOffsets: SparseBuffer(rowOffsets),
                      columnIndices: SparseBuffer(columnIndices), values: SparseBuffer(values))
    }

    /// Converts any matrix to CSR with `Int32` indices.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.csr(indexType: Int32.self)
    }
}

// MARK: - Shared compressed-format helpers

/// Visits the entries of a compressed pattern with values, as (major, minor, value).
@inlinable
func _forEachCompressedEntry<Scalar, Index: SparseIndex, E: Error>(
    _ pattern: CompressedPattern<Index>, _ values: SparseBuffer<Scalar>,
    _ body: (Int, Int, Scalar) throws(E) -> Void
) throws(E) {
    try pattern.offsets.withUnsafeBufferPointer { (off) throws(E) in
        try pattern.indices.withUnsafeBufferPointer { (idx) throws(E) in
            try values.withUnsafeBufferPointer { (val) throws(E) in
                for m in 0..<pattern.majorCount {
                    for p in Int(truncatingIfNeeded: off[m])..<Int(truncatingIfNeeded: off[m &+ 1]) {
                        try body(m, Int(truncatingIfNeeded: idx[p]), val[p])
                    }
                }
            }
        }
    }
}

/// Transposes a compressed pattern and permutes its values alongside.
@inlinable
func _transposeCompressed<Scalar: BitwiseCopyable, Index: SparseIndex>(
    _ pattern: CompressedPattern<Index>, _ values: SparseBuffer<Scalar>
) -> (CompressedPattern<Index>, SparseBuffer<Scalar>) {
    var newPattern: CompressedPattern<Index>? = nil
    let newValues = SparseBuffer<Scalar>(unsafeUninitializedCount: values.count) { dst in
        values.withUnsafeBufferPointer { src in
            newPattern = pattern.transposed { to, from in dst[to] = src[from] }
        }
    }
    return (newPattern!, newValues)
}

/// Keeps the entries whose value satisfies `keep`, at exact size.
@inlinable
func _filterCompressed<Scalar: BitwiseCopyable, Index: SparseIndex>(
    _ pattern: CompressedPattern<Index>, _ values: SparseBuffer<Scalar>, _ keep: (Scalar) -> Bool
) -> (CompressedPattern<Index>, SparseBuffer<Scalar>) {
    let kept = values.reduce(0) { keep($1) ? $0 &+ 1 : $0 }
    if kept == values.count { return (pattern, values) }
    var offsets = SparseBuffer<Index>(repeating: 0, count: pattern.majorCount + 1)
    var indices = SparseBuffer<Index>(repeating: 0, count: kept)
    var newValues = SparseBuffer<Scalar>(unsafeUninitializedCount: kept) { _ in }
    pattern.offsets.withUnsafeBufferPointer { off in
        pattern.indices.withUnsafeBufferPointer { idx in
            values.withUnsafeBufferPointer { val in
                offsets.withUnsafeMutableBufferPointer { noff in
                    indices.withUnsafeMutableBufferPointer { nidx in
                        newValues.withUnsafeMutableBufferPointer { nval in
                            var q = 0
                            for m in 0..<pattern.majorCount {
                                for p in Int(truncatingIfNeeded: off[m])..<Int(truncatingIfNeeded: off[m &+ 1])
                                where keep(val[p]) {
                                    nidx[q] = idx[p]
                                    nval[q] = val[p]
                                    q &+= 1
                                }
                                noff[m &+ 1] = Index(truncatingIfNeeded: q)
                            }
                        }
                    }
                }
            }
        }
    }
    return (CompressedPattern(uncheckedMajorCount: pattern.majorCount, minorCount: pattern.minorCount,
                              offsets: offsets, indices: indices), newValues)
}

/// The row index of every entry of a compressed pattern, from its offsets (the COO row array of CSR).
@inlinable
func _expandOffsets<I: SparseIndex>(_ offsets: SparseBuffer<I>, rows: Int) -> SparseBuffer<I> {
    let count = rows == 0 ? 0 : Int(truncatingIfNeeded: offsets[rows])
    return SparseBuffer<I>(unsafeUninitializedCount: count) { dst in
        offsets.withUnsafeBufferPointer { off in
            for i in 0..<rows {
                for q in Int(truncatingIfNeeded: off[i])..<Int(truncatingIfNeeded: off[i &+ 1]) {
                    dst[q] = I(truncatingIfNeeded: i)
                }
            }
        }
    }
}
