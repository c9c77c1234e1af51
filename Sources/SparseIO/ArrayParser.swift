import SparseCore

/// Parses the values of an array-format file into a column-major dense matrix, mirroring symmetric and
/// skew-symmetric files (whose values are the lower triangle, column by column; skew-symmetric files omit
/// the zero diagonal). Serial: array files are rarely large enough to split.
func _parseArray<V: _MatrixMarketValue>(
    _ base: UnsafePointer<UInt8>, count n: Int, _ parsed: _ParsedHeader
) throws(MatrixMarketError) -> DenseMatrix<V> {
    let h = parsed.header
    let rows = h.rows, columns = h.columns, total = h.entries
    let ld = Swift.max(1, rows)
    // Exactly rows × columns: none when either is 0 (as DenseMatrix stores them).
    let (elements, overflow) = rows == 0 || columns == 0 ? (0, false) : columns.multipliedReportingOverflow(by: ld)
    // A general array file holds every element; a symmetric one at least a quarter of them. Only an empty
    // shape (0 × n) could ask for more than the file holds: allow it a small constant.
    let remaining = n - parsed.dataStart
    let limit = 4 &* (total &+ remaining &+ 1) &+ 4096
    if overflow || elements > limit {
        let bytes = overflow ? Int.max : elements.multipliedReportingOverflow(by: MemoryLayout<V>.stride).partialValue
        throw MatrixMarketError(line: parsed.lines, .allocationTooLarge(
            rows: rows, columns: columns, format: "dense", bytes: bytes, limit: limit * MemoryLayout<V>.stride))
    }
    let symmetric = h.symmetry == .symmetric, skew = h.symmetry == .skewSymmetric
    let integer = h.field == .integer
    var i = skew ? 1 : 0, j = 0
    var k = 0
    var p = parsed.dataStart
    var line = parsed.lines
    let buffer = try SparseBuffer<V>(unsafeUninitializedCount: elements) { (e) throws(MatrixMarketError) in
        e.initialize(repeating: 0)
        while p < n {
            let lineEnd = _lineEnd(base, p, n)
            line += 1
            defer { p = lineEnd + 1 }
            var q = p
            while q < lineEnd && _isBlank(base[q]) { q += 1 }
            if q == lineEnd || base[q] == UInt8(ascii: "%") { continue }
            if k == total { throw MatrixMarketError(line: line, .tooManyEntries(expected: total)) }
            // One token: from q to the next blank, then nothing but blanks.
            var t = q
            while t < lineEnd && !_isBlank(base[t]) { t += 1 }
            var rest = t
            while rest < lineEnd && _isBlank(base[rest]) { rest += 1 }
            if rest != lineEnd {
                let found = _tokens(base, q, lineEnd).count
                throw MatrixMarketError(line: line, .wrongTokenCount(expected: 1, found: found, layout: "value"))
            }
            let token = q..<t
            let value: V
            if integer {
                value = try _parseIntegerValue(base, token.lowerBound, token.upperBound, line: line)
            } else if let v = V._parseDecimal(base, token.lowerBound, token.upperBound), v.isFinite {
                value = v
            } else {
                value = try _parseRealSlowPath(base, token.lowerBound, token.upperBound, line: line)
            }
            e[j &* ld &+ i] = value
            if symmetric && i != j { e[i &* ld &+ j] = value }
            if skew { e[i &* ld &+ j] = -value }
            k += 1
            i += 1
            if i == rows {
                j += 1
                i = symmetric ? j : (skew ? j + 1 : 0)
            }
        }
    }
    if k < total { throw MatrixMarketError(line: line, .tooFewEntries(expected: total, found: k)) }
    return DenseMatrix(uncheckedRows: rows, columns: columns, layout: .columnMajor, leadingDimension: ld,
                       elements: buffer)
}
