/// A coordinate (triplet) matrix: parallel arrays of row indices, column indices and values.
///
/// The builder and exchange format. Entries may come in any order and may repeat a position; a repeated
/// position means the sum of its values (as in MatrixMarket files and SciPy's `coo_matrix`). Converting to
/// CSR, CSC or dense, and ``canonicalized()``, sum duplicates in their original order. ``isCanonical`` says
/// whether the entries are already sorted by row, then column, with no duplicates.
public struct COOMatrix<Scalar: SparseScalar, Index: SparseIndex>: MatrixStorage, Equatable {
    public let rows: Int
    public let columns: Int
    /// The row of each entry.
    public let rowIndices: SparseBuffer<Index>
    /// The column of each entry.
    public let columnIndices: SparseBuffer<Index>
    /// The value of each entry.
    public var values: SparseBuffer<Scalar> { _values }
    @usableFromInline var _values: SparseBuffer<Scalar>
    /// Whether the entries are sorted row-major with no repeated position.
    public let isCanonical: Bool

    /// Validates and wraps the three arrays: equal lengths, every index inside the shape, shape and count
    /// addressable by `Index`. Duplicates are allowed.
    @inlinable
    public init(rows: Int, columns: Int, rowIndices: SparseBuffer<Index>, columnIndices: SparseBuffer<Index>,
                values: SparseBuffer<Scalar>) throws(SparseError)
    {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        let n = values.count
        try Index.checkAddressable(rows: rows, columns: columns, entries: n)
        guard rowIndices.count == n else { throw .lengthMismatch(array: "rowIndices", expected: n, actual: rowIndices.count) }
        guard columnIndices.count == n else {
            throw .lengthMismatch(array: "columnIndices", expected: n, actual: columnIndices.count)
        }
        let canonical = try rowIndices.withUnsafeBufferPointer { (ri) throws(SparseError) -> Bool in
            try columnIndices.withUnsafeBufferPointer { (ci) throws(SparseError) -> Bool in
                var canonical = true
                var lastRow = -1, lastColumn = -1
                for p in 0..<n {
                    let i = Int(truncatingIfNeeded: ri[p]), j = Int(truncatingIfNeeded: ci[p])
                    guard i >= 0 && i < rows else {
                        throw .indexOutOfRange(array: "rowIndices", position: p, index: i, bound: rows)
                    }
                    guard j >= 0 && j < columns else {
                        throw .indexOutOfRange(array: "columnIndices", position: p, index: j, bound: columns)
                    }
                    if canonical && !(i > lastRow || (i == lastRow && j > lastColumn)) { canonical = false }
                    lastRow = i
                    lastColumn = j
                }
                return canonical
            }
        }
        self.init(uncheckedRows: rows, columns: columns, rowIndices: rowIndices, columnIndices: columnIndices,
                  values: values, isCanonical: canonical)
    }

