#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SparseCore

extension MatrixMarket {
    /// Writes `matrix` to the file at `path` (created or truncated).
    ///
    /// - Parameters:
    ///   - symmetry: `.general` writes every stored entry. `.symmetric` writes the lower triangle (row ≥
    ///     column) and requires A = Aᵀ exactly; `.skewSymmetric` writes the strict lower triangle and
    ///     requires A = −Aᵀ (so a zero diagonal). Either throws
    ///     ``MatrixMarketError/Kind/notSymmetric(row:column:symmetry:)`` otherwise. `.hermitian` is for complex
    ///     matrices and throws.
    ///   - field: `.real` (the default) or `.double` write each value as the shortest decimal that reads back
    ///     to the same value (`1` for 1.0, `nan`, `-nan`, `inf`, `-inf`); `.integer` requires integral values
    ///     in [−2^63, 2^63) (Int64's range); `.pattern` writes positions only (coordinate format).
    ///   - format: `.array` (every element, column by column) or `.coordinate`; `nil` picks array for a
    ///     `DenseMatrix` and coordinate for the others.
    ///   - comment: text written after the banner, each line prefixed with `%` (any line break, CRLF too,
    ///     starts a new line).
    ///
    /// Coordinate files list the entries in the matrix's storage order: COO entries as stored (duplicates
    /// too, which a reader sums back), CSR row by row, CSC column by column, and for dense and block-sparse
    /// matrices the non-zero elements only. Symmetric files list the lower triangle row by row.
    public static func write(
        _ matrix: some MatrixStorage, to path: String, symmetry: MatrixMarketSymmetry = .general,
        field: MatrixMarketField = .real, format: MatrixMarketFormat? = nil, comment: String? = nil
    ) throws(MatrixMarketError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw MatrixMarketError(line: nil, .cannotWrite(path: path, reason: _errnoMessage())) }
        defer { close(fd) }
        var writer = _TextWriter(fd: fd, path: path)
        try _write(matrix, into: &writer, symmetry: symmetry, field: field, format: format, comment: comment)
        try writer.flush()
    }

    /// The MatrixMarket text of `matrix` as bytes (see ``write(_:to:symmetry:field:format:comment:)``).
    public static func bytes(
        _ matrix: some MatrixStorage, symmetry: MatrixMarketSymmetry = .general, field: MatrixMarketField = .real,
        format: MatrixMarketFormat? = nil, comment: String? = nil
    ) throws(MatrixMarketError) -> [UInt8] {
        var writer = _TextWriter(fd: nil, path: "")
        try _write(matrix, into: &writer, symmetry: symmetry, field: field, format: format, comment: comment)
        return writer.buffer
    }

    /// The MatrixMarket text of `matrix` (see ``write(_:to:symmetry:field:format:comment:)``).
    public static func string(
        _ matrix: some MatrixStorage, symmetry: MatrixMarketSymmetry = .general, field: MatrixMarketField = .real,
        format: MatrixMarketFormat? = nil, comment: String? = nil
    ) throws(MatrixMarketError) -> String {
        String(decoding: try bytes(matrix, symmetry: symmetry, field: field, format: format, comment: comment),
               as: UTF8.self)
    }
}

/// Accumulates output, flushing it to a file descriptor past 1 MiB when it has one.
struct _TextWriter {
    let fd: Int32?
    let path: String
    var buffer: [UInt8] = []

    init(fd: Int32?, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(fd == nil ? 4096 : 1 << 21)
    }

