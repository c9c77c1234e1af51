import Testing
import SparseCore
import SparsePruning

@Suite("Pruning keeps exactly the expected entries")
struct PruningTests {
    let a = try! DenseMatrix<Double>([
        [0.5, -3, 1],
        [2, 0, -2],
        [0.1, 4, -0.2],
    ])
    // Squares sum to 0.25 + 9 + 1 + 4 + 4 + 0.01 + 16 + 0.04 = 34.3.
    let totalSquares = 34.3

    @Test func magnitudeToADensityBreaksTiesByPosition() throws {
        // 3 of 9: magnitudes 4, 3, then a tie at 2 between (1, 0) and (1, 2); the earlier, (1, 0), is kept.
        let p = try Pruning.magnitude(a, density: 3.0 / 9)
        #expect(p.matrix.dense() == (try DenseMatrix<Double>([[0, -3, 0], [2, 0, 0], [0, 4, 0]])))
        #expect(p.report.keptEntries == 3)
        #expect(p.report.originalNonzeros == 8)
        #expect(abs(p.report.removedRelativeNorm - ((totalSquares - 29) / totalSquares).squareRoot()) < 1e-15)
        #expect(p.report.before == a.footprint)
        #expect(p.report.after == p.matrix.footprint)
        // 4 of 9 keeps both tied values.
        let q = try Pruning.magnitude(a, density: 4.0 / 9)
        #expect(q.matrix.dense() == (try DenseMatrix<Double>([[0, -3, 0], [2, 0, -2], [0, 4, 0]])))
        // Asking for more than the non-zeros keeps them all, and nothing is removed.
        let all = try Pruning.magnitude(a, density: 1)
        #expect(all.matrix.dense() == a)
        #expect(all.report.removedRelativeNorm == 0)
        let none = try Pruning.magnitude(a, density: 0)
        #expect(none.matrix.storedCount == 0)
        #expect(abs(none.report.removedRelativeNorm - 1) < 1e-15)
    }

    @Test func magnitudeWorksOnColumnMajorInput() throws {
        let p = try Pruning.magnitude(a.dense(layout: .columnMajor), density: 3.0 / 9)
        #expect(p.matrix.dense() == (try DenseMatrix<Double>([[0, -3, 0], [2, 0, 0], [0, 4, 0]])))
    }

    @Test func thresholdKeepsLargerMagnitudesAndNaN() throws {
        let p = try Pruning.magnitude(a, threshold: 1.0)
        #expect(p.matrix.dense() == (try DenseMatrix<Double>([[0, -3, 0], [2, 0, -2], [0, 4, 0]])))
        let withNaN = try DenseMatrix<Double>([[0.1, .nan], [5, 0.2]])
        let q = try Pruning.magnitude(withNaN, density: 0.25)
        #expect(q.matrix.storedCount == 1)
        #expect(q.matrix[0, 1].isNaN)
    }

    @Test func blockPruningKeepsTheLargestBlocks() throws {
        let w = try DenseMatrix<Double>([
            [1, 1, 0, 5],
            [1, 1, 0, 0],
            [2, 0, 0.5, 0.5],
            [0, 0, 0.5, 0.5],
        ])
        // 2×2 Frobenius² per block: (0,0) 4, (0,1) 25, (1,0) 4, (1,1) 1. Half the blocks: (0,1), then the tie
        // between (0,0) and (1,0) goes to (0,0), earlier in block order.
        let f = try Pruning.blocks(w, blockRows: 2, blockColumns: 2, density: 0.5)
        #expect(f.matrix.dense() == (try DenseMatrix<Double>([[1, 1, 0, 5], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])))
        #expect(f.matrix.blockCount == 2)
        // Max norm: (0,1) 5, (1,0) 2, (0,0) 1, (1,1) 0.5.
        let m = try Pruning.blocks(w, blockRows: 2, blockColumns: 2, density: 0.5, norm: .max)
        #expect(m.matrix.dense() == (try DenseMatrix<Double>([[0, 0, 0, 5], [0, 0, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0]])))
        #expect(m.report.keptEntries == 2)
    }

