#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SparseCore

/// Reading and writing MatrixMarket (`.mtx`) files.
///
/// ## Reading
/// Every reader parses the banner `%%MatrixMarket matrix <format> <field> <symmetry>` (words in any case),
/// skips comment (`%`) and blank lines anywhere after it, and accepts leading and trailing spaces and tabs,
/// CRLF line endings and a missing final newline. It reads the file whole (memory-mapped) and parses bytes;
/// coordinate files are split across `threads` threads at line boundaries.
///
/// Policies:
/// - **Duplicates** (a position stored twice) are kept as separate COO entries and summed by every
///   conversion (CSR, CSC, BSR, dense), in file order — the meaning MatrixMarket and SciPy give them.
/// - **Symmetric and skew-symmetric files** are expanded to full storage: the file's entries come first, in
///   file order, then the mirror of each off-diagonal entry (negated when skew-symmetric); the diagonal is
///   not duplicated. A non-zero diagonal value in a skew-symmetric file is an error. An entry above the
///   diagonal is an error by default; ``MatrixMarketReadOptions/upperTriangle`` can accept and mirror it.
/// - **Array files** are column-major; symmetric ones hold the lower triangle column by column,
///   skew-symmetric ones the strict lower triangle. Read into a sparse format, a dense matrix keeps its
///   non-zero elements only (as every dense-to-sparse conversion in SparseCore does).
/// - **Numbers** are read in full or not at all: `0x1p3`, `1.5D+03`, `1,5` are errors, never a partial
///   read. Reals are correctly rounded to `Double` and `Float` (`1.5e-310` gives the subnormal); `Float16`
///   is rounded through `Double`. `nan`, `inf` and
///   `infinity` (any case, optional sign) are accepted in real files, since NumPy writes them; a finite
///   decimal too large for the scalar (`1e400`, or `1e39` as a `Float`) is an error rather than infinity.
/// - **Integer files** accept `[+-]digits` of any length only (`1.5` and `1e3` are errors) and convert each
///   value to the scalar by correct rounding: exact up to 2^53 (`Double`) or 2^24 (`Float`), the nearest
///   representable value beyond, an error past the scalar's finite range.
/// - **Pattern files** give every entry the value 1.
/// - **Complex files** throw ``MatrixMarketError/Kind/complexNotSupported``; `hermitian` with any other
///   field, `pattern` with `array` or `skew-symmetric` are invalid banners (as in the NIST `mmio` library).
/// - **Memory**: nothing is allocated from the size line before it is checked against the file's length
///   (every coordinate entry needs at least 4 bytes with the pattern field, 6 otherwise; every array value
///   2); a file too short for its count gets the error its data shows: the first entry line with the wrong
///   number of tokens, or else too few entries. COO needs memory in proportion to the file; CSR, CSC and BSR also need offsets in proportion to the
///   declared rows or columns, and dense storage rows × columns, which are checked against the machine's
///   memory before anything is allocated.
public enum MatrixMarket {
    /// The number of threads readers use when not told: every online core.
    public static var defaultThreads: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    // MARK: Header

    /// The banner and size line of the file at `path` (only the first lines are read).
    public static func readHeader(path: String) throws(MatrixMarketError) -> MatrixMarketHeader {
        try _withFileBytes(path: path, access: .header) { (bytes) throws(MatrixMarketError) in
            try readHeader(bytes: bytes)
        }
    }

    /// The banner and size line of a file held in memory.
    public static func readHeader(bytes: UnsafeRawBufferPointer) throws(MatrixMarketError) -> MatrixMarketHeader {
        try _withBase(bytes) { (base, n) throws(MatrixMarketError) in try _parseHeader(base, count: n).header }
    }

    /// The banner and size line of a file held in memory.
    public static func readHeader(bytes: [UInt8]) throws(MatrixMarketError) -> MatrixMarketHeader {
        try _withArrayBytes(bytes) { (raw) throws(MatrixMarketError) in try readHeader(bytes: raw) }
    }

