import SparseCore

/// A storage format that ``MatrixMarket/read(path:as:threads:options:)`` can read a file into.
///
/// COO, CSR, CSC and dense (row-major) conform. Block-sparse storage needs a block size: use
/// ``MatrixMarket/readBlockSparse(path:blockRows:blockColumns:scalar:index:threads:options:)``.
public protocol MatrixMarketReadable: MatrixStorage {
    /// Reads a MatrixMarket file held in memory into this format.
    static func readMatrixMarket(bytes: UnsafeRawBufferPointer, threads: Int?, options: MatrixMarketReadOptions)
        throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: Self)
}

extension COOMatrix: MatrixMarketReadable {
    public static func readMatrixMarket(bytes: UnsafeRawBufferPointer, threads: Int?, options: MatrixMarketReadOptions)
        throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: COOMatrix)
    {
        try MatrixMarket.read(bytes: bytes, scalar: Scalar.self, index: Index.self, threads: threads, options: options)
    }
}

extension CSRMatrix: MatrixMarketReadable {
    public static func readMatrixMarket(bytes: UnsafeRawBufferPointer, threads: Int?, options: MatrixMarketReadOptions)
        throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: CSRMatrix)
    {
        let (header, content) = try _readContent(bytes, Scalar.self, Index.self, threads: threads, options: options)
        try _checkAllocation(rows: header.rows, columns: header.columns, format: "CSR",
                             bytesPerElement: _compressedBytesPerOffset, line: nil)
        switch content {
        case .coordinate(let coo):
            return (header, try _convert { () throws(SparseError) in try coo.csr(indexType: Index.self) })
        case .array(let dense):
            return (header, try _convert { () throws(SparseError) in try dense.csr(indexType: Index.self) })
        }
    }
}

extension CSCMatrix: MatrixMarketReadable {
    public static func readMatrixMarket(bytes: UnsafeRawBufferPointer, threads: Int?, options: MatrixMarketReadOptions)
        throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: CSCMatrix)
    {
        let (header, content) = try _readContent(bytes, Scalar.self, Index.self, threads: threads, options: options)
        try _checkAllocation(rows: header.rows, columns: header.columns, format: "CSC",
                             bytesPerElement: _compressedBytesPerOffset, line: nil)
        switch content {
        case .coordinate(let coo):
            return (header, try _convert { () throws(SparseError) in try coo.csc(indexType: Index.self) })
        case .array(let dense):
            return (header, try _convert { () throws(SparseError) in try dense.csc(indexType: Index.self) })
        }
    }
}

extension DenseMatrix: MatrixMarketReadable {
    /// Reads into a row-major dense matrix; use ``MatrixMarket/readDense(path:layout:scalar:threads:options:)``
    /// for column-major.
    public static func readMatrixMarket(bytes: UnsafeRawBufferPointer, threads: Int?, options: MatrixMarketReadOptions)
        throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: DenseMatrix)
    {
        try MatrixMarket.readDense(bytes: bytes, layout: .rowMajor, scalar: Scalar.self, threads: threads, options: options)
    }
}

/// What converting to a compressed format may hold per compressed row (column) at once, as the budget of
/// ``_checkAllocation``: the offsets of the index type and the conversion's counts and cursors (up to four
/// Int a row).
let _compressedBytesPerOffset = 4 * MemoryLayout<Int>.stride
