/// The order of a dense matrix's elements in memory.
public enum DenseLayout: Hashable, Sendable {
    /// Element (i, j) at `i × leadingDimension + j`.
    case rowMajor
    /// Element (i, j) at `j × leadingDimension + i` (the Fortran/BLAS column-major order).
    case columnMajor

    /// The other layout.
    @inlinable public var flipped: DenseLayout { self == .rowMajor ? .columnMajor : .rowMajor }
}

/// A dense matrix in one contiguous buffer, row-major by default, with a leading dimension.
///
/// The buffer holds `rows × leadingDimension` elements in row-major layout (`columns × leadingDimension` in
/// column-major; none when either dimension is 0), so the leading dimension may pad each row (column). ``transposed()`` is free: it reinterprets
/// the same buffer in the other layout. Equality compares elements, not layouts.
public struct DenseMatrix<Scalar: SparseScalar>: MatrixStorage {
    public let rows: Int
    public let columns: Int
    /// Row-major or column-major.
    public let layout: DenseLayout
    /// The distance in elements between the starts of consecutive rows (row-major) or columns (column-major).
    public let leadingDimension: Int
    /// The elements in memory order, padding included.
    public var elements: SparseBuffer<Scalar> { _elements }
    @usableFromInline var _elements: SparseBuffer<Scalar>

    /// A zero matrix.
    @inlinable
    public init(rows: Int, columns: Int, layout: DenseLayout = .rowMajor) {
        self.init(rows: rows, columns: columns, repeating: 0, layout: layout)
    }

    /// A matrix with every element equal to `value`.
    @inlinable
    public init(rows: Int, columns: Int, repeating value: Scalar, layout: DenseLayout = .rowMajor) {
        precondition(rows >= 0 && columns >= 0, "DenseMatrix: negative shape \(rows)×\(columns)")
        let ld = Swift.max(1, layout == .rowMajor ? columns : rows)
        self.init(uncheckedRows: rows, columns: columns, layout: layout, leadingDimension: ld,
                  elements: SparseBuffer(repeating: value,
                                         count: _denseStorageCount(rows, columns, layout, ld)))
    }

    /// A matrix whose element (i, j) is `element(i, j)`.
    @inlinable
    public init(rows: Int, columns: Int, layout: DenseLayout = .rowMajor, _ element: (Int, Int) throws -> Scalar) rethrows {
        self.init(rows: rows, columns: columns, layout: layout)
        let ld = leadingDimension
        try _elements.withUnsafeMutableBufferPointer { p in
            for i in 0..<rows {
                for j in 0..<columns {
                    p[layout == .rowMajor ? i &* ld &+ j : j &* ld &+ i] = try element(i, j)
                }
            }
        }
    }

    /// Wraps elements given in memory order, checking the shape, the leading dimension and the count.
    ///
    /// - Parameter leadingDimension: defaults to the row length (row-major) or column length (column-major);
    ///   must be at least that and at least 1.
    @inlinable
    public init(rows: Int, columns: Int, layout: DenseLayout = .rowMajor, leadingDimension: Int? = nil,
                elements: some Collection<Scalar>) throws(SparseError)
    {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        let minimum = Swift.max(1, layout == .rowMajor ? columns : rows)
        let ld = leadingDimension ?? minimum
        guard ld >= minimum else { throw .invalidLeadingDimension(leadingDimension: ld, minimum: minimum) }
        let major = layout == .rowMajor ? rows : columns
        let (count, overflow) = major.multipliedReportingOverflow(by: ld)
        guard !overflow || rows == 0 || columns == 0 else {
            throw .shapeTooLarge(rows: rows, columns: columns, indexType: "Int (its element count)")
        }
        let expected = rows == 0 || columns == 0 ? 0 : count
        guard elements.count == expected else {
            throw .lengthMismatch(array: "elements", expected: expected, actual: elements.count)
        }
        self.init(uncheckedRows: rows, columns: columns, layout: layout, leadingDimension: ld,
                  elements: SparseBuffer(elements))
    }

