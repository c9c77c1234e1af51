import Foundation
import SwiftSparse
import Testing
@testable import sparse_bench

@Suite struct BenchPartsTests {
    @Test func timingSummaryStatistics() {
        let odd = TimingSummary(samples: [3, 1, 2])
        #expect((odd.median, odd.min, odd.max, odd.reps) == (2, 1, 3, 3))
        #expect(TimingSummary(samples: [4, 1, 2, 3]).median == 2.5)
    }

    @Test func timingPolicyRunsWarmupAndAtLeastTheMinimumReps() {
        var calls = 0
        let t = TimingPolicy(warmup: 2, minReps: 3, minTime: 0).measure { calls += 1 }
        #expect(calls == 5)
        #expect(t.reps == 3)
    }

    @Test func crossoverInterpolatesInLogLog() throws {
        // Ratios 0.5 at 10% and 2 at 100%: the log-log midpoint, √0.1.
        let o = try #require(CrossoverAnalysis.outcome([(0.01, 0.1), (0.1, 0.5), (1.0, 2.0)]))
        guard case let .crossed(below, above, estimate) = o else { Issue.record("\(o)"); return }
        #expect(below == 0.1 && above == 1.0)
        #expect(abs(estimate - 0.1.squareRoot()) < 1e-12)
        #expect(CrossoverAnalysis.outcome([(0.01, 1.5), (0.1, 0.5)]) == .neverWins(from: 0.01))
        #expect(CrossoverAnalysis.outcome([(0.01, 0.2), (0.1, 0.5)]) == .winsThroughout(upTo: 0.1))
        #expect(CrossoverAnalysis.outcome([]) == nil)
    }

    @Test(arguments: [(100, 0.1), (2048, 0.001), (600, 0.5), (50, 1.0), (64, 0.02)])
    func bandWidthGivesTheNearestDensity(_ n: Int, _ density: Double) throws {
        let w = PatternGenerator.bandHalfWidth(size: n, density: density)
        let a = try MatrixGenerator.banded(size: n, lower: w, upper: w, scalar: Double.self, index: Int32.self)
        let target = density * Double(n * n)
        // No other half-width comes closer to the target.
        for other in [w - 1, w + 1] where other >= 0 && other < n {
            let b = try MatrixGenerator.banded(size: n, lower: other, upper: other, scalar: Double.self, index: Int32.self)
            #expect(abs(Double(a.storedCount) - target) <= abs(Double(b.storedCount) - target))
        }
    }

    @Test func stencilGrids() {
        #expect(PatternGenerator.gridSide(size: 4096, dimensions: 2) == 64)
        #expect(PatternGenerator.gridSide(size: 4096, dimensions: 3) == 16)
        #expect(PatternGenerator.gridSide(size: 1, dimensions: 3) == 1)
    }

    @Test func referenceProductMatchesAHandComputation() throws {
        // [[1, 2], [0, 3]] · [1, -1] = [-1, -3]; with X = [[1, 2], [3, 4]]: [[7, 10], [9, 12]].
        let a = try CSRMatrix<Double, Int32>(rows: 2, columns: 2, rowOffsets: [0, 2, 3], columnIndices: [0, 1, 1],
                                             values: [1, 2, 3])
        let ref = ReferenceProduct(a, x: [1, -1], xm: [1, 2, 3, 4], rhs: 2)
        #expect(ref.y == [-1, -3])
        #expect(ref.ym == [7, 10, 9, 12])
        func spmv(_ y: [Double]) -> ReferenceProduct.Mismatch? { y.withUnsafeBufferPointer { ref.checkSpMV($0) } }
        func spmm(_ y: [Double]) -> ReferenceProduct.Mismatch? { y.withUnsafeBufferPointer { ref.checkSpMM($0) } }
        #expect(spmv([-1, -3]) == nil)
        #expect(spmv([-1, -3.0001])?.row == 1)
        #expect(spmv([.nan, -3])?.row == 0)
        #expect(spmm([7, 10, 9, 12]) == nil)
        #expect(spmm([7, 10, 9.5, 12]).map { ($0.row, $0.column) } ?? (-1, -1) == (1, 0))
        // Rounding of a float kernel stays inside the bound.
        let f: [Float] = [-1 + Float.ulpOfOne, -3]
        #expect(f.withUnsafeBufferPointer { ref.checkSpMV($0) } == nil)
    }