    /// The banner and size line of a file held in a string.
    public static func readHeader(string: String) throws(MatrixMarketError) -> MatrixMarketHeader {
        try _withStringBytes(string) { (bytes) throws(MatrixMarketError) in try readHeader(bytes: bytes) }
    }

    // MARK: Reading into COO

    /// Reads the file at `path` into a COO matrix.
    ///
    /// - Parameters:
    ///   - scalar: `Double` (the default) or `Float`; values are correctly rounded to it.
    ///   - index: `Int32` (the default) or `Int64`; the shape and the stored-entry count must fit it.
    ///   - threads: how many threads parse a large coordinate file; `nil` means every core.
    /// - Returns: the header as declared, and the matrix (symmetric files expanded, duplicates kept).
    public static func read<S: SparseScalar, I: SparseIndex>(
        path: String, scalar: S.Type = Double.self, index: I.Type = Int32.self, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: COOMatrix<S, I>) {
        try _withFileBytes(path: path, access: .whole) { (bytes) throws(MatrixMarketError) in
            try read(bytes: bytes, scalar: S.self, index: I.self, threads: threads, options: options)
        }
    }

    /// Reads a file held in memory into a COO matrix (see ``read(path:scalar:index:threads:options:)``).
    public static func read<S: SparseScalar, I: SparseIndex>(
        bytes: UnsafeRawBufferPointer, scalar: S.Type = Double.self, index: I.Type = Int32.self,
        threads: Int? = nil, options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: COOMatrix<S, I>) {
        let (header, content) = try _readContent(bytes, S.self, I.self, threads: threads, options: options)
        switch content {
        case .coordinate(let coo): return (header, coo)
        case .array(let dense):
            // An empty shape stores nothing: no pass over its rows (a file may declare 10¹¹ × 0).
            if dense.rows == 0 || dense.columns == 0 {
                return (header, try _convert { () throws(SparseError) in
                    try COOMatrix<S, I>(rows: dense.rows, columns: dense.columns, rowIndices: [], columnIndices: [],
                                        values: [])
                })
            }
            return (header, try _convert { () throws(SparseError) in try dense.coo(indexType: I.self) })
        }
    }

    /// Reads a file held in memory into a COO matrix.
    public static func read<S: SparseScalar, I: SparseIndex>(
        bytes: [UInt8], scalar: S.Type = Double.self, index: I.Type = Int32.self, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: COOMatrix<S, I>) {
        try _withArrayBytes(bytes) { (raw) throws(MatrixMarketError) in
            try read(bytes: raw, scalar: S.self, index: I.self, threads: threads, options: options)
        }
    }

    /// Reads a file held in a string into a COO matrix.
    public static func read<S: SparseScalar, I: SparseIndex>(
        string: String, scalar: S.Type = Double.self, index: I.Type = Int32.self, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: COOMatrix<S, I>) {
        try _withStringBytes(string) { (raw) throws(MatrixMarketError) in
            try read(bytes: raw, scalar: S.self, index: I.self, threads: threads, options: options)
        }
    }

    // MARK: Reading into any format

    /// Reads the file at `path` into `format`: `COOMatrix<S, I>`, `CSRMatrix<S, I>`, `CSCMatrix<S, I>` or
    /// `DenseMatrix<S>` (row-major). Duplicates are summed by the conversion.
    ///
    ///     let (_, A) = try MatrixMarket.read(path: "west0067.mtx", as: CSRMatrix<Double, Int32>.self)
    public static func read<M: MatrixMarketReadable>(
        path: String, as format: M.Type, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: M) {
        try _withFileBytes(path: path, access: .whole) { (bytes) throws(MatrixMarketError) in
            try M.readMatrixMarket(bytes: bytes, threads: threads, options: options)
        }
    }