    mutating func flush() throws(MatrixMarketError) {
        guard let fd else { return }
        try _withArrayBytes(buffer) { (raw) throws(MatrixMarketError) in try _writeAll(fd: fd, raw, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func endLine() throws(MatrixMarketError) {
        buffer.append(0x0A)
        if fd != nil && buffer.count >= 1 << 20 { try flush() }
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    /// A non-negative integer in decimal.
    mutating func append(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")); append(UInt(value.magnitude)); return }
        append(UInt(value))
    }

    mutating func append(_ value: UInt) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes of scratch
        var v = value, n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            buffer.append(contentsOf: d[(24 - n)...])
        }
    }

    /// The shortest decimal that reads back to `value` (Swift's `description` is shortest-round-trip), with
    /// a trailing `.0` dropped, and `nan` or `-nan` for a NaN (its sign kept, its payload not).
    mutating func appendReal<S: SparseScalar>(_ value: S) {
        if value.isNaN {
            append(value.sign == .minus ? "-nan" : "nan")
            return
        }
        let text = value.description
        var utf8 = text.utf8[...]
        if utf8.count > 2 && utf8.suffix(2).elementsEqual(".0".utf8) { utf8 = utf8.dropLast(2) }
        buffer.append(contentsOf: utf8)
    }
}

/// The entry to write at (`row`, `column`), or an error for a value the field cannot hold.
private func _checkInteger<S: SparseScalar>(_ value: S, _ row: Int, _ column: Int) throws(MatrixMarketError) {
    // Int64's range, [−2^63, 2^63): −2^63 converts exactly, 2^63 is not an Int64.
    guard value.isFinite, value == value.rounded(.towardZero), value >= -0x1p63, value < 0x1p63 else {
        throw MatrixMarketError(line: nil, .unsupportedWrite(
            reason: "the integer field needs integral values in [−2^63, 2^63), found \(value) at (\(row), "
                + "\(column))"))
    }
}

private func _write<M: MatrixStorage>(
    _ matrix: M, into w: inout _TextWriter, symmetry: MatrixMarketSymmetry, field: MatrixMarketField,
    format: MatrixMarketFormat?, comment: String?
) throws(MatrixMarketError) {
    typealias S = M.Scalar
    let format = format ?? (matrix is DenseMatrix<S> ? .array : .coordinate)
    switch field {
    case .complex: throw MatrixMarketError(line: nil, .complexNotSupported)
    case .pattern where format == .array:
        throw MatrixMarketError(line: nil, .unsupportedWrite(reason: "the pattern field requires the coordinate format"))
    case .pattern where symmetry == .skewSymmetric:
        throw MatrixMarketError(line: nil, .unsupportedWrite(reason: "the pattern field cannot be skew-symmetric"))
    default: break
    }
    if symmetry == .hermitian {
        throw MatrixMarketError(line: nil, .unsupportedWrite(
            reason: "hermitian symmetry is for complex matrices; a real symmetric matrix is written as symmetric"))
    }
    let rows = matrix.rows, columns = matrix.columns
    if symmetry != .general && rows != columns {
        throw MatrixMarketError(line: nil, .nonSquareSymmetric(rows: rows, columns: columns, symmetry: symmetry))
    }
    let header = MatrixMarketHeader(format: format, field: field, symmetry: symmetry, rows: rows, columns: columns,
                                    entries: 0)
    w.append(header.banner)
    try w.endLine()
    if let comment {
        // Any line break (CRLF is one Character in Swift) starts a new comment line.
        for line in comment.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            w.append("%" + (line.isEmpty ? "" : " ") + line)
            try w.endLine()
        }
    }

    // Symmetric output goes through canonical CSR: duplicates summed, rows sorted.
    let csr: CSRMatrix<S, Int64>? = symmetry == .general ? nil
        : try _convert { () throws(SparseError) in try matrix.csr(indexType: Int64.self) }
    if let csr, symmetry != .general { try _checkSymmetry(csr, symmetry) }

    func value(_ v: S, _ i: Int, _ j: Int) throws(MatrixMarketError) {
        if field == .integer {
            try _checkInteger(v, i, j)
            w.append(Int(v))
        } else {
            w.appendReal(v)
        }
    }

    if format == .array {
        let dense = matrix.dense(layout: .columnMajor)
        w.append(rows); w.append(" "); w.append(columns)
        try w.endLine()
        for j in 0..<columns {
            let first = symmetry == .general ? 0 : (symmetry == .symmetric ? j : j + 1)
            for i in Swift.min(first, rows)..<rows {
                try value(dense[i, j], i, j)
                try w.endLine()
            }
        }
        return
    }

    let keepZeros = M.storesExplicitZeros
    if let csr {
        // Symmetric or skew-symmetric: the lower (strict lower) triangle, row by row.
        let strict = symmetry == .skewSymmetric
        var count = 0
        csr.forEachStoredEntry { i, j, _ in if i > j || (i == j && !strict) { count += 1 } }
        w.append(rows); w.append(" "); w.append(columns); w.append(" "); w.append(count)
        try w.endLine()
        try csr.forEachStoredEntry { (i, j, v) throws(MatrixMarketError) in
            guard i > j || (i == j && !strict) else { return }
            w.append(i + 1); w.append(" "); w.append(j + 1)
            if field != .pattern { w.append(" "); try value(v, i, j) }
            try w.endLine()
        }
        return
    }
    var count = 0
    matrix.forEachStoredEntry { _, _, v in if keepZeros || v != 0 { count += 1 } }
    w.append(rows); w.append(" "); w.append(columns); w.append(" "); w.append(count)
    try w.endLine()
    try matrix.forEachStoredEntry { (i, j, v) throws(MatrixMarketError) in
        guard keepZeros || v != 0 else { return }
        w.append(i + 1); w.append(" "); w.append(j + 1)
        if field != .pattern { w.append(" "); try value(v, i, j) }
        try w.endLine()
    }
}

/// Throws unless `a` equals its transpose (symmetric) or its negated transpose with a zero diagonal
/// (skew-symmetric), element by element; NaN matches NaN.
private func _checkSymmetry<S: SparseScalar>(_ a: CSRMatrix<S, Int64>, _ symmetry: MatrixMarketSymmetry)
    throws(MatrixMarketError)
{
    let skew = symmetry == .skewSymmetric
    try a.forEachStoredEntry { (i, j, v) throws(MatrixMarketError) in
        let mirror = a[j, i]
        let expected = skew ? -v : v
        let matches = i == j ? (!skew || v == 0) : (mirror == expected || (mirror.isNaN && v.isNaN))
        if !matches { throw MatrixMarketError(line: nil, .notSymmetric(row: i, column: j, symmetry: symmetry)) }
    }
}
