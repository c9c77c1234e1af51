/// Why a matrix could not be built or converted.
///
/// Every case names the array and position (or the row and column) at fault, so the message points at the
/// data that broke the invariant. Checked initializers and conversions throw these; unchecked initializers
/// (their names start with `unchecked`) trust their input and check only what is O(1).
public enum SparseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A dimension is negative.
    case invalidShape(rows: Int, columns: Int)
    /// A dimension does not fit the index type.
    case shapeTooLarge(rows: Int, columns: Int, indexType: String)
    /// The number of stored entries (or blocks) does not fit the index type.
    case tooManyEntries(count: Int, indexType: String)
    /// An array has the wrong length.
    case lengthMismatch(array: String, expected: Int, actual: Int)
    /// The first offset is not 0.
    case offsetsMustStartAtZero(array: String, actual: Int)
    /// The last offset is not the number of stored entries.
    case offsetsMustEndAtEntryCount(array: String, expected: Int, actual: Int)
    /// `array[position]` is smaller than `array[position - 1]`.
    case decreasingOffsets(array: String, position: Int, previous: Int, value: Int)
    /// `array[position] = index` is outside `0..<bound`.
    case indexOutOfRange(array: String, position: Int, index: Int, bound: Int)
    /// Within one row (column, block row) of a compressed format, `array[position]` is below the index before it.
    case unsortedIndices(array: String, slice: String, sliceIndex: Int, position: Int, previous: Int, value: Int)
    /// Within one row (column, block row) of a compressed format, `array[position]` repeats the index before it.
    case duplicateIndex(array: String, slice: String, sliceIndex: Int, position: Int, index: Int)
    /// A block size is not at least 1×1, or so large that the blocks' values would overflow a byte count or
    /// not fit in the machine's physical memory.
    case invalidBlockSize(rows: Int, columns: Int)
    /// A block-sparse matrix has a non-zero value in the padding of an edge block (outside the matrix).
    case nonzeroBlockPadding(block: Int, row: Int, column: Int)
    /// A dense leading dimension is smaller than the row (or column) length.
    case invalidLeadingDimension(leadingDimension: Int, minimum: Int)
    /// Two shapes that must agree do not.
    case shapeMismatch(expectedRows: Int, expectedColumns: Int, rows: Int, columns: Int)
    /// A parameter is outside its allowed range (a density outside [0, 1], say).
    case invalidArgument(name: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidShape(rows, columns):
            return "invalid shape \(rows)×\(columns): dimensions must be non-negative"
        case let .shapeTooLarge(rows, columns, indexType):
            return "shape \(rows)×\(columns) does not fit the index type \(indexType)"
        case let .tooManyEntries(count, indexType):
            return "\(count) stored entries do not fit the index type \(indexType)"
        case let .lengthMismatch(array, expected, actual):
            return "\(array) has \(actual) elements, expected \(expected)"
        case let .offsetsMustStartAtZero(array, actual):
            return "\(array)[0] is \(actual), expected 0"
        case let .offsetsMustEndAtEntryCount(array, expected, actual):
            return "the last element of \(array) is \(actual), expected the stored-entry count \(expected)"
        case let .decreasingOffsets(array, position, previous, value):
            return "\(array)[\(position)] = \(value) is less than \(array)[\(position - 1)] = \(previous): offsets must not decrease"
        case let .indexOutOfRange(array, position, index, bound):
            return "\(array)[\(position)] = \(index) is outside 0..<\(bound)"
        case let .unsortedIndices(array, slice, sliceIndex, position, previous, value):
            return "\(array)[\(position)] = \(value) follows \(previous) in \(slice) \(sliceIndex): indices must be sorted"
        case let .duplicateIndex(array, slice, sliceIndex, position, index):
            return "\(array)[\(position)] = \(index) repeats in \(slice) \(sliceIndex): duplicate entry"
        case let .invalidBlockSize(rows, columns):
            return "invalid block size \(rows)×\(columns): both must be at least 1, and the blocks' values "
                + "must fit in memory"
        case let .nonzeroBlockPadding(block, row, column):
            return "block \(block) has a non-zero value at (\(row), \(column)), outside the matrix: padding must be zero"
        case let .invalidLeadingDimension(leadingDimension, minimum):
            return "leading dimension \(leadingDimension) is less than the minimum \(minimum)"
        case let .shapeMismatch(expectedRows, expectedColumns, rows, columns):
            return "shape \(rows)×\(columns) does not match the expected \(expectedRows)×\(expectedColumns)"
        case let .invalidArgument(name, reason):
            return "invalid \(name): \(reason)"
        }
    }
}