    /// Wraps a buffer without checking it. The caller guarantees `rows, columns ≥ 0`,
    /// `leadingDimension ≥ max(1, row length)` and `elements.count == major count × leadingDimension`
    /// (0 when either dimension is 0).
    @inlinable
    public init(uncheckedRows rows: Int, columns: Int, layout: DenseLayout, leadingDimension: Int,
                elements: SparseBuffer<Scalar>)
    {
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.leadingDimension = leadingDimension
        self._elements = elements
    }

    /// The offset of element (i, j) in ``elements``.
    @inlinable @inline(__always)
    public func offset(row: Int, column: Int) -> Int {
        layout == .rowMajor ? row &* leadingDimension &+ column : column &* leadingDimension &+ row
    }

    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get {
            _checkElementIndex(row, column, rows, columns)
            return elements[offset(row: row, column: column)]
        }
        set {
            _checkElementIndex(row, column, rows, columns)
            _elements[offset(row: row, column: column)] = newValue
        }
    }

    @inlinable public var format: StorageFormat { .dense }
    @inlinable public var storedCount: Int { rows * columns }
    @inlinable public static var storesExplicitZeros: Bool { false }

    @inlinable
    public var footprint: MemoryFootprint {
        MemoryFootprint(format: .dense, rows: rows, columns: columns, storedValues: elements.count,
                        scalarBytes: MemoryLayout<Scalar>.stride, valueBytes: elements.allocatedByteCount,
                        indexBytes: 0, offsetBytes: 0)
    }

    /// Calls `body` with a mutable pointer to ``elements`` (copying first if shared).
    @inlinable
    public mutating func withUnsafeMutableElements<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws(E) -> R
    ) throws(E) -> R {
        try _elements.withUnsafeMutableBufferPointer(body)
    }

    @inlinable
    public func forEachStoredEntry<E: Error>(_ body: (Int, Int, Scalar) throws(E) -> Void) throws(E) {
        let ld = leadingDimension
        if rows == 0 || columns == 0 { return }  // no pass over the rows of an n × 0 matrix
        try elements.withUnsafeBufferPointer { (p) throws(E) in
            if layout == .rowMajor {
                for i in 0..<rows { for j in 0..<columns { try body(i, j, p[i &* ld &+ j]) } }
            } else {
                for j in 0..<columns { for i in 0..<rows { try body(i, j, p[j &* ld &+ i]) } }
            }
        }
    }

    /// The transpose, sharing this matrix's buffer: a row-major matrix becomes a column-major one and back.
    @inlinable
    public func transposed() -> DenseMatrix {
        DenseMatrix(uncheckedRows: columns, columns: rows, layout: layout.flipped,
                    leadingDimension: leadingDimension, elements: elements)
    }

    /// A packed copy in `layout` (leading dimension = row or column length).
    @inlinable
    public func dense(layout newLayout: DenseLayout) -> DenseMatrix {
        let packed = Swift.max(1, layout == .rowMajor ? columns : rows)
        if newLayout == layout && leadingDimension == packed { return self }
        var out = DenseMatrix(rows: rows, columns: columns, layout: newLayout)
        if rows == 0 || columns == 0 { return out }  // no pass over the rows of an n × 0 matrix
        let ld = leadingDimension, nld = out.leadingDimension
        elements.withUnsafeBufferPointer { src in
            out._elements.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows {
                    for j in 0..<columns {
                        let s = layout == .rowMajor ? i &* ld &+ j : j &* ld &+ i
                        let d = newLayout == .rowMajor ? i &* nld &+ j : j &* nld &+ i
                        dst[d] = src[s]
                    }
                }
            }
        }
        return out
    }

    /// A CSR copy that stores the elements with `|v| > threshold` (all non-zero elements when `threshold` is
    /// nil). NaN is always stored; a NaN threshold is an ``SparseError/invalidArgument(name:reason:)`` error.
    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type, threshold: Scalar?) throws(SparseError) -> CSRMatrix<Scalar, I> {
        @inline(__always) func keep(_ v: Scalar) -> Bool {
            if let t = threshold { return !(Swift.abs(v) <= t) }
            return v != 0
        }
        if let t = threshold, t.isNaN { throw .invalidArgument(name: "threshold", reason: "is NaN") }
        try I.checkAddressable(rows: rows, columns: columns, entries: 0)
        let ld = leadingDimension, rowMajor = layout == .rowMajor
        let scanned = columns == 0 ? 0 : rows  // no pass over the rows of an n × 0 matrix
        return try elements.withUnsafeBufferPointer { (p) throws(SparseError) -> CSRMatrix<Scalar, I> in
            var nnz = 0
            for i in 0..<scanned {
                for j in 0..<columns where keep(p[rowMajor ? i &* ld &+ j : j &* ld &+ i]) { nnz &+= 1 }
            }
            try I.checkAddressable(rows: rows, columns: columns, entries: nnz)
            var offsets = SparseBuffer<I>(repeating: 0, count: rows + 1)
            var indices = SparseBuffer<I>(repeating: 0, count: nnz)
            var values = SparseBuffer<Scalar>(repeating: 0, count: nnz)
            offsets.withUnsafeMutableBufferPointer { off in
                indices.withUnsafeMutableBufferPointer { idx in
                    values.withUnsafeMutableBufferPointer { val in
                        var q = 0
                        for i in 0..<scanned {
                            for j in 0..<columns {
                                let v = p[rowMajor ? i &* ld &+ j : j &* ld &+ i]
                                if keep(v) {
                                    idx[q] = I(truncatingIfNeeded: j)
                                    val[q] = v
                                    q &+= 1
                                }
                            }
                            off[i &+ 1] = I(truncatingIfNeeded: q)
                        }
                    }
                }
            }
            return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices,
                             values: values)
        }
    }

    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        try csr(indexType: I.self, threshold: nil)
    }

    /// A CSR copy with `Int32` indices that stores the elements with `|v| > threshold`.
    @inlinable
    public func csr(threshold: Scalar?) throws(SparseError) -> CSRMatrix<Scalar, Int32> {
        try csr(indexType: Int32.self, threshold: threshold)
    }

    @inlinable
    public static func == (lhs: DenseMatrix, rhs: DenseMatrix) -> Bool {
        guard lhs.rows == rhs.rows, lhs.columns == rhs.columns else { return false }
        if lhs.rows == 0 || lhs.columns == 0 { return true }
        for i in 0..<lhs.rows {
            for j in 0..<lhs.columns where lhs[i, j] != rhs[i, j] { return false }
        }
        return true
    }
}

extension DenseMatrix: Equatable {}

extension DenseMatrix {
    /// A matrix from nested row arrays (all the same length), row-major.
    @inlinable
    public init(_ rowsOfElements: [[Scalar]]) throws(SparseError) {
        let r = rowsOfElements.count
        let c = rowsOfElements.first?.count ?? 0
        for (i, row) in rowsOfElements.enumerated() where row.count != c {
            throw .lengthMismatch(array: "row \(i)", expected: c, actual: row.count)
        }
        try self.init(rows: r, columns: c, elements: rowsOfElements.joined())
    }

    /// The elements as nested row arrays.
    @inlinable
    public var rowArrays: [[Scalar]] {
        (0..<rows).map { i in (0..<columns).map { j in self[i, j] } }
    }
}

/// Elements a dense buffer holds: major count × leading dimension, or 0 for an empty shape.
@inlinable @inline(__always)
func _denseStorageCount(_ rows: Int, _ columns: Int, _ layout: DenseLayout, _ ld: Int) -> Int {
    rows == 0 || columns == 0 ? 0 : (layout == .rowMajor ? rows : columns) * ld
}