    /// Validates and wraps the three arrays, given as Swift arrays (copied at exact size).
    @inlinable
    public init(rows: Int, columns: Int, rowIndices: [Index], columnIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, rowIndices: SparseBuffer(rowIndices),
                      columnIndices: SparseBuffer(columnIndices), values: SparseBuffer(values))
    }

    /// Builds a matrix from (row, column, value) triplets, checking every index.
    @inlinable
    public init(rows: Int, columns: Int, entries: [(row: Int, column: Int, value: Scalar)]) throws(SparseError) {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        try Index.checkAddressable(rows: rows, columns: columns, entries: entries.count)
        for (p, e) in entries.enumerated() {
            guard e.row >= 0 && e.row < rows else {
                throw .indexOutOfRange(array: "rowIndices", position: p, index: e.row, bound: rows)
            }
            guard e.column >= 0 && e.column < columns else {
                throw .indexOutOfRange(array: "columnIndices", position: p, index: e.column, bound: columns)
            }
        }
        try self.init(rows: rows, columns: columns,
                      rowIndices: SparseBuffer(entries.lazy.map { Index(truncatingIfNeeded: $0.row) }),
                      columnIndices: SparseBuffer(entries.lazy.map { Index(truncatingIfNeeded: $0.column) }),
                      values: SparseBuffer(entries.lazy.map(\.value)))
    }

    /// Wraps the three arrays without checking them. The caller guarantees equal lengths and indices inside
    /// the shape, and passes `isCanonical: true` only for entries sorted row-major without repeats.
    @inlinable
    public init(uncheckedRows rows: Int, columns: Int, rowIndices: SparseBuffer<Index>,
                columnIndices: SparseBuffer<Index>, values: SparseBuffer<Scalar>, isCanonical: Bool = false)
    {
        self.rows = rows
        self.columns = columns
        self.rowIndices = rowIndices
        self.columnIndices = columnIndices
        self._values = values
        self.isCanonical = isCanonical
    }

    /// Converts any matrix to COO.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.coo(indexType: Index.self)
    }

    @inlinable public var format: StorageFormat { .coo }
    @inlinable public var storedCount: Int { values.count }
    @inlinable public static var storesExplicitZeros: Bool { true }

    @inlinable
    public var footprint: MemoryFootprint {
        MemoryFootprint(format: .coo, rows: rows, columns: columns, storedValues: values.count,
                        scalarBytes: MemoryLayout<Scalar>.stride, valueBytes: values.allocatedByteCount,
                        indexBytes: rowIndices.allocatedByteCount + columnIndices.allocatedByteCount,
                        offsetBytes: 0)
    }

    /// The element at (row, column): the sum of the entries stored there. Binary search when canonical,
    /// a scan otherwise.
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        _checkElementIndex(row, column, rows, columns)
        let r = Index(truncatingIfNeeded: row), c = Index(truncatingIfNeeded: column)
        return rowIndices.withUnsafeBufferPointer { ri in
            columnIndices.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { val in
                    if isCanonical {
                        var lo = 0, hi = val.count
                        while lo < hi {
                            let mid = (lo &+ hi) >> 1
                            if ri[mid] < r || (ri[mid] == r && ci[mid] < c) { lo = mid &+ 1 } else { hi = mid }
                        }
                        return lo < val.count && ri[lo] == r && ci[lo] == c ? val[lo] : 0
                    }
                    // Summed from the first duplicate, as the conversions sum them (so a stored −0.0 stays −0.0).
                    var sum: Scalar.Arithmetic? = nil
                    for p in 0..<val.count where ri[p] == r && ci[p] == c {
                        sum = sum.map { $0 + val[p].arithmetic } ?? val[p].arithmetic
                    }
                    return sum.map { Scalar(arithmetic: $0) } ?? 0
                }
            }
        }
    }

    @inlinable
    public func forEachStoredEntry<E: Error>(_ body: (Int, Int, Scalar) throws(E) -> Void) throws(E) {
        try rowIndices.withUnsafeBufferPointer { (ri) throws(E) in
            try columnIndices.withUnsafeBufferPointer { (ci) throws(E) in
                try values.withUnsafeBufferPointer { (val) throws(E) in
                    for p in 0..<val.count {
                        try body(Int(truncatingIfNeeded: ri[p]), Int(truncatingIfNeeded: ci[p]), val[p])
                    }
                }
            }
        }
    }

    /// The same entries with duplicates summed and sorted by row, then column.
    @inlinable
    public func canonicalized() -> COOMatrix {
        if isCanonical { return self }
        let compressed = _compressRows(indexType: Index.self)
        return COOMatrix(uncheckedRows: rows, columns: columns,
                         rowIndices: _expandOffsets(compressed.rowOffsets, rows: rows),
                         columnIndices: compressed.columnIndices, values: compressed.values, isCanonical: true)
    }

    /// The same matrix without entries whose value is zero (duplicates are not summed first).
    @inlinable
    public func droppingZeros() -> COOMatrix {
        var keep = [Int]()
        values.withUnsafeBufferPointer { val in
            for p in 0..<val.count where val[p] != 0 { keep.append(p) }
        }
        if keep.count == values.count { return self }
        return COOMatrix(uncheckedRows: rows, columns: columns,
                         rowIndices: SparseBuffer(keep.lazy.map { rowIndices[$0] }),
                         columnIndices: SparseBuffer(keep.lazy.map { columnIndices[$0] }),
                         values: SparseBuffer(keep.lazy.map { values[$0] }), isCanonical: isCanonical)
    }

    /// The transpose: rows and columns swapped (no longer canonical unless it has at most one entry).
    @inlinable
    public func transposed() -> COOMatrix {
        COOMatrix(uncheckedRows: columns, columns: rows, rowIndices: columnIndices, columnIndices: rowIndices,
                  values: values, isCanonical: values.count <= 1)
    }

    @inlinable
    public func coo<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> COOMatrix<Scalar, I> {
        if let same = self as? COOMatrix<Scalar, I> { return same }
        try I.checkAddressable(rows: rows, columns: columns, entries: storedCount)
        return COOMatrix<Scalar, I>(uncheckedRows: rows, columns: columns,
                                    rowIndices: _convertIndices(rowIndices, to: I.self),
                                    columnIndices: _convertIndices(columnIndices, to: I.self),
                                    values: values, isCanonical: isCanonical)
    }

    /// A dense copy; duplicates are summed.
    @inlinable
    public func dense(layout: DenseLayout) -> DenseMatrix<Scalar> {
        if isCanonical {
            var d = DenseMatrix<Scalar>(rows: rows, columns: columns, layout: layout)
            forEachStoredEntry { i, j, v in d[i, j] = v }
            return d
        }
        return _compressRows(indexType: Index.self).dense(layout: layout)
    }

    /// CSR with duplicates summed (in the order they appear) and columns sorted within each row.
    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        try I.checkAddressable(rows: rows, columns: columns, entries: storedCount)
        let n = storedCount
        if isCanonical {
            let offsets = SparseBuffer<I>(unsafeUninitializedCount: rows + 1) { off in
                off.initialize(repeating: 0)
                rowIndices.withUnsafeBufferPointer { ri in
                    for p in 0..<n { off[Int(truncatingIfNeeded: ri[p]) &+ 1] &+= 1 }
                }
                for i in 0..<rows { off[i &+ 1] &+= off[i] }
            }
            return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: offsets,
                             columnIndices: _convertIndices(columnIndices, to: I.self), values: values)
        }
        return _compressRows(indexType: I.self)
    }

    /// CSC with duplicates summed (in the order they appear) and rows sorted within each column: the CSR of
    /// the transpose, so the scratch grows with the columns and entries, not with the rows.
    @inlinable
    public func csc<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSCMatrix<Scalar, I> {
        try I.checkAddressable(rows: rows, columns: columns, entries: storedCount)
        let t = transposed()._compressRows(indexType: I.self)
        return CSCMatrix(uncheckedPattern: t.pattern, values: t.values)
    }

    /// Sorts the entries into rows with stable counting sorts — by column first, unless the entries are
    /// already in column order (as in most MatrixMarket files), then by row — so that columns are sorted
    /// within each row and duplicates sit together in their original order; then sums the duplicates.
    /// When the columns far outnumber the entries and rows, the first sort compares instead of counting, so
    /// the scratch stays proportional to the matrix (a 2 × 2·10⁹ COO with a few entries needs no 16 GB).
    @inlinable
    func _compressRows<I: SparseIndex>(indexType: I.Type) -> CSRMatrix<Scalar, I> {
        let n = storedCount, rows = self.rows, columns = self.columns
        let rowStart = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows + 1)
        defer { rowStart.deallocate() }
        var sortedColumns = SparseBuffer<I>(unsafeUninitializedCount: n) { _ in }
        var sortedValues = SparseBuffer<Scalar>(unsafeUninitializedCount: n) { _ in }
        rowIndices.withUnsafeBufferPointer { ri in
            columnIndices.withUnsafeBufferPointer { ci in
                values.withUnsafeBufferPointer { val in
                    // The order to visit entries in: by column (stable), or as stored if already so.
                    var columnSorted = true
                    for p in 1..<Swift.max(n, 1) where ci[p] < ci[p &- 1] { columnSorted = false; break }
                    var byColumn: UnsafeMutableBufferPointer<Int>? = nil
                    defer { byColumn?.deallocate() }
                    if !columnSorted {
                        var perm = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
                        if columns <= _countingSortLimit(entries: n, rows: rows) {
                            let next = UnsafeMutableBufferPointer<Int>.allocate(capacity: columns + 1)
                            defer { next.deallocate() }
                            next.initialize(repeating: 0)
                            for p in 0..<n { next[Int(truncatingIfNeeded: ci[p]) &+ 1] &+= 1 }
                            for j in 0..<columns { next[j &+ 1] &+= next[j] }
                            for p in 0..<n {
                                let j = Int(truncatingIfNeeded: ci[p])
                                perm[next[j]] = p
                                next[j] &+= 1
                            }
                        } else {
                            // Far more columns than entries: a count per column would dwarf the matrix, so
                            // sort the positions by (column, position), which is as stable.
                            for p in 0..<n { perm[p] = p }
                            perm.sort { a, b in ci[a] != ci[b] ? ci[a] < ci[b] : a < b }
                        }
                        byColumn = perm
                    }
                    // Stable counting sort by row, moving columns and values into row order.
                    rowStart.initialize(repeating: 0)
                    for p in 0..<n { rowStart[Int(truncatingIfNeeded: ri[p]) &+ 1] &+= 1 }
                    for i in 0..<rows { rowStart[i &+ 1] &+= rowStart[i] }
                    let fill = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(rows, 1))
                    defer { fill.deallocate() }
                    for i in 0..<rows { fill[i] = rowStart[i] }
                    sortedColumns.withUnsafeMutableBufferPointer { sc in
                        sortedValues.withUnsafeMutableBufferPointer { sv in
                            for q in 0..<n {
                                let p = byColumn?[q] ?? q
                                let i = Int(truncatingIfNeeded: ri[p])
                                let d = fill[i]
                                fill[i] = d &+ 1
                                sc[d] = I(truncatingIfNeeded: ci[p])
                                sv[d] = val[p]
                            }
                        }
                    }
                }
            }
        }
        // Sum duplicates (adjacent within a row) in place; when there are none the buffers are already exact.
        var unique = 0
        var offsets = SparseBuffer<I>(repeating: 0, count: rows + 1)
        sortedColumns.withUnsafeMutableBufferPointer { sc in
            sortedValues.withUnsafeMutableBufferPointer { sv in
                offsets.withUnsafeMutableBufferPointer { off in
                    for i in 0..<rows {
                        let start = rowStart[i], end = rowStart[i &+ 1]
                        var q = start
                        while q < end {
                            let j = sc[q]
                            var acc = sv[q].arithmetic
                            var r = q &+ 1
                            var repeated = false
                            while r < end && sc[r] == j { acc += sv[r].arithmetic; r &+= 1; repeated = true }
                            sc[unique] = j
                            sv[unique] = repeated ? Scalar(arithmetic: acc) : sv[q]
                            unique &+= 1
                            q = r
                        }
                        off[i &+ 1] = I(truncatingIfNeeded: unique)
                    }
                }
            }
        }
        if unique < n {
            sortedColumns = SparseBuffer(sortedColumns.prefix(unique))
            sortedValues = SparseBuffer(sortedValues.prefix(unique))
        }
        return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: offsets, columnIndices: sortedColumns,
                         values: sortedValues)
    }
}

