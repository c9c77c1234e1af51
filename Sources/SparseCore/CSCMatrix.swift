/// A compressed sparse column matrix: column offsets (`columns + 1`), row indices sorted within each column
/// with no duplicates, and one value per stored entry. The storage of the transpose of a CSR matrix, and the
/// format for transposed products.
public struct CSCMatrix<Scalar: SparseScalar, Index: SparseIndex>: MatrixStorage, Equatable {
    /// The column pattern: ``CompressedPattern/majorCount`` is `columns`, ``CompressedPattern/minorCount`` is `rows`.
    public let pattern: CompressedPattern<Index>
    /// One value per stored entry, column by column.
    public var values: SparseBuffer<Scalar> { _values }
    @usableFromInline var _values: SparseBuffer<Scalar>

    /// Validates and wraps the three CSC arrays.
    @inlinable
    public init(rows: Int, columns: Int, columnOffsets: SparseBuffer<Index>, rowIndices: SparseBuffer<Index>,
                values: SparseBuffer<Scalar>) throws(SparseError)
    {
        let pattern = try CompressedPattern(majorCount: columns, minorCount: rows, offsets: columnOffsets,
                                            indices: rowIndices, labels: .csc)
        guard values.count == pattern.storedCount else {
            throw .lengthMismatch(array: "values", expected: pattern.storedCount, actual: values.count)
        }
        self.init(uncheckedPattern: pattern, values: values)
    }

    /// Validates and wraps the three CSC arrays, given as Swift arrays (copied at exact size).
    @inlinable
    public init(rows: Int, columns: Int, columnOffsets: [Index], rowIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, columnOffsets: SparseBuffer(columnOffsets),
                      rowIndices: SparseBuffer(rowIndices), values: SparseBuffer(values))
    }

    /// Wraps the three CSC arrays without checking them. The caller guarantees the invariants of
    /// ``CompressedPattern`` and `values.count == rowIndices.count`.
    @inlinable
    public init(uncheckedRows rows: Int, columns: Int, columnOffsets: SparseBuffer<Index>,
                rowIndices: SparseBuffer<Index>, values: SparseBuffer<Scalar>)
    {
        self.init(uncheckedPattern: CompressedPattern(uncheckedMajorCount: columns, minorCount: rows,
                                                      offsets: columnOffsets, indices: rowIndices),
                  values: values)
    }

    /// Wraps a column pattern and values without checking that the value count matches.
    @inlinable
    public init(uncheckedPattern pattern: CompressedPattern<Index>, values: SparseBuffer<Scalar>) {
        self.pattern = pattern
        self._values = values
    }

    /// Converts any matrix to CSC.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.csc(indexType: Index.self)
    }

    @inlinable public var rows: Int { pattern.minorCount }
    @inlinable public var columns: Int { pattern.majorCount }
    /// `columns + 1` offsets into ``rowIndices`` and ``values``.
    @inlinable public var columnOffsets: SparseBuffer<Index> { pattern.offsets }
    /// The row of each stored entry.
    @inlinable public var rowIndices: SparseBuffer<Index> { pattern.indices }
    @inlinable public var format: StorageFormat { .csc }
    @inlinable public var storedCount: Int { pattern.storedCount }
    @inlinable public static var storesExplicitZeros: Bool { true }

    @inlinable
    public var footprint: MemoryFootprint {
        MemoryFootprint(format: .csc, rows: rows, columns: columns, storedValues: values.count,
                        scalarBytes: MemoryLayout<Scalar>.stride, valueBytes: values.allocatedByteCount,
                        indexBytes: pattern.indexBytes, offsetBytes: pattern.offsetBytes)
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        _checkElementIndex(row, column, rows, columns)
        guard let p = pattern.position(major: column, minor: row) else { return 0 }
        return values[p]
    }

    @inlinable
    public func forEachStoredEntry<E: Error>(_ body: (Int, Int, Scalar) throws(E) -> Void) throws(E) {
        try _forEachCompressedEntry(pattern, values) { (j, i, v) throws(E) in try body(i, j, v) }
    }

    /// The same matrix without its explicitly stored zeros.
    @inlinable
    public func droppingZeros() -> CSCMatrix {
        let (p, v) = _filterCompressed(pattern, values) { $0 != 0 }
        return CSCMatrix(uncheckedPattern: p, values: v)
    }

    /// Replaces every stored value by `transform(value)`, keeping the pattern.
    @inlinable
    public func mapValues<T: SparseScalar>(_ transform: (Scalar) throws -> T) rethrows -> CSCMatrix<T, Index> {
        CSCMatrix<T, Index>(uncheckedPattern: pattern, values: SparseBuffer(try values.map(transform)))
    }

    /// The transpose, as CSC.
    @inlinable
    public func transposed() -> CSCMatrix {
        let (p, v) = _transposeCompressed(pattern, values)
        return CSCMatrix(uncheckedPattern: p, values: v)
    }

    /// The transpose, as CSR over the same arrays (no copy).
    @inlinable
    public var transposedAsCSR: CSRMatrix<Scalar, Index> { CSRMatrix(uncheckedPattern: pattern, values: values) }

    @inlinable
    public func csc<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSCMatrix<Scalar, I> {
        if let same = self as? CSCMatrix<Scalar, I> { return same }
        // Checked here in rows, columns order (the pattern's major count is the column count).
        try I.checkAddressable(rows: rows, columns: columns, entries: storedCount)
        return CSCMatrix<Scalar, I>(uncheckedPattern: try pattern.converted(to: I.self), values: values)
    }

    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        try I.checkAddressable(rows: rows, columns: columns, entries: storedCount)
        let (p, v) = _transposeCompressed(try pattern.converted(to: I.self), values)
        return CSRMatrix(uncheckedPattern: p, values: v)
    }
}

extension CSRMatrix {
    /// The transpose, as CSC over the same arrays (no copy).
    @inlinable
    public var transposedAsCSC: CSCMatrix<Scalar, Index> { CSCMatrix(uncheckedPattern: pattern, values: values) }
}

extension CSCMatrix where Index == Int32 {
    /// Validates and wraps the three CSC arrays; `Int32` indices.
    @inlinable
    public init(rows: Int, columns: Int, columnOffsets: [Index], rowIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, columnOffsets: SparseBuffer(columnOffsets),
                      rowIndices: SparseBuffer(rowIndices), values: SparseBuffer(values))
    }

    /// Converts any matrix to CSC with `Int32` indices.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.csc(indexType: Int32.self)
    }
}
