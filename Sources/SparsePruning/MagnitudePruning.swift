import SparseCore

/// Pruning: turn dense weights into sparse storage, keeping what matters most.
///
/// Every method reads a ``DenseMatrix`` and returns the sparse result with a ``PruningReport``. Values are kept
/// exactly (no rescaling). Ties are broken deterministically: among equal magnitudes (norms), the earlier
/// position in row-major order (block order, column order) is kept. NaN ranks above every number, so it is
/// never silently pruned.
public enum Pruning {}

extension Pruning {
    /// Keeps the `round(density × rows × columns)` largest magnitudes (fewer if the matrix has fewer non-zeros),
    /// as CSR.
    @inlinable
    public static func magnitude<S: SparseScalar, I: SparseIndex>(
        _ a: DenseMatrix<S>, density: Double, indexType: I.Type
    ) throws(SparseError) -> Pruned<CSRMatrix<S, I>> {
        try _checkDensity(density)
        let a = a.dense(layout: .rowMajor)  // no copy when already packed row-major
        let target = Int((density * Double(a.rows * a.columns)).rounded())
        // Magnitudes of the non-zero elements (NaN as +∞), in row-major order.
        var magnitudes = [Double]()
        a.forEachStoredEntry { _, _, v in if v != 0 { magnitudes.append(_rank(v)) } }
        let nonzeros = magnitudes.count
        let keep = Swift.min(target, nonzeros)
        // The keep-th largest magnitude is the threshold; ties at it go to the earliest positions.
        var threshold = Double.infinity
        var tiesAllowed = 0
        if keep > 0 {
            var scratch = magnitudes
            threshold = _select(&scratch, kth: keep - 1)
            let above = magnitudes.reduce(0) { $1 > threshold ? $0 + 1 : $0 }
            tiesAllowed = keep - above
        }
        var ties = tiesAllowed
        var position = 0
        let result = try _pruneToCSR(a, indexType: I.self, method: .magnitude, nonzeros: nonzeros) { _, _, v in
            let m = magnitudes[position]
            position += 1
            if keep == 0 { return false }
            if m > threshold { return true }
            if m == threshold && ties > 0 { ties -= 1; return true }
            return false
        }
        return result
    }

    /// ``magnitude(_:density:indexType:)`` with `Int32` indices.
    @inlinable
    public static func magnitude<S: SparseScalar>(_ a: DenseMatrix<S>, density: Double) throws(SparseError)
        -> Pruned<CSRMatrix<S, Int32>>
    {
        try magnitude(a, density: density, indexType: Int32.self)
    }

    /// Keeps every value with `|v| > threshold` (and NaN, whatever the threshold), as CSR; a NaN threshold is an
    /// ``SparseError/invalidArgument(name:reason:)`` error.
    @inlinable
    public static func magnitude<S: SparseScalar, I: SparseIndex>(
        _ a: DenseMatrix<S>, threshold: S, indexType: I.Type = Int32.self
    ) throws(SparseError) -> Pruned<CSRMatrix<S, I>> {
        if threshold.isNaN { throw .invalidArgument(name: "threshold", reason: "is NaN") }
        let nonzeros = _nonzeroCount(a)
        let t = Double(threshold)
        // NaN is kept even above an infinite threshold.
        return try _pruneToCSR(a, indexType: I.self, method: .threshold(t), nonzeros: nonzeros) { _, _, v in
            v.isNaN || _rank(v) > t
        }
    }
}

/// The rank of a value in magnitude pruning: |v|, with NaN above every number.
@inlinable @inline(__always)
func _rank<S: SparseScalar>(_ v: S) -> Double {
    v.isNaN ? .infinity : Double(v.magnitude)
}

/// Builds CSR from the non-zero elements `keep` accepts (called once per non-zero, in row-major order), with a
/// report.
@inlinable
func _pruneToCSR<S: SparseScalar, I: SparseIndex>(
    _ a: DenseMatrix<S>, indexType: I.Type, method: PruningMethod, nonzeros: Int,
    _ keep: (Int, Int, S) -> Bool
) throws(SparseError) -> Pruned<CSRMatrix<S, I>> {
    // The shape first: its offsets are allocated next.
    try I.checkAddressable(rows: a.rows, columns: a.columns, entries: 0)
    var offsets = [I](repeating: 0, count: a.rows + 1)
    var columns = [I](), values = [S]()
    var total = 0.0, removed = 0.0
    let rowMajor = a.dense(layout: .rowMajor)
    let ld = rowMajor.leadingDimension
    rowMajor.elements.withUnsafeBufferPointer { p in
        for i in 0..<a.rows {
            for j in 0..<a.columns {
                let v = p[i &* ld &+ j]
                guard v != 0 else { continue }
                let x = Double(v)
                total += x * x
                if keep(i, j, v) {
                    columns.append(I(truncatingIfNeeded: j))
                    values.append(v)
                } else {
                    removed += x * x
                }
            }
            offsets[i + 1] = I(truncatingIfNeeded: columns.count)
        }
    }
    try I.checkAddressable(rows: a.rows, columns: a.columns, entries: values.count)
    let m = CSRMatrix(uncheckedRows: a.rows, columns: a.columns, rowOffsets: SparseBuffer(offsets),
                      columnIndices: SparseBuffer(columns), values: SparseBuffer(values))
    let report = PruningReport(method: method, rows: a.rows, columns: a.columns, originalNonzeros: nonzeros,
                               keptEntries: values.count,
                               removedRelativeNorm: _relativeNorm(removedSquares: removed, totalSquares: total),
                               before: a.footprint, after: m.footprint)
    return Pruned(matrix: m, report: report)
}

/// The k-th largest value (0-based) of `values`, reordering them (quickselect, median-of-three pivots).
@inlinable
func _select(_ values: inout [Double], kth k: Int) -> Double {
    var lo = 0, hi = values.count - 1
    return values.withUnsafeMutableBufferPointer { v in
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three, in descending order.
            if v[mid] > v[lo] { v.swapAt(mid, lo) }
            if v[hi] > v[lo] { v.swapAt(hi, lo) }
            if v[hi] > v[mid] { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] > pivot { i += 1 }
                while v[j] < pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
        }
        return v[k]
    }
}
