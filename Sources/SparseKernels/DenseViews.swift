import SparseCore

/// A read-only view of caller-owned dense storage: a `rows × columns` matrix in `layout` with a leading
/// dimension. The caller keeps the memory alive while the view is used.
@frozen
public struct DenseMatrixView<Element>: @unchecked Sendable {
    /// The first element.
    public let baseAddress: UnsafePointer<Element>
    /// Rows of the matrix.
    public let rows: Int
    /// Columns of the matrix.
    public let columns: Int
    /// Row-major (rows contiguous) or column-major (columns contiguous).
    public let layout: DenseLayout
    /// Elements between consecutive rows (row-major) or columns (column-major).
    public let leadingDimension: Int

    /// A view; traps if the leading dimension is smaller than the row (column) length.
    @inlinable
    public init(unsafeBaseAddress baseAddress: UnsafePointer<Element>, rows: Int, columns: Int,
                layout: DenseLayout = .rowMajor, leadingDimension: Int? = nil)
    {
        let minimum = Swift.max(1, layout == .rowMajor ? columns : rows)
        let ld = leadingDimension ?? minimum
        precondition(rows >= 0 && columns >= 0 && ld >= minimum,
                     "DenseMatrixView: shape \(rows)×\(columns) with leading dimension \(ld) (minimum \(minimum))")
        self.baseAddress = baseAddress
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.leadingDimension = ld
    }

    /// Element (i, j).
    @inlinable @inline(__always)
    public subscript(i: Int, j: Int) -> Element {
        baseAddress[layout == .rowMajor ? i &* leadingDimension &+ j : j &* leadingDimension &+ i]
    }
}

/// A mutable view of caller-owned dense storage; see ``DenseMatrixView``.
@frozen
public struct MutableDenseMatrixView<Element>: @unchecked Sendable {
    /// The first element.
    public let baseAddress: UnsafeMutablePointer<Element>
    /// Rows of the matrix.
    public let rows: Int
    /// Columns of the matrix.
    public let columns: Int
    /// Row-major (rows contiguous) or column-major (columns contiguous).
    public let layout: DenseLayout
    /// Elements between consecutive rows (row-major) or columns (column-major).
    public let leadingDimension: Int

    /// A view; traps if the leading dimension is smaller than the row (column) length.
    @inlinable
    public init(unsafeBaseAddress baseAddress: UnsafeMutablePointer<Element>, rows: Int, columns: Int,
                layout: DenseLayout = .rowMajor, leadingDimension: Int? = nil)
    {
        let minimum = Swift.max(1, layout == .rowMajor ? columns : rows)
        let ld = leadingDimension ?? minimum
        precondition(rows >= 0 && columns >= 0 && ld >= minimum,
                     "MutableDenseMatrixView: shape \(rows)×\(columns) with leading dimension \(ld) (minimum \(minimum))")
        self.baseAddress = baseAddress
        self.rows = rows
        self.columns = columns
        self.layout = layout
        self.leadingDimension = ld
    }

    /// Element (i, j).
    @inlinable @inline(__always)
    public subscript(i: Int, j: Int) -> Element {
        get { baseAddress[layout == .rowMajor ? i &* leadingDimension &+ j : j &* leadingDimension &+ i] }
        nonmutating set { baseAddress[layout == .rowMajor ? i &* leadingDimension &+ j : j &* leadingDimension &+ i] = newValue }
    }

    /// The same memory, read-only.
    @inlinable
    public var readOnly: DenseMatrixView<Element> {
        DenseMatrixView(unsafeBaseAddress: UnsafePointer(baseAddress), rows: rows, columns: columns, layout: layout,
                        leadingDimension: leadingDimension)
    }
}

extension DenseMatrix {
    /// Calls `body` with a read-only view of this matrix's storage.
    @inlinable
    public func withUnsafeView<R>(_ body: (DenseMatrixView<Scalar>) throws -> R) rethrows -> R {
        try elements.withUnsafeBufferPointer { p in
            try body(DenseMatrixView(unsafeBaseAddress: p.baseAddress ?? UnsafePointer(bitPattern: 64)!,
                                     rows: rows, columns: columns, layout: layout, leadingDimension: leadingDimension))
        }
    }

    /// Calls `body` with a mutable view of this matrix's storage (copied first if shared).
    @inlinable
    public mutating func withUnsafeMutableView<R>(_ body: (MutableDenseMatrixView<Scalar>) throws -> R) rethrows -> R {
        let (r, c, l, ld) = (rows, columns, layout, leadingDimension)
        return try withUnsafeMutableElements { p in
            try body(MutableDenseMatrixView(unsafeBaseAddress: p.baseAddress ?? UnsafeMutablePointer(bitPattern: 64)!,
                                            rows: r, columns: c, layout: l, leadingDimension: ld))
        }
    }
}