    @Test(arguments: [(4, 4), (2, 2), (8, 8), (3, 5)])
    func blockPruningOfDenseWeightsHasUnitFill(_ size: (Int, Int)) throws {
        let (r, c) = size
        var rng = SplitMix64(seed: 42)
        let weights = DenseMatrix<Float>(rows: 12 * r, columns: 10 * c) { _, _ in Float(rng.nextNonzeroValue()) }
        for density in [0.05, 0.25, 0.6] {
            let p = try Pruning.blocks(weights, blockRows: r, blockColumns: c, density: density)
            #expect(p.matrix.fill.fillRatio == 1)
            #expect(p.matrix.blockCount == Int((density * 120).rounded()))
            #expect(p.report.keptEntries == p.matrix.blockCount * r * c)
            // Every kept value equals the weight it came from.
            p.matrix.forEachStoredEntry { i, j, v in #expect(v == weights[i, j]) }
        }
    }

    @Test func nOfMKeepsTheLargestInEachGroup() throws {
        let row = try DenseMatrix<Double>([[1, -5, 3, 0.5, 2, 2, 2, 7, 9]])
        let p = try Pruning.nOfM(row, n: 2, m: 4)
        // Groups: [1, -5, 3, 0.5] keeps -5 and 3; [2, 2, 2, 7] keeps 7 and the first 2; [9] keeps 9.
        #expect(p.matrix.dense().rowArrays == [[0, -5, 3, 0, 2, 0, 0, 7, 9]])
        #expect(p.report.method == .nOfM(n: 2, m: 4))
        #expect(throws: SparseError.self) { _ = try Pruning.nOfM(row, n: 5, m: 4) }
    }

    @Test(arguments: [(2, 4), (1, 4), (4, 8), (1, 1)])
    func nOfMHoldsItsBoundOnEveryWindow(_ nm: (Int, Int)) throws {
        let (n, m) = nm
        var rng = SplitMix64(seed: 3)
        let weights = DenseMatrix<Double>(rows: 17, columns: 37) { _, _ in rng.nextUnit() < 0.1 ? 0 : rng.nextNonzeroValue() }
        let p = try Pruning.nOfM(weights, n: n, m: m)
        let d = p.matrix.dense()
        for i in 0..<17 {
            for g in stride(from: 0, to: 37, by: m) {
                let group = (g..<min(g + m, 37))
                let kept = group.filter { d[i, $0] != 0 }
                let nonzero = group.filter { weights[i, $0] != 0 }
                #expect(kept.count == min(n, nonzero.count))
                // Every kept value is at least as large as every dropped one in its group.
                let smallestKept = kept.map { abs(weights[i, $0]) }.min() ?? .infinity
                let largestDropped = nonzero.filter { d[i, $0] == 0 }.map { abs(weights[i, $0]) }.max() ?? 0
                #expect(smallestKept >= largestDropped)
                for j in kept { #expect(d[i, j] == weights[i, j]) }
            }
        }
    }
}

@Suite("Reduced precision")
struct ReducedPrecisionTests {
    @Test func float16RoundTripsWithinItsPrecision() throws {
        var rng = SplitMix64(seed: 8)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 50, columns: 40, density: 0.2, seed: 8)
        // Magnitudes in [2⁻¹¹, 2¹⁰): inside Float16's normal range.
        let scaled = a.mapValues { v in
            Double(sign: v < 0 ? .minus : .plus, exponent: Int(rng.nextUnit() * 20) - 10, significand: 1 + rng.nextUnit())
        }
        let (half, report) = scaled.convertingValues(to: Float16.self)
        #expect(half.pattern == scaled.pattern)
        var maxRel = 0.0, maxAbs = 0.0
        for p in 0..<scaled.storedCount {
            let x = scaled.values[p], y = Double(half.values[p])
            #expect(half.values[p] == Float16(x))  // correctly rounded, once
            maxAbs = Swift.max(maxAbs, Swift.abs(y - x))
            maxRel = Swift.max(maxRel, Swift.abs(y - x) / Swift.abs(x))
        }
        // Normal Float16 values round with relative error at most 2⁻¹¹.
        #expect(maxRel <= 0x1p-11)
        #expect(report.maxRelativeError == maxRel)
        #expect(report.maxAbsoluteError == maxAbs)
        #expect(report.overflowCount == 0 && report.flushedToZeroCount == 0)
        #expect(half.footprint.valueBytes == 2 * half.storedCount)
    }

    @Test func overflowAndUnderflowAreCounted() throws {
        let d = try DenseMatrix<Double>([[1e5, 1e-9], [-70000, 0.25]])
        let (h, report) = d.convertingValues(to: Float16.self)
        #expect(report.overflowCount == 2)
        #expect(report.flushedToZeroCount == 1)
        #expect(h[0, 0] == .infinity && h[1, 0] == -.infinity && h[1, 1] == 0.25)
        let bsr = try d.blockSparse(blockRows: 2, blockColumns: 2)
        #expect(bsr.convertingValues(to: Float16.self).report.overflowCount == 2)
    }
}

/// Thresholds and group or block sizes at the edges: NaN survives an infinite threshold, a NaN threshold is an
/// error, and n:m and block pruning with sizes near Int.max answer without trapping or reserving Int.max.
@Suite("Pruning at the edges")
struct PruningEdgeTests {
    static let a = DenseMatrix<Double>(rows: 2, columns: 3) { i, j in i == 1 && j == 2 ? .nan : Double(i * 3 + j) - 2 }

    @Test func thresholds() throws {
        let kept = try Pruning.magnitude(Self.a, threshold: .infinity).matrix
        #expect(kept.storedCount == 1 && kept[1, 2].isNaN)
        #expect(throws: SparseError.self) { try Pruning.magnitude(Self.a, threshold: .nan) }
        #expect(throws: SparseError.self) { try Self.a.csr(threshold: .nan) }
    }

    @Test func hugeGroupsAndBlocks() throws {
        let all = try Pruning.nOfM(Self.a, n: 1, m: Int.max).matrix
        #expect(all.storedCount == 2)  // one per row: the largest magnitude (NaN counts as the largest)
        #expect(all[0, 0] == -2 && all[1, 2].isNaN)
        let tall = try Pruning.blocks(Self.a, blockRows: 4, blockColumns: 1, density: 1)
        #expect(tall.matrix.blockCount == 3 && tall.matrix[1, 0] == 1)
        #expect(throws: SparseError.self) {
            try Pruning.blocks(Self.a, blockRows: Int.max, blockColumns: 1, density: 1)
        }
        #expect(throws: SparseError.self) {
            try Pruning.blocks(Self.a, blockRows: 1 << 32, blockColumns: 1 << 32, density: 1)
        }
    }
}