    /// Reads a file held in memory into `format` (see ``read(path:as:threads:options:)``).
    public static func read<M: MatrixMarketReadable>(
        bytes: UnsafeRawBufferPointer, as format: M.Type, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: M) {
        try M.readMatrixMarket(bytes: bytes, threads: threads, options: options)
    }

    /// Reads a file held in memory into `format`.
    public static func read<M: MatrixMarketReadable>(
        bytes: [UInt8], as format: M.Type, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: M) {
        try _withArrayBytes(bytes) { (raw) throws(MatrixMarketError) in
            try M.readMatrixMarket(bytes: raw, threads: threads, options: options)
        }
    }

    /// Reads a file held in a string into `format`.
    public static func read<M: MatrixMarketReadable>(
        string: String, as format: M.Type, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: M) {
        try _withStringBytes(string) { (raw) throws(MatrixMarketError) in
            try M.readMatrixMarket(bytes: raw, threads: threads, options: options)
        }
    }

    /// Reads the file at `path` into a dense matrix with the given layout (an array file read column-major
    /// is not copied again).
    public static func readDense<S: SparseScalar>(
        path: String, layout: DenseLayout = .rowMajor, scalar: S.Type = Double.self, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: DenseMatrix<S>) {
        try _withFileBytes(path: path, access: .whole) { (bytes) throws(MatrixMarketError) in
            try readDense(bytes: bytes, layout: layout, scalar: S.self, threads: threads, options: options)
        }
    }

    /// Reads a file held in memory into a dense matrix with the given layout.
    public static func readDense<S: SparseScalar>(
        bytes: UnsafeRawBufferPointer, layout: DenseLayout = .rowMajor, scalar: S.Type = Double.self,
        threads: Int? = nil, options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: DenseMatrix<S>) {
        let (header, content) = try _readContent(bytes, S.self, Int64.self, threads: threads, options: options)
        switch content {
        case .array(let dense):
            return (header, dense.dense(layout: layout))
        case .coordinate(let coo):
            try _checkAllocation(rows: header.rows, columns: header.columns, format: "dense",
                                 bytesPerElement: MemoryLayout<S>.stride, line: nil)
            return (header, coo.dense(layout: layout))
        }
    }

    /// Reads a file held in a string into a dense matrix with the given layout.
    public static func readDense<S: SparseScalar>(
        string: String, layout: DenseLayout = .rowMajor, scalar: S.Type = Double.self, threads: Int? = nil,
        options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: DenseMatrix<S>) {
        try _withStringBytes(string) { (raw) throws(MatrixMarketError) in
            try readDense(bytes: raw, layout: layout, scalar: S.self, threads: threads, options: options)
        }
    }

    /// Reads the file at `path` into block-sparse storage with `blockRows` × `blockColumns` blocks.
    public static func readBlockSparse<S: SparseScalar, I: SparseIndex>(
        path: String, blockRows: Int, blockColumns: Int, scalar: S.Type = Double.self, index: I.Type = Int32.self,
        threads: Int? = nil, options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: BlockSparseMatrix<S, I>) {
        try _withFileBytes(path: path, access: .whole) { (bytes) throws(MatrixMarketError) in
            try readBlockSparse(bytes: bytes, blockRows: blockRows, blockColumns: blockColumns, scalar: S.self,
                                index: I.self, threads: threads, options: options)
        }
    }

    /// Reads a file held in memory into block-sparse storage with `blockRows` × `blockColumns` blocks.
    public static func readBlockSparse<S: SparseScalar, I: SparseIndex>(
        bytes: UnsafeRawBufferPointer, blockRows: Int, blockColumns: Int, scalar: S.Type = Double.self,
        index: I.Type = Int32.self, threads: Int? = nil, options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: BlockSparseMatrix<S, I>) {
        let (header, csr) = try CSRMatrix<S, I>.readMatrixMarket(bytes: bytes, threads: threads, options: options)
        let bsr = try _convert { () throws(SparseError) in
            try csr.blockSparse(blockRows: blockRows, blockColumns: blockColumns, indexType: I.self)
        }
        return (header, bsr)
    }

