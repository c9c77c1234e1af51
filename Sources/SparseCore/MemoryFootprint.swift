/// Which storage format a matrix uses; block-sparse carries its block size.
public enum StorageFormat: Hashable, Sendable, CustomStringConvertible {
    case dense
    case coo
    case csr
    case csc
    case blockSparse(blockRows: Int, blockColumns: Int)

    public var description: String {
        switch self {
        case .dense: return "dense"
        case .coo: return "COO"
        case .csr: return "CSR"
        case .csc: return "CSC"
        case let .blockSparse(r, c): return "BSR \(r)×\(c)"
        }
    }
}

/// The bytes a matrix holds, by part.
///
/// A footprint taken from a matrix (`matrix.footprint`) is exact: each part is the byte size of the buffers
/// the matrix owns (``SparseBuffer/allocatedByteCount``), and the buffers are allocated at exact size.
/// The fixed-size struct fields (shape, block size) and the heap-object headers are not counted.
/// ``estimate(format:rows:columns:storedEntries:blockCount:scalarBytes:indexBytes:)`` gives the same
/// figures without building the matrix.
public struct MemoryFootprint: Hashable, Sendable, CustomStringConvertible {
    /// The format measured.
    public var format: StorageFormat
    /// Rows of the matrix.
    public var rows: Int
    /// Columns of the matrix.
    public var columns: Int
    /// Values held in the value buffer: every element for dense, every stored entry (explicit zeros and
    /// duplicates included) for COO, CSR and CSC, and `blocks × r × c` for block-sparse (fill and padding
    /// included).
    public var storedValues: Int
    /// Bytes of one stored value.
    public var scalarBytes: Int
    /// Bytes of values.
    public var valueBytes: Int
    /// Bytes of row, column or block indices.
    public var indexBytes: Int
    /// Bytes of row, column or block-row offsets (compressed formats).
    public var offsetBytes: Int
    /// Bytes of anything else the matrix owns (zero for the built-in formats).
    public var otherBytes: Int

    /// Creates a footprint from its parts.
    public init(
        format: StorageFormat, rows: Int, columns: Int, storedValues: Int, scalarBytes: Int,
        valueBytes: Int, indexBytes: Int, offsetBytes: Int, otherBytes: Int = 0
    ) {
        self.format = format
        self.rows = rows
        self.columns = columns
        self.storedValues = storedValues
        self.scalarBytes = scalarBytes
        self.valueBytes = valueBytes
        self.indexBytes = indexBytes
        self.offsetBytes = offsetBytes
        self.otherBytes = otherBytes
    }

    /// All bytes: values + indices + offsets + other.
    public var totalBytes: Int { _sum(valueBytes, indexBytes, offsetBytes, otherBytes) }

    /// The bytes of a packed dense matrix of the same shape and scalar (`Int.max` when they overflow `Int`, as
    /// for a 2³¹ × 2³¹ Float64 matrix).
    public var denseBytes: Int { _product(rows, columns, scalarBytes) }

    /// Total bytes per stored value (NaN for a matrix that stores none).
    public var bytesPerStoredValue: Double {
        storedValues == 0 ? .nan : Double(totalBytes) / Double(storedValues)
    }

    /// Total bytes divided by the packed dense bytes (NaN for an empty shape).
    public var ratioToDense: Double {
        denseBytes == 0 ? .nan : Double(totalBytes) / Double(denseBytes)
    }

