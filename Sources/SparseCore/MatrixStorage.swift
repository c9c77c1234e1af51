/// The storage protocol every matrix format shares: dense, COO, CSR, CSC and block-sparse.
///
/// A conforming type knows its shape, how many values it holds, how to read one element, how to visit its
/// stored entries, how many bytes it holds, how to transpose itself, and how to convert to every other
/// format. Conversions are requirements with default implementations, so a format's own faster conversion
/// is used even through a generic `some MatrixStorage`.
///
/// ## Explicit zeros
/// COO, CSR and CSC can store a zero as an entry, and conversions between them keep it (drop it with
/// `droppingZeros()`). Dense and block-sparse matrices store zeros as layout (every element, or the fill of a
/// block), so conversions *from* them store only the non-zero values. NaN is not zero and is always kept.
public protocol MatrixStorage<Scalar>: Sendable {
    /// The stored element type.
    associatedtype Scalar: SparseScalar

    /// Number of rows.
    var rows: Int { get }
    /// Number of columns.
    var columns: Int { get }
    /// The format, with its block size for block-sparse matrices.
    var format: StorageFormat { get }
    /// Values held in storage: `rows × columns` for dense, stored entries for COO, CSR and CSC (explicit
    /// zeros and, for COO, duplicates included), `blocks × r × c` for block-sparse.
    var storedCount: Int { get }
    /// Whether a stored zero is an entry (COO, CSR, CSC) rather than layout (dense, block-sparse).
    static var storesExplicitZeros: Bool { get }

    /// The element at (`row`, `column`); zero where nothing is stored. Traps on an index outside the shape.
    subscript(row: Int, column: Int) -> Scalar { get }

    /// Calls `body` once per stored value that lies inside the matrix, with its row, column and value: every
    /// element of a dense matrix, every entry of COO/CSR/CSC (COO duplicates separately), every in-bounds
    /// element of every block of a block-sparse matrix. The order is the format's storage order.
    func forEachStoredEntry<E: Error>(_ body: (_ row: Int, _ column: Int, _ value: Scalar) throws(E) -> Void) throws(E)

    /// The exact bytes this matrix holds, by part.
    var footprint: MemoryFootprint { get }

    /// The transpose, in the same format (block-sparse: with c×r blocks).
    func transposed() -> Self

    /// A dense copy in the given layout.
    func dense(layout: DenseLayout) -> DenseMatrix<Scalar>
    /// A COO copy with the given index type (canonical when the source order allows).
    func coo<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> COOMatrix<Scalar, I>
    /// A CSR copy with the given index type.
    func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I>
    /// A CSC copy with the given index type.
    func csc<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSCMatrix<Scalar, I>
    /// A block-sparse copy with r×c blocks and the given index type. Use
    /// ``CSRMatrix/blockSparseConversion(blockRows:blockColumns:indexType:)`` to learn the fill as well.
    func blockSparse<I: SparseIndex>(blockRows: Int, blockColumns: Int, indexType: I.Type) throws(SparseError)
        -> BlockSparseMatrix<Scalar, I>
}

// MARK: - Default conversions

extension MatrixStorage {
    @inlinable
    public func coo<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> COOMatrix<Scalar, I> {
        try csr(indexType: I.self).coo(indexType: I.self)
    }

    @inlinable
    public func csr<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSRMatrix<Scalar, I> {
        // Gather the entries into COO order, then let COO sort and compress them.
        let keepZeros = Self.storesExplicitZeros
        var n = 0
        forEachStoredEntry { _, _, v in if keepZeros || v != 0 { n &+= 1 } }
        try I.checkAddressable(rows: rows, columns: columns, entries: n)
        var r = [I](), c = [I](), v = [Scalar]()
        r.reserveCapacity(n); c.reserveCapacity(n); v.reserveCapacity(n)
        forEachStoredEntry { i, j, x in
            if keepZeros || x != 0 {
                r.append(I(truncatingIfNeeded: i)); c.append(I(truncatingIfNeeded: j)); v.append(x)
            }
        }
        let coo = COOMatrix(
            uncheckedRows: rows, columns: columns, rowIndices: SparseBuffer(r), columnIndices: SparseBuffer(c),
            values: SparseBuffer(v))
        return try coo.csr(indexType: I.self)
    }

    @inlinable
    public func csc<I: SparseIndex>(indexType: I.Type) throws(SparseError) -> CSCMatrix<Scalar, I> {
        try csr(indexType: I.self).csc(indexType: I.self)
    }

    @inlinable
    public func blockSparse<I: SparseIndex>(blockRows: Int, blockColumns: Int, indexType: I.Type) throws(SparseError)
        -> BlockSparseMatrix<Scalar, I>
    {
        try csr(indexType: I.self).blockSparse(blockRows: blockRows, blockColumns: blockColumns, indexType: I.self)
    }

    @inlinable
    public func dense(layout: DenseLayout) -> DenseMatrix<Scalar> {
        var d = DenseMatrix<Scalar>(rows: rows, columns: columns, layout: layout)
        let ld = d.leadingDimension
        d.withUnsafeMutableElements { p in
            forEachStoredEntry { i, j, v in
                p[layout == .rowMajor ? i &* ld &+ j : j &* ld &+ i] = v
            }
        }
        return d
    }
}

// MARK: - Conveniences with the default index type (Int32)

extension MatrixStorage {
    /// The shape as a pair.
    @inlinable public var shape: (rows: Int, columns: Int) { (rows, columns) }

    /// A row-major dense copy.
    @inlinable public func dense() -> DenseMatrix<Scalar> { dense(layout: .rowMajor) }
    /// A COO copy with `Int32` indices.
    @inlinable public func coo() throws(SparseError) -> COOMatrix<Scalar, Int32> { try coo(indexType: Int32.self) }
    /// A CSR copy with `Int32` indices.
    @inlinable public func csr() throws(SparseError) -> CSRMatrix<Scalar, Int32> { try csr(indexType: Int32.self) }
    /// A CSC copy with `Int32` indices.
    @inlinable public func csc() throws(SparseError) -> CSCMatrix<Scalar, Int32> { try csc(indexType: Int32.self) }
    /// A block-sparse copy with r×c blocks and `Int32` indices.
    @inlinable
    public func blockSparse(blockRows: Int, blockColumns: Int) throws(SparseError) -> BlockSparseMatrix<Scalar, Int32> {
        try blockSparse(blockRows: blockRows, blockColumns: blockColumns, indexType: Int32.self)
    }

    /// Whether `other` holds the same values at every position (formats and explicit zeros aside).
    @inlinable
    public func hasSameElements(as other: some MatrixStorage<Scalar>) -> Bool {
        guard rows == other.rows, columns == other.columns else { return false }
        return dense(layout: .rowMajor) == other.dense(layout: .rowMajor)
    }
}

@inlinable @inline(__always)
func _checkElementIndex(_ row: Int, _ column: Int, _ rows: Int, _ columns: Int) {
    precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                 "element (\(row), \(column)) is outside the \(rows)×\(columns) matrix")
}