    /// Reads a file held in a string into block-sparse storage.
    public static func readBlockSparse<S: SparseScalar, I: SparseIndex>(
        string: String, blockRows: Int, blockColumns: Int, scalar: S.Type = Double.self, index: I.Type = Int32.self,
        threads: Int? = nil, options: MatrixMarketReadOptions = MatrixMarketReadOptions()
    ) throws(MatrixMarketError) -> (header: MatrixMarketHeader, matrix: BlockSparseMatrix<S, I>) {
        try _withStringBytes(string) { (raw) throws(MatrixMarketError) in
            try readBlockSparse(bytes: raw, blockRows: blockRows, blockColumns: blockColumns, scalar: S.self,
                                index: I.self, threads: threads, options: options)
        }
    }
}

// MARK: - Internals shared by the readers

/// What a file holds, before conversion to the requested format.
enum _MatrixMarketContent<S: SparseScalar, I: SparseIndex> {
    case coordinate(COOMatrix<S, I>)
    case array(DenseMatrix<S>)
}

/// Parses the header and the data of `bytes`, into `S` values and `I` indices.
///
/// `Double`, `Float` and `Float16` are parsed directly (each specialised for `Int32` and `Int64` indices); any
/// other scalar is parsed as `Double` and rounded to it.
func _readContent<S: SparseScalar, I: SparseIndex>(
    _ bytes: UnsafeRawBufferPointer, _: S.Type, _: I.Type, threads: Int?, options: MatrixMarketReadOptions
) throws(MatrixMarketError) -> (MatrixMarketHeader, _MatrixMarketContent<S, I>) {
    // At most 1024: more parts than that only split the file finer than it pays.
    let threadCount = Swift.min(1024, Swift.max(1, threads ?? MatrixMarket.defaultThreads))
    return try _withBase(bytes) { (base, n) throws(MatrixMarketError) in
        let parsed = try _parseHeader(base, count: n)
        // Each concrete pair is spelled out so that the parser is specialised for it.
        func cast<V, J>(_ c: _MatrixMarketContent<V, J>) -> _MatrixMarketContent<S, I> { c as! _MatrixMarketContent<S, I> }
        let h = parsed.header
        if S.self == Double.self {
            if I.self == Int32.self { return (h, cast(try _content(Double.self, Int32.self, base, n, parsed, threadCount, options))) }
            if I.self == Int64.self { return (h, cast(try _content(Double.self, Int64.self, base, n, parsed, threadCount, options))) }
        }
        if S.self == Float.self {
            if I.self == Int32.self { return (h, cast(try _content(Float.self, Int32.self, base, n, parsed, threadCount, options))) }
            if I.self == Int64.self { return (h, cast(try _content(Float.self, Int64.self, base, n, parsed, threadCount, options))) }
        }
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        if S.self == Float16.self {
            if I.self == Int32.self { return (h, cast(try _content(Float16.self, Int32.self, base, n, parsed, threadCount, options))) }
            if I.self == Int64.self { return (h, cast(try _content(Float16.self, Int64.self, base, n, parsed, threadCount, options))) }
            return (h, cast(try _content(Float16.self, I.self, base, n, parsed, threadCount, options)))
        }
        #endif
        if S.self == Double.self { return (h, cast(try _content(Double.self, I.self, base, n, parsed, threadCount, options))) }
        if S.self == Float.self { return (h, cast(try _content(Float.self, I.self, base, n, parsed, threadCount, options))) }
        // Any other scalar: read as Double, then round.
        switch try _content(Double.self, I.self, base, n, parsed, threadCount, options) {
        case .array(let d):
            return (h, .array(DenseMatrix<S>(
                uncheckedRows: d.rows, columns: d.columns, layout: d.layout, leadingDimension: d.leadingDimension,
                elements: SparseBuffer(d.elements.lazy.map { S($0) }))))
        case .coordinate(let d):
            return (h, .coordinate(COOMatrix<S, I>(
                uncheckedRows: d.rows, columns: d.columns, rowIndices: d.rowIndices, columnIndices: d.columnIndices,
                values: SparseBuffer(d.values.lazy.map { S($0) }), isCanonical: d.isCanonical)))
        }
    }
}

