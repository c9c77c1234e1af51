import SparseCore

/// What converting values to a narrower scalar cost.
public struct RoundingReport: Hashable, Sendable, CustomStringConvertible {
    /// Values converted.
    public var valueCount: Int
    /// max |converted − original| over finite values that stayed finite.
    public var maxAbsoluteError: Double
    /// max |converted − original| / |original| over non-zero finite values that stayed finite.
    public var maxRelativeError: Double
    /// Finite values that became ±∞ (beyond the target's range).
    public var overflowCount: Int
    /// Non-zero values that became zero (below the target's smallest subnormal).
    public var flushedToZeroCount: Int

    /// Creates a report.
    public init(valueCount: Int, maxAbsoluteError: Double, maxRelativeError: Double, overflowCount: Int,
                flushedToZeroCount: Int)
    {
        self.valueCount = valueCount
        self.maxAbsoluteError = maxAbsoluteError
        self.maxRelativeError = maxRelativeError
        self.overflowCount = overflowCount
        self.flushedToZeroCount = flushedToZeroCount
    }

    public var description: String {
        "\(valueCount) values: max abs error \(maxAbsoluteError), max rel error \(maxRelativeError), "
            + "\(overflowCount) overflowed, \(flushedToZeroCount) flushed to zero"
    }
}

/// Converts a value buffer to another scalar (each value correctly rounded once), measuring the error.
@inlinable
func _convertValues<S: SparseScalar, T: SparseScalar>(_ values: SparseBuffer<S>, to: T.Type)
    -> (SparseBuffer<T>, RoundingReport)
{
    var report = RoundingReport(valueCount: values.count, maxAbsoluteError: 0, maxRelativeError: 0,
                                overflowCount: 0, flushedToZeroCount: 0)
    let out = SparseBuffer<T>(unsafeUninitializedCount: values.count) { dst in
        values.withUnsafeBufferPointer { src in
            for p in 0..<src.count {
                let x = src[p]
                let y = T(x)
                dst[p] = y
                guard x.isFinite else { continue }
                if !y.isFinite { report.overflowCount += 1; continue }
                if x != 0 && y == 0 { report.flushedToZeroCount += 1 }
                let error = Swift.abs(Double(y) - Double(x))
                report.maxAbsoluteError = Swift.max(report.maxAbsoluteError, error)
                if x != 0 { report.maxRelativeError = Swift.max(report.maxRelativeError, error / Swift.abs(Double(x))) }
            }
        }
    }
    return (out, report)
}

extension CSRMatrix {
    /// The same pattern with values converted to `T` (e.g. `Float16` storage), and the rounding error.
    @inlinable
    public func convertingValues<T: SparseScalar>(to: T.Type) -> (matrix: CSRMatrix<T, Index>, report: RoundingReport) {
        let (v, report) = _convertValues(values, to: T.self)
        return (CSRMatrix<T, Index>(uncheckedPattern: pattern, values: v), report)
    }
}

extension BlockSparseMatrix {
    /// The same blocks with values converted to `T` (e.g. `Float16` storage), and the rounding error.
    @inlinable
    public func convertingValues<T: SparseScalar>(to: T.Type) -> (matrix: BlockSparseMatrix<T, Index>, report: RoundingReport) {
        let (v, report) = _convertValues(values, to: T.self)
        return (BlockSparseMatrix<T, Index>(uncheckedRows: rows, columns: columns, blockRows: blockRows,
                                            blockColumns: blockColumns, pattern: pattern, values: v), report)
    }
}

extension DenseMatrix {
    /// The same matrix with elements converted to `T`, and the rounding error.
    @inlinable
    public func convertingValues<T: SparseScalar>(to: T.Type) -> (matrix: DenseMatrix<T>, report: RoundingReport) {
        let (v, report) = _convertValues(elements, to: T.self)
        return (DenseMatrix<T>(uncheckedRows: rows, columns: columns, layout: layout,
                               leadingDimension: leadingDimension, elements: v), report)
    }
}