extension COOMatrix where Index == Int32 {
    /// Validates and wraps the three arrays; `Int32` indices.
    @inlinable
    public init(rows: Int, columns: Int, rowIndices: [Index], columnIndices: [Index], values: [Scalar])
        throws(SparseError)
    {
        try self.init(rows: rows, columns: columns, rowIndices: SparseBuffer(rowIndices),
                      columnIndices: SparseBuffer(columnIndices), values: SparseBuffer(values))
    }

    /// Builds a matrix from (row, column, value) triplets with `Int32` indices, checking every index.
    @inlinable
    public init(rows: Int, columns: Int, entries: [(row: Int, column: Int, value: Scalar)]) throws(SparseError) {
        let m = try COOMatrix<Scalar, Int64>(rows: rows, columns: columns, entries: entries)
        self = try m.coo(indexType: Int32.self)
    }

    /// Converts any matrix to COO with `Int32` indices.
    @inlinable
    public init(_ source: some MatrixStorage<Scalar>) throws(SparseError) {
        self = try source.coo(indexType: Int32.self)
    }
}

/// The largest minor count for which a conversion counts per minor index (an `Int` each) rather than sorting:
/// scratch no larger than the entries and rows it converts, plus 4096 so that small matrices always count.
@inlinable
func _countingSortLimit(entries: Int, rows: Int) -> Int { entries &+ rows &+ 4096 }
