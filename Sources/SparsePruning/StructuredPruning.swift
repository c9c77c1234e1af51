import SparseCore

extension Pruning {
    /// N:M structured pruning: in every group of `m` consecutive entries of a row (columns `g·m ..< g·m + m`;
    /// the last group may be shorter), keeps at most `n` — the largest magnitudes, ties to the lower column —
    /// as CSR. 2:4 is the common case.
    ///
    /// Stored as CSR: each row then holds at most `n · ⌈columns / m⌉` entries, and the CSR kernels apply.
    @inlinable
    public static func nOfM<S: SparseScalar, I: SparseIndex>(
        _ a: DenseMatrix<S>, n: Int, m: Int, indexType: I.Type = Int32.self
    ) throws(SparseError) -> Pruned<CSRMatrix<S, I>> {
        guard m >= 1, n >= 0, n <= m else {
            throw .invalidArgument(name: "n:m", reason: "\(n):\(m) needs 0 ≤ n ≤ m and m ≥ 1")
        }
        let a = a.dense(layout: .rowMajor)
        // Decide per group which columns survive, then let the shared builder assemble CSR.
        var keepMask = [Bool](repeating: false, count: a.rows * a.columns)
        var group = [(magnitude: Double, column: Int)]()
        group.reserveCapacity(Swift.min(m, a.columns))
        let ld = a.leadingDimension
        var nonzeros = 0
        a.elements.withUnsafeBufferPointer { p in
            for i in 0..<a.rows {
                var g = 0
                while g < a.columns {
                    group.removeAll(keepingCapacity: true)
                    for j in g..<Swift.min(g + m, a.columns) {
                        let v = p[i &* ld &+ j]
                        if v != 0 { group.append((_rank(v), j)); nonzeros += 1 }
                    }
                    group.sort { $0.magnitude > $1.magnitude || ($0.magnitude == $1.magnitude && $0.column < $1.column) }
                    for e in group.prefix(n) { keepMask[i * a.columns + e.column] = true }
                    g += m
                }
            }
        }
        return try _pruneToCSR(a, indexType: I.self, method: .nOfM(n: n, m: m), nonzeros: nonzeros) { i, j, _ in
            keepMask[i * a.columns + j]
        }
    }
}
