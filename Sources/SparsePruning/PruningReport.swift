import SparseCore

/// How a pruning kept its entries.
public enum PruningMethod: Hashable, Sendable, CustomStringConvertible {
    /// The largest magnitudes, to a target density.
    case magnitude
    /// Every value with `|v| > threshold`.
    case threshold(Double)
    /// Whole r×c blocks with the largest norm, to a target density.
    case block(rows: Int, columns: Int, norm: BlockNorm)
    /// At most n non-zeros in every m consecutive entries of a row (n:m structured sparsity, e.g. 2:4).
    case nOfM(n: Int, m: Int)

    public var description: String {
        switch self {
        case .magnitude: return "magnitude"
        case let .threshold(t): return "threshold \(t)"
        case let .block(r, c, norm): return "block \(r)×\(c) (\(norm))"
        case let .nOfM(n, m): return "\(n):\(m)"
        }
    }
}

/// The norm that ranks blocks in block pruning.
public enum BlockNorm: Hashable, Sendable, CustomStringConvertible {
    /// √(Σ v²) over the block.
    case frobenius
    /// max |v| over the block.
    case max

    public var description: String { self == .frobenius ? "Frobenius" : "max" }
}

/// What a pruning kept, what it removed, and what it saved.
public struct PruningReport: Hashable, Sendable, CustomStringConvertible {
    /// The method used.
    public var method: PruningMethod
    /// Rows of the matrix.
    public var rows: Int
    /// Columns of the matrix.
    public var columns: Int
    /// Non-zero values in the input.
    public var originalNonzeros: Int
    /// Entries kept (non-zero values in the result; block pruning stores whole blocks, see `after`).
    public var keptEntries: Int
    /// ‖A − P‖_F / ‖A‖_F: the relative Frobenius norm of what was removed (0 for a zero input).
    public var removedRelativeNorm: Double
    /// The dense input's footprint.
    public var before: MemoryFootprint
    /// The pruned matrix's footprint.
    public var after: MemoryFootprint

    /// Creates a report.
    public init(method: PruningMethod, rows: Int, columns: Int, originalNonzeros: Int, keptEntries: Int,
                removedRelativeNorm: Double, before: MemoryFootprint, after: MemoryFootprint)
    {
        self.method = method
        self.rows = rows
        self.columns = columns
        self.originalNonzeros = originalNonzeros
        self.keptEntries = keptEntries
        self.removedRelativeNorm = removedRelativeNorm
        self.before = before
        self.after = after
    }

    /// Kept entries over `rows × columns` (0 for an empty shape).
    public var density: Double { rows * columns == 0 ? 0 : Double(keptEntries) / Double(rows * columns) }

    /// Bytes saved against the input (negative when pruning at this density costs memory).
    public var savedBytes: Int { before.totalBytes - after.totalBytes }

    public var description: String {
        func f(_ x: Double, _ digits: Double = 1000) -> String { String(Double(Int((x * digits).rounded())) / digits) }
        return "\(method): kept \(keptEntries) of \(originalNonzeros) (density \(f(density, 10000))), "
            + "removed ‖·‖F \(f(removedRelativeNorm, 10000)), \(before.totalBytes) → \(after.totalBytes) bytes "
            + "(\(f(Double(after.totalBytes) / Double(Swift.max(before.totalBytes, 1))))× )"
    }
}

/// A pruned matrix with its report.
public struct Pruned<Matrix: MatrixStorage>: Sendable {
    /// The sparse result.
    public var matrix: Matrix
    /// What was kept and saved.
    public var report: PruningReport

    /// Pairs a matrix with its report.
    public init(matrix: Matrix, report: PruningReport) {
        self.matrix = matrix
        self.report = report
    }
}

/// √(removed / total), or 0 when the input is zero.
@inlinable
func _relativeNorm(removedSquares: Double, totalSquares: Double) -> Double {
    totalSquares > 0 ? (removedSquares / totalSquares).squareRoot() : 0
}

/// Non-zero elements of a dense matrix.
@inlinable
func _nonzeroCount<S: SparseScalar>(_ a: DenseMatrix<S>) -> Int {
    var n = 0
    a.forEachStoredEntry { _, _, v in if v != 0 { n &+= 1 } }
    return n
}

@inlinable
func _checkDensity(_ density: Double) throws(SparseError) {
    guard density >= 0, density <= 1 else {
        throw .invalidArgument(name: "density", reason: "\(density) is outside [0, 1]")
    }
}