/// The data of a file whose header is `parsed`, with `V` values and `I` indices.
func _content<V: _MatrixMarketValue, I: SparseIndex>(
    _: V.Type, _: I.Type, _ base: UnsafePointer<UInt8>, _ n: Int, _ parsed: _ParsedHeader, _ threads: Int,
    _ options: MatrixMarketReadOptions
) throws(MatrixMarketError) -> _MatrixMarketContent<V, I> {
    if parsed.header.format == .array { return .array(try _parseArray(base, count: n, parsed)) }
    return .coordinate(try _readCoordinate(base, count: n, parsed, threads: threads, options: options))
}

/// Calls `body` with the base address and length of `bytes` (a one-byte dummy for an empty buffer).
func _withBase<R>(
    _ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) throws(MatrixMarketError) -> R
) throws(MatrixMarketError) -> R {
    if let base = bytes.baseAddress, bytes.count > 0 {
        return try body(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }
    let empty = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    defer { empty.deallocate() }
    empty.pointee = 0
    return try body(empty, 0)
}

/// Calls `body` with the UTF-8 bytes of `string`.
func _withStringBytes<R>(
    _ string: String, _ body: (UnsafeRawBufferPointer) throws(MatrixMarketError) -> R
) throws(MatrixMarketError) -> R {
    var s = string
    var result: Result<R, MatrixMarketError>? = nil
    s.withUTF8 { utf8 in
        result = Result { () throws(MatrixMarketError) -> R in try body(UnsafeRawBufferPointer(utf8)) }
    }
    return try result!.get()
}

/// Calls `body` with the bytes of `array`.
func _withArrayBytes<R>(
    _ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(MatrixMarketError) -> R
) throws(MatrixMarketError) -> R {
    var result: Result<R, MatrixMarketError>? = nil
    array.withUnsafeBytes { raw in result = Result { () throws(MatrixMarketError) -> R in try body(raw) } }
    return try result!.get()
}

/// Runs a SparseCore conversion, wrapping its error.
func _convert<T>(_ body: () throws(SparseError) -> T) throws(MatrixMarketError) -> T {
    do { return try body() } catch { throw MatrixMarketError(line: nil, .conversion(error)) }
}

/// Throws unless `rows × columns` elements (dense) or the offsets of the compressed axis, plus two (rows for
/// CSR, columns for CSC), of `bytesPerElement` fit in the machine's memory: the shape comes from the file's
/// size line. The other axis costs no scratch: the conversions sort instead of counting when it far
/// outnumbers the entries.
func _checkAllocation(rows: Int, columns: Int, format: String, bytesPerElement: Int, line: Int?)
    throws(MatrixMarketError)
{
    let limit = _physicalMemory
    let elements: (partialValue: Int, overflow: Bool)
    if format == "dense" {
        elements = rows.multipliedReportingOverflow(by: columns)
    } else {
        elements = (format == "CSC" ? columns : rows).addingReportingOverflow(2)
    }
    let bytes = elements.partialValue.multipliedReportingOverflow(by: bytesPerElement)
    if elements.overflow || bytes.overflow || bytes.partialValue > limit {
        throw MatrixMarketError(line: line, .allocationTooLarge(
            rows: rows, columns: columns, format: format,
            bytes: elements.overflow || bytes.overflow ? Int.max : bytes.partialValue, limit: limit))
    }
}
