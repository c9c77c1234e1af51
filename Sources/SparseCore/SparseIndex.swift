/// An integer type that sparse formats use for their offsets and indices.
///
/// `Int32` halves index bytes against `Int64` and is the default wherever an initializer or conversion is not
/// told otherwise. Every checked path verifies that dimensions and entry counts fit the chosen type and throws
/// ``SparseError/shapeTooLarge(rows:columns:indexType:)`` or ``SparseError/tooManyEntries(count:indexType:)``
/// rather than wrapping.
public protocol SparseIndex: FixedWidthInteger, SignedInteger, BitwiseCopyable, Sendable {
    /// A short name used in errors and reports (`"Int32"`).
    static var indexName: String { get }
}

extension Int32: SparseIndex {
    @inlinable public static var indexName: String { "Int32" }
}

extension Int64: SparseIndex {
    @inlinable public static var indexName: String { "Int64" }
}

extension SparseIndex {
    /// Whether `value` can be stored in this index type.
    @inlinable @inline(__always)
    static func _fits(_ value: Int) -> Bool {
        value >= 0 && value <= Int(Self.max)
    }

    /// Throws unless a matrix of this shape, with this many stored entries (or blocks), is addressable with
    /// this index type: every dimension and the entry count must be at most `Self.max`, and every dimension
    /// below 2⁵⁹, so that an offset array over it can be counted in bytes.
    @inlinable
    public static func checkAddressable(rows: Int, columns: Int, entries: Int) throws(SparseError) {
        guard _fits(rows), _fits(columns), rows < Int.max >> 4, columns < Int.max >> 4 else {
            throw .shapeTooLarge(rows: rows, columns: columns, indexType: indexName)
        }
        guard _fits(entries) else { throw .tooManyEntries(count: entries, indexType: indexName) }
    }
}
