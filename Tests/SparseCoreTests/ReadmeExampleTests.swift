import Foundation
import Testing
import SwiftSparse

/// The README's examples, verbatim between the markers, so they keep compiling and their claims stay true.
@Suite struct ReadmeExampleTests {
    @Test func coreExample() throws {
        // README core begins
        // A 4×4 matrix from (row, column, value) triplets; the repeated (2, 1) is summed.
        let coo = try COOMatrix<Double, Int32>(rows: 4, columns: 4, entries: [
            (0, 0, 4), (1, 1, 3), (2, 1, 1), (2, 1, 0.5), (2, 2, 5), (3, 0, -2), (3, 3, 1),
        ])
        let csr = try CSRMatrix(coo)                        // Int32 indices unless you ask for Int64
        let (bsr, fill) = try csr.blockSparseConversion(blockRows: 2, blockColumns: 2)
        let csc = try CSCMatrix<Double, Int64>(bsr)

        print(csr.footprint)   // CSR 4×4: 92 bytes (values 48, indices 24, offsets 20), 15.333 bytes/value, 0.719× dense
        print(fill)            // 2×2 blocks: 3 blocks, 12 values for 6 entries, fill ratio 2.0 (6 zeros, 48 bytes)
        print(csc.footprint)   // CSC 4×4: 136 bytes (values 48, indices 48, offsets 40), 22.667 bytes/value, 1.063× dense
        let estimate = try MemoryFootprint.estimate(format: .coo, rows: 4, columns: 4, storedEntries: 6,
                                                    scalar: Float.self, index: Int32.self)
        print(estimate.totalBytes)                          // 72: 6 × (4 + 2 × 4)
        let y = csr * [1, 1, 1, 1]                          // [4, 3, 6.5, -1]
        // README core ends

        #expect(csr.storedCount == 6 && csr[2, 1] == 1.5)
        #expect(csr.footprint.totalBytes == 92)
        #expect(fill.blockCount == 3 && fill.storedValues == 12 && fill.fillValues == 6 && fill.fillBytes == 48)
        #expect(csr.footprint.description
                == "CSR 4×4: 92 bytes (values 48, indices 24, offsets 20), 15.333 bytes/value, 0.719× dense")
        #expect(fill.description == "2×2 blocks: 3 blocks, 12 values for 6 entries, fill ratio 2.0 (6 zeros, 48 bytes)")
        #expect(csc.footprint.description
                == "CSC 4×4: 136 bytes (values 48, indices 48, offsets 40), 22.667 bytes/value, 1.063× dense")
        #expect(estimate.totalBytes == 72)
        #expect(y == [4, 3, 6.5, -1])
        #expect(csc.dense() == coo.dense())
    }

    @Test func kernelsExample() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 30, density: 0.2, seed: 4)
        let x = (0..<30).map { Double($0) / 8 }
        var y = [Double](repeating: 1, count: 30)
        let X = DenseMatrix<Double>(rows: 30, columns: 5) { i, j in Double(i - j) }
        var Y = DenseMatrix<Double>(rows: 30, columns: 5, layout: .columnMajor)
        let d = a.dense()
        // README kernels begins
        spmv(a, x, &y)                                            // y ← A·x
        spmv(alpha: 2, a, x, beta: 1, &y, op: .transpose)         // y ← 2·Aᵀ·x + y
        spmm(a, X, &Y, configuration: KernelConfiguration(threads: 1))   // Y ← A·X, X and Y DenseMatrix, any layout
        let y2 = a * x                                            // allocating sugar
        // README kernels ends
        for i in 0..<30 {
            let ax = (0..<30).reduce(0.0) { $0 + d[i, $1] * x[$1] }
            let atx = (0..<30).reduce(0.0) { $0 + d[$1, i] * x[$1] }
            #expect(abs(y2[i] - ax) <= 1e-12)
            #expect(abs(y[i] - (2 * atx + ax)) <= 1e-12)
            for k in 0..<5 {
                let e = (0..<30).reduce(0.0) { $0 + d[i, $1] * X[$1, k] }
                #expect(abs(Y[i, k] - e) <= 1e-12)
            }
        }
    }

    @Test func matrixMarketExample() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        let lfat5 = fixtures.appendingPathComponent("LFAT5.mtx").path
        let big = fixtures.appendingPathComponent("west0067.mtx").path
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("readme-\(UUID().uuidString).mtx").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        // README io begins
        let (header, a) = try MatrixMarket.read(path: lfat5, as: CSRMatrix<Double, Int32>.self)   // any format
        let (_, b) = try MatrixMarket.read(path: big, scalar: Float.self, index: Int64.self, threads: 2)   // COO
        try MatrixMarket.write(a, to: output, symmetry: .symmetric)   // throws if a is not symmetric
        // README io ends
        #expect(header.symmetry == .symmetric && a.rows == 14 && a.storedCount == 46)
        #expect(b.rows == 67 && b.storedCount == 294)
        let (_, back) = try MatrixMarket.read(path: output, as: CSRMatrix<Double, Int32>.self)
        #expect(back == a)
    }

    @Test func pruningExample() throws {
        var rng = SplitMix64(seed: 5)
        let weights = DenseMatrix<Double>(rows: 16, columns: 24) { _, _ in rng.nextNonzeroValue() }
        // README pruning begins
        let pruned = try Pruning.magnitude(weights, density: 0.1)            // CSR, the 10% largest |values|
        let blocks = try Pruning.blocks(weights, blockRows: 4, blockColumns: 4, density: 0.1)   // BSR, fill 1
        let twoFour = try Pruning.nOfM(weights, n: 2, m: 4)                  // at most 2 of every 4 in a row
        print(pruned.report)   // kept entries, removed ‖·‖F (relative), footprint before → after
        let (half, rounding) = blocks.matrix.convertingValues(to: Float16.self)   // 2-byte values, max rounding error
        // README pruning ends
        #expect(pruned.matrix.storedCount == Int((0.1 * 384).rounded()))
        #expect(blocks.matrix.fill.fillRatio == 1)
        #expect(twoFour.matrix.storedCount == 16 * 12)
        #expect(half.footprint.valueBytes == 2 * blocks.matrix.values.count)
        #expect(rounding.maxRelativeError <= 0x1p-11 || rounding.flushedToZeroCount > 0)
    }

    /// The README shows each marked block above, verbatim.
    @Test(arguments: ["core", "kernels", "io", "pruning"])
    func readmeShowsTheTestedCode(_ name: String) throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let test = try String(contentsOf: here, encoding: .utf8)
        let body = test.components(separatedBy: "// README \(name) begins\n")[1]
            .components(separatedBy: "        // README \(name) ends")[0]
        let code = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(code), "README lacks the \(name) example")
    }
}
