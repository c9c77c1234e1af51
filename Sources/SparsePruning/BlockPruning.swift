import SparseCore

extension Pruning {
    /// Keeps the r×c blocks with the largest norm, `round(density × block count)` of them (fewer if fewer
    /// blocks are non-zero), as block-sparse: dense-blocked by construction, so BSR kernels apply.
    ///
    /// The block grid covers the matrix from (0, 0); edge blocks of a shape that r or c does not divide are
    /// ranked by their in-bounds values and padded with zeros. Ties go to the earlier block in row-major
    /// block order; a block whose norm is NaN ranks first.
    @inlinable
    public static func blocks<S: SparseScalar, I: SparseIndex>(
        _ a: DenseMatrix<S>, blockRows r: Int, blockColumns c: Int, density: Double, norm: BlockNorm = .frobenius,
        indexType: I.Type = Int32.self
    ) throws(SparseError) -> Pruned<BlockSparseMatrix<S, I>> {
        try _checkDensity(density)
        guard r >= 1, c >= 1 else { throw .invalidBlockSize(rows: r, columns: c) }
        let a = a.dense(layout: .rowMajor)
        let rows = a.rows, columns = a.columns, ld = a.leadingDimension
        // ⌈rows / r⌉ and ⌈columns / c⌉ without overflow.
        let nbr = rows / r + (rows % r == 0 ? 0 : 1), nbc = columns / c + (columns % c == 0 ? 0 : 1)
        let blockTotal = nbr * nbc
        // Score every block.
        var scores = [Double](repeating: 0, count: blockTotal)
        var nonzeros = 0
        var total = 0.0
        a.elements.withUnsafeBufferPointer { p in
            for i in 0..<rows {
                for j in 0..<columns {
                    let v = p[i &* ld &+ j]
                    guard v != 0 else { continue }
                    nonzeros += 1
                    let x = Double(v)
                    total += x * x
                    let b = (i / r) * nbc + j / c
                    switch norm {
                    case .frobenius: scores[b] += v.isNaN ? .infinity : x * x
                    case .max: scores[b] = Swift.max(scores[b], _rank(v))
                    }
                }
            }
        }
        let candidates = scores.reduce(0) { $1 > 0 ? $0 + 1 : $0 }
        let keep = Swift.min(Int((density * Double(blockTotal)).rounded()), candidates)
        var kept = [Bool](repeating: false, count: blockTotal)
        if keep > 0 {
            var scratch = scores
            let threshold = _select(&scratch, kth: keep - 1)
            var ties = keep - scores.reduce(0) { $1 > threshold ? $0 + 1 : $0 }
            for b in 0..<blockTotal where scores[b] > 0 {
                if scores[b] > threshold { kept[b] = true } else if scores[b] == threshold && ties > 0 {
                    kept[b] = true
                    ties -= 1
                }
            }
        }
        // Assemble the block pattern and values.
        let blockCount = kept.reduce(0) { $1 ? $0 + 1 : $0 }
        try I.checkAddressable(rows: nbr, columns: nbc, entries: blockCount)
        let perBlock = r.multipliedReportingOverflow(by: c)
        let valueCount = blockCount.multipliedReportingOverflow(by: perBlock.partialValue)
        let bytes = valueCount.partialValue.multipliedReportingOverflow(by: MemoryLayout<S>.stride)
        if perBlock.overflow || valueCount.overflow || bytes.overflow { throw .invalidBlockSize(rows: r, columns: c) }
        var offsets = [I](repeating: 0, count: nbr + 1)
        var indices = [I]()
        indices.reserveCapacity(blockCount)
        var values = [S](repeating: 0, count: blockCount * r * c)
        var removed = 0.0, keptEntries = 0
        a.elements.withUnsafeBufferPointer { p in
            for br in 0..<nbr {
                for bc in 0..<nbc {
                    let b = br * nbc + bc
                    let slot = indices.count
                    if kept[b] { indices.append(I(truncatingIfNeeded: bc)) }
                    for ii in 0..<r where br * r + ii < rows {
                        for jj in 0..<c where bc * c + jj < columns {
                            let v = p[(br * r + ii) &* ld &+ bc * c + jj]
                            if kept[b] {
                                values[(slot * r + ii) * c + jj] = v
                                if v != 0 { keptEntries += 1 }
                            } else if v != 0 {
                                let x = Double(v)
                                removed += x * x
                            }
                        }
                    }
                }
                offsets[br + 1] = I(truncatingIfNeeded: indices.count)
            }
        }
        let pattern = CompressedPattern(uncheckedMajorCount: nbr, minorCount: nbc, offsets: SparseBuffer(offsets),
                                        indices: SparseBuffer(indices))
        let m = BlockSparseMatrix(uncheckedRows: rows, columns: columns, blockRows: r, blockColumns: c,
                                  pattern: pattern, values: SparseBuffer(values))
        let report = PruningReport(method: .block(rows: r, columns: c, norm: norm), rows: rows, columns: columns,
                                   originalNonzeros: nonzeros, keptEntries: keptEntries,
                                   removedRelativeNorm: _relativeNorm(removedSquares: removed, totalSquares: total),
                                   before: a.footprint, after: m.footprint)
        return Pruned(matrix: m, report: report)
    }
}