    @Test func aWrongKernelIsReportedWrongAndNeverTimed() throws {
        let options = try SweepCommand.parse(["--rhs", "2"] + tinyTiming).options
        let runner = SweepRunner<Double, Int32>(options: options, progress: Progress(enabled: false))
        let a = try MatrixGenerator.uniform(rows: 20, columns: 20, density: 0.2, seed: 3, scalar: Double.self,
                                            index: Int32.self)
        let x = (0..<20).map { Double($0) / 10 - 1 }, xm = (0..<40).map { Double($0) / 40 }
        let ref = ReferenceProduct(a, x: x, xm: xm, rhs: 2)
        let good = runner.measure(a, reference: ref, x: x, xm: xm)
        let bad = runner.measure(OffByOneKernel(base: a), reference: ref, x: x, xm: xm)
        guard case .timed = good.spmv, case .timed = good.spmm else { Issue.record("a correct kernel failed"); return }
        guard case .wrong = bad.spmv, case .wrong = bad.spmm else { Issue.record("a wrong kernel passed"); return }
        let summary = MatrixSummary(name: "m", pattern: "uniform", path: nil, rows: 20, cols: 20, nnz: a.storedCount,
                                    density: Double(a.storedCount) / 400, targetDensity: 0.2, blockFills: [],
                                    measuredBlocks: [], notes: [])
        let triad = TriadBandwidth(arrayBytes: 8, threads: 1, timing: TimingSummary(samples: [1]))
        let records = runner.makeRecords(summary, [(FormatSpec(kind: .csr), bad)], denseMedians: [:], triad: triad)
        #expect(records.count == 2)
        for r in records {
            #expect(r.verified == false)
            #expect(r.timing == nil && r.gflops == nil)
            #expect(r.note?.contains("wrong result") == true)
        }
    }
}

extension BenchPartsTests {
    /// Speedups and time crossovers from known medians: CSR 1 ms against dense 4 ms at 1% (4× faster, ratio
    /// 0.25), CSR 4 ms against dense 2 ms at 10% (ratio 2). Log-log interpolation puts the crossover at
    /// 10^(−2 + log 4 / log 8) = 10^(−4/3) ≈ 4.64%.
    @Test func timeCrossoversComeFromTheSparseOverDenseMedians() throws {
        let options = try SweepCommand.parse(["--formats", "csr"] + tinyTiming).options
        let runner = SweepRunner<Double, Int32>(options: options, progress: Progress(enabled: false))
        let triad = TriadBandwidth(arrayBytes: 8, threads: 1, timing: TimingSummary(samples: [1]))
        func timed(_ seconds: Double) -> SweepRunner<Double, Int32>.OperationOutcome {
            .timed(TimingSummary(samples: [seconds]))
        }
        var records = [BenchRecord]()
        for (density, csr, dense) in [(0.01, 1e-3, 4e-3), (0.1, 4e-3, 2e-3)] {
            let summary = MatrixSummary(name: "m", pattern: "uniform", path: nil, rows: 100, cols: 100,
                                        nnz: Int(density * 10_000), density: density, targetDensity: density,
                                        blockFills: [], measuredBlocks: [], notes: [])
            let sparse = SweepRunner<Double, Int32>.FormatOutcome(bytes: 1, storedValues: 1, spmv: timed(csr),
                                                                  spmm: timed(csr))
            let d = SweepRunner<Double, Int32>.FormatOutcome(bytes: 80_000, storedValues: 10_000, spmv: timed(dense),
                                                             spmm: timed(dense))
            records += runner.result(summary, sparse: [(FormatSpec(kind: .csr), sparse)], dense: d, triad: triad).records
        }
        let csrSpMV = records.filter { $0.format.kind == .csr && $0.operation == .spmv }
        #expect(csrSpMV.map(\.speedupDense) == [4, 0.5])
        let crossover = try #require(CrossoverAnalysis.analyze(records).first {
            $0.format?.kind == .csr && $0.measure == .spmvTime
        })
        guard case let .crossed(below, above, estimate) = crossover.outcome else {
            Issue.record("\(crossover.outcome)")
            return
        }
        #expect(below == 0.01 && above == 0.1)
        let expected = pow(10.0, -4.0 / 3)
        #expect(abs(estimate - expected) < 1e-9 * expected)
    }
}

/// A CSR matrix whose products add 1 to the first output: a kernel bug the bench must catch.
struct OffByOneKernel: MatrixMultiplying {
    typealias Scalar = Double
    var base: CSRMatrix<Double, Int32>

    var rows: Int { base.rows }
    var columns: Int { base.columns }
    var format: StorageFormat { base.format }
    var storedCount: Int { base.storedCount }
    static var storesExplicitZeros: Bool { true }
    subscript(row: Int, column: Int) -> Double { base[row, column] }
    func forEachStoredEntry<E: Error>(_ body: (Int, Int, Double) throws(E) -> Void) throws(E) {
        try base.forEachStoredEntry(body)
    }
    var footprint: MemoryFootprint { base.footprint }
    func transposed() -> OffByOneKernel { OffByOneKernel(base: base.transposed()) }

    func multiply(_ op: MatrixOperation, alpha: Double, x: UnsafeBufferPointer<Double>, beta: Double,
                  y: UnsafeMutableBufferPointer<Double>, configuration: KernelConfiguration) {
        base.multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
        y[0] += 1
    }

    func multiply(_ op: MatrixOperation, alpha: Double, x: DenseMatrixView<Double>, beta: Double,
                  y: MutableDenseMatrixView<Double>, configuration: KernelConfiguration) {
        base.multiply(op, alpha: alpha, x: x, beta: beta, y: y, configuration: configuration)
        y[0, 0] += 1
    }
}