    /// The footprint a format would have, computed from its shape and counts without building it.
    ///
    /// - Parameters:
    ///   - storedEntries: stored entries for COO, CSR and CSC; ignored for dense (which stores `rows × columns`
    ///     packed) and for block-sparse when `blockCount` is given.
    ///   - blockCount: stored blocks, for block-sparse. When `nil`, the fewest blocks that could hold
    ///     `storedEntries` (perfectly filled blocks) are assumed: a lower bound.
    /// - Throws: ``SparseError/invalidShape(rows:columns:)`` for a negative dimension,
    ///   ``SparseError/invalidBlockSize(rows:columns:)`` for a block-sparse block below 1×1, and
    ///   ``SparseError/invalidArgument(name:reason:)`` for a negative count or a byte size below 1.
    public static func estimate(
        format: StorageFormat, rows: Int, columns: Int, storedEntries: Int, blockCount: Int? = nil,
        scalarBytes: Int, indexBytes: Int
    ) throws(SparseError) -> MemoryFootprint {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        for (name, count) in [("storedEntries", storedEntries), ("blockCount", blockCount ?? 0)] where count < 0 {
            throw .invalidArgument(name: name, reason: "\(count) is negative")
        }
        for (name, bytes) in [("scalarBytes", scalarBytes), ("indexBytes", indexBytes)] where bytes < 1 {
            throw .invalidArgument(name: name, reason: "\(bytes) bytes: must be at least 1")
        }
        if case let .blockSparse(r, c) = format, r < 1 || c < 1 { throw .invalidBlockSize(rows: r, columns: c) }
        // Counts saturate at Int.max rather than trap: an estimate for a shape too large to build still prints.
        switch format {
        case .dense:
            let n = _product(rows, columns)
            return MemoryFootprint(
                format: format, rows: rows, columns: columns, storedValues: n, scalarBytes: scalarBytes,
                valueBytes: _product(n, scalarBytes), indexBytes: 0, offsetBytes: 0)
        case .coo:
            return MemoryFootprint(
                format: format, rows: rows, columns: columns, storedValues: storedEntries, scalarBytes: scalarBytes,
                valueBytes: _product(storedEntries, scalarBytes), indexBytes: _product(2, storedEntries, indexBytes),
                offsetBytes: 0)
        case .csr, .csc:
            let major = format == .csr ? rows : columns
            return MemoryFootprint(
                format: format, rows: rows, columns: columns, storedValues: storedEntries, scalarBytes: scalarBytes,
                valueBytes: _product(storedEntries, scalarBytes), indexBytes: _product(storedEntries, indexBytes),
                offsetBytes: _product(_sum(major, 1), indexBytes))
        case let .blockSparse(r, c):
            let blocks = blockCount ?? _blockCount(storedEntries, _product(r, c))
            let blockRows = _blockCount(rows, r)
            let values = _product(blocks, r, c)
            return MemoryFootprint(
                format: format, rows: rows, columns: columns, storedValues: values, scalarBytes: scalarBytes,
                valueBytes: _product(values, scalarBytes), indexBytes: _product(blocks, indexBytes),
                offsetBytes: _product(_sum(blockRows, 1), indexBytes))
        }
    }

    /// ``estimate(format:rows:columns:storedEntries:blockCount:scalarBytes:indexBytes:)`` with the byte sizes
    /// taken from a scalar and an index type.
    public static func estimate<Scalar: SparseScalar, Index: SparseIndex>(
        format: StorageFormat, rows: Int, columns: Int, storedEntries: Int, blockCount: Int? = nil,
        scalar: Scalar.Type, index: Index.Type
    ) throws(SparseError) -> MemoryFootprint {
        try estimate(
            format: format, rows: rows, columns: columns, storedEntries: storedEntries, blockCount: blockCount,
            scalarBytes: MemoryLayout<Scalar>.stride, indexBytes: MemoryLayout<Index>.stride)
    }

    public var description: String {
        func f(_ x: Double) -> String {
            x.isNaN ? "–" : String(Double(Int((x * 1000).rounded())) / 1000)
        }
        return "\(format) \(rows)×\(columns): \(totalBytes) bytes (values \(valueBytes), indices \(indexBytes), "
            + "offsets \(offsetBytes)\(otherBytes > 0 ? ", other \(otherBytes)" : "")), "
            + "\(f(bytesPerStoredValue)) bytes/value, \(f(ratioToDense))× dense"
    }
}

/// The product of the factors, or `Int.max` when it overflows (byte counts are never negative).
@inlinable
func _product(_ factors: Int...) -> Int {
    var p = 1
    for f in factors {
        let (q, overflow) = p.multipliedReportingOverflow(by: f)
        if overflow { return Int.max }
        p = q
    }
    return p
}

/// The sum of the terms, or `Int.max` when it overflows.
@inlinable
func _sum(_ terms: Int...) -> Int {
    var s = 0
    for t in terms {
        let (u, overflow) = s.addingReportingOverflow(t)
        if overflow { return Int.max }
        s = u
    }
    return s
}
