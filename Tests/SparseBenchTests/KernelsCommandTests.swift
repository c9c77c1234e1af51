import Foundation
import SwiftSparse
import Testing
@testable import sparse_bench

@Suite struct KernelsCommandTests {
    /// A run small enough for a debug build: 48×48 matrices, 3 rounds of 3 calls, 1 MiB streams.
    static let tiny = ["--size", "48", "--density", "0.1", "--rounds", "3", "--calls", "3", "--triad-mib", "1",
                       "--threads", "2", "--quiet"]

    /// The middle of the sorted samples (the mean of the two middle ones for an even count), computed here
    /// rather than by TimingSummary.
    static func median(_ samples: [Double]) -> Double {
        let s = samples.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    @Test func everyKernelIsVerifiedTimedInEachRoundAndCountedByHand() throws {
        let report = try KernelsCommand.parse(Self.tiny).makeReport()
        #expect(report.kernels.map(\.name) == [
            "triad", "read (dot)", "CSR SpMV Float64", "CSR SpMV Float32", "CSR SpMM Float64 k=32",
            "CSR SpMM Float64 k=128", "CSR SpMM Float64 k=32, 4 X/Y in turn", "CSR SpMM Float64 k=32 Aᵀ·X",
            "CSR SpMM Float32 k=32", "CSR SpMM Float32 k=128", KernelsReport.coldSpMM32,
            "CSR SpMV Float64 x in L1", "CSR SpMV Float32 x in L1",
            "CSR SpMV Float64 4×4-blocked", "CSR SpMV Float32 4×4-blocked", "BSR 4×4 SpMV Float64 4×4-blocked",
            KernelsReport.blockTransposedSpMV, "CSR SpMM Float64 k=32 4×4-blocked", KernelsReport.blockSpMM, KernelsReport.blockSpMM128,
            KernelsReport.stencilSpMV, KernelsReport.stencilTransposedSpMV, KernelsReport.stencilCOOTransposedSpMV,
        ])
        // 3 rounds × (3 calls − 1 untimed).
        for k in report.kernels { #expect(k.timing.reps == 6, "\(k.name)") }

        // Flops and bytes against counts made here from the same seeded matrices.
        let u: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 48, columns: 48, density: 0.1, seed: 1)
        let b: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 48, columns: 48, blockRows: 4,
                                                                     blockColumns: 4, blockDensity: 0.1, seed: 1)
        let nnz = Double(u.storedCount)
        let spmv64 = try #require(report["CSR SpMV Float64"])
        #expect(spmv64.flops == 2 * nnz)
        #expect(spmv64.bytes == 12 * nnz + 4 * 49 + 8 * (48 + 48))
        #expect(try #require(report["CSR SpMV Float32"]).bytes == 8 * nnz + 4 * 49 + 4 * (48 + 48))
        #expect(try #require(report["CSR SpMM Float64 k=128"]).flops == 2 * nnz * 128)
        let bsr = try #require(report["BSR 4×4 SpMV Float64 4×4-blocked"])
        #expect(bsr.flops == 2 * Double(b.storedCount))
        // 144 blocks on the grid; each present block holds 16 values and one Int32 column index.
        let blocks = Double(b.storedCount) / 16
        #expect(bsr.bytes == 128 * blocks + 4 * blocks + 4 * 13 + 8 * (48 + 48))
        // BSR's SpMM counts the blocks' stored values, with X and Y of k columns.
        let bsrMM = try #require(report[KernelsReport.blockSpMM128])
        #expect(bsrMM.flops == 2 * Double(b.storedCount) * 128)
        #expect(bsrMM.bytes == 128 * blocks + 4 * blocks + 4 * 13 + 8 * 128 * (48 + 48))
        // The stencil: about 48² · 10% = 230 entries, so a 7 × 7 grid (49 rows, 5·49 − 4·7 = 217 entries); the
        // transposed products move the same bytes as A·x on this square matrix.
        let stencilEntries = 5.0 * 49 - 4 * 7
        for name in [KernelsReport.stencilSpMV, KernelsReport.stencilTransposedSpMV] {
            let k = try #require(report[name])
            #expect(k.flops == 2 * stencilEntries && k.bytes == 12 * stencilEntries + 4 * 50 + 8 * (49 + 49), "\(name)")
        }
        let cooStencil = try #require(report[KernelsReport.stencilCOOTransposedSpMV])
        #expect(cooStencil.bytes == 16 * stencilEntries + 8 * (49 + 49))
        let triad = try #require(report["triad"])
        #expect(triad.bytes == 3 * Double(1 << 20))
    }

    @Test func theXInL1MatrixHasTheUniformRowLengthOverNarrowColumns() throws {
        // 96 rows at 20% over 96 columns: about 19 entries per row. Narrowed to 32 columns, density 60%.
        let command = try KernelsCommand.parse(["--size", "96", "--density", "0.2", "--rounds", "1", "--calls", "2",
                                                "--triad-mib", "1", "--threads", "1", "--quiet"])
        let report = try command.makeReport(narrowColumns: 32)
        let wide: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 96, columns: 96, density: 0.2, seed: 1)
        let narrow: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(
            rows: 96, columns: 32, density: Swift.min(1, 0.2 * Double(96) / Double(32)), seed: 1)
        let l1 = try #require(report["CSR SpMV Float64 x in L1"])
        #expect(l1.flops == 2 * Double(narrow.storedCount))
        #expect(l1.bytes == 12 * Double(narrow.storedCount) + 4 * 97 + 8 * (96 + 32))
        // Same expected entries per row: the two counts agree within a few standard deviations.
        let a = Double(wide.storedCount), b = Double(narrow.storedCount)
        #expect(abs(a - b) < 6 * (a * 0.8).squareRoot() + 6 * (b * 0.4).squareRoot())
    }

    @Test func targetsAreRatiosOfTheSameRoundsMedians() throws {
        let report = try KernelsCommand.parse(Self.tiny).makeReport()
        func med(_ name: String) throws -> Double { Self.median(try #require(report[name]).timing.samples) }
        func target(_ prefix: String) throws -> KernelsReport.Target {
            try #require(report.targets.first { $0.name.hasPrefix(prefix) })
        }
        #expect(report.targets.count == 8)
        let spmv = try #require(report["CSR SpMV Float64"]), triad = try #require(report["triad"])
        let share = (spmv.bytes / (try med("CSR SpMV Float64"))) / (triad.bytes / (try med("triad")))
        #expect(abs(try target("CSR SpMV Float64: share").value - share) <= 1e-12 * share)
        let f32 = try med("CSR SpMV Float64") / (try med("CSR SpMV Float32"))
        #expect(abs(try target("CSR SpMV Float32 / Float64").value - f32) <= 1e-12 * f32)
        // Per flop: k = 128 does 4× the flops of k = 32.
        let wide = 4 * (try med("CSR SpMM Float64 k=32")) / (try med("CSR SpMM Float64 k=128"))
        #expect(abs(try target("CSR SpMM Float64: k=128").value - wide) <= 1e-12 * wide)
        for t in report.targets { #expect(t.met == (t.value >= t.atLeast)) }
        // The context ratios come from the same medians.
        #expect(report.context.count == 12)
        let cold = 4 * (try med(KernelsReport.coldSpMM)) / (try med("CSR SpMM Float64 k=128"))
        #expect(abs(try #require(report.context.first { $0.name.hasSuffix("X and Y from memory") }).value - cold)
            <= 1e-12 * cold)
        let cold32 = 4 * (try med(KernelsReport.coldSpMM32)) / (try med("CSR SpMM Float32 k=128"))
        let cold32Name = "CSR SpMM Float32: k=128 / k=32 per flop, X and Y from memory"
        #expect(abs(try #require(report.context.first { $0.name == cold32Name }).value - cold32) <= 1e-12 * cold32)
        let transposed = try med("CSR SpMM Float64 k=32") / (try med(KernelsReport.transposedSpMM))
        #expect(abs(try #require(report.context.first { $0.name.hasSuffix("Aᵀ·X / A·X") }).value - transposed)
            <= 1e-12 * transposed)
        let block = try med("CSR SpMM Float64 k=32 4×4-blocked") / (try med(KernelsReport.blockSpMM))
        #expect(abs(try #require(report.context.first { $0.name.hasPrefix("BSR 4×4 / CSR SpMM") }).value - block)
            <= 1e-12 * block)
        let block128 = 4 * (try med(KernelsReport.blockSpMM)) / (try med(KernelsReport.blockSpMM128))
        #expect(abs(try #require(report.context.first { $0.name.hasPrefix("BSR 4×4 SpMM Float64: k=128") }).value
            - block128) <= 1e-12 * block128)
        let blockT = try med("BSR 4×4 SpMV Float64 4×4-blocked") / (try med(KernelsReport.blockTransposedSpMV))
        #expect(abs(try #require(report.context.first { $0.name.hasSuffix("4×4 blocks: Aᵀ·x / A·x") }).value
            - blockT) <= 1e-12 * blockT)
        let stencil = try med(KernelsReport.stencilSpMV) / (try med(KernelsReport.stencilTransposedSpMV))
        #expect(abs(try #require(report.context.first { $0.name.hasSuffix("stencil: Aᵀ·x / A·x") }).value - stencil)
            <= 1e-12 * stencil)
        let k32 = try #require(report["CSR SpMM Float64 k=32"]), k32cold = try #require(report[KernelsReport.coldSpMM])
        #expect(k32cold.flops == k32.flops && k32cold.bytes == k32.bytes)
        #expect(k32cold.timing.samples.count == k32.timing.samples.count)
        let l1 = try #require(report["CSR SpMV Float64 x in L1"])
        let l1Share = (l1.bytes / (try med("CSR SpMV Float64 x in L1"))) / (triad.bytes / (try med("triad")))
        let context = try #require(report.context.first { $0.name.hasPrefix("CSR SpMV Float64, x in L1: share") })
        #expect(abs(context.value - l1Share) <= 1e-12 * l1Share)
        let l1Ratio = try med("CSR SpMV Float64 x in L1") / (try med("CSR SpMV Float32 x in L1"))
        #expect(abs(try #require(report.context.first { $0.name == "CSR SpMV Float32 / Float64, x in L1" }).value
            - l1Ratio) <= 1e-12 * l1Ratio)
    }

    /// Each of the X/Y pairs taken in turn is verified, so a rotation that skipped a pair would leave its Y
    /// unwritten and stop the run.
    @Test func operandSetsAreTakenInTurn() throws {
        var builder = KernelCaseBuilder(configuration: .serial, seed: 1)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 20, density: 0.2, seed: 3)
        let single = try builder.spmm("one pair", a, rhs: 5)
        let cold = try builder.spmm("three pairs", a, rhs: 5, operandSets: 3)
        #expect(cold.flops == single.flops && cold.bytes == single.bytes)
        for _ in 0..<7 { cold.run() }
    }

    /// Aᵀ·X is verified (the builder throws on a mismatch) against the reference product of the explicit
    /// transpose, on a rectangular matrix, so that X and Y take the transposed shapes; it counts the same flops
    /// and bytes as A·X, and runs again after the check.
    @Test func transposedProductIsVerified() throws {
        var builder = KernelCaseBuilder(configuration: .serial, seed: 1)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 30, columns: 20, density: 0.2, seed: 3)
        let plain = try builder.spmm("A·X", a, rhs: 5)
        let transposed = try builder.spmm("Aᵀ·X", a, rhs: 5, op: .transpose)
        #expect(transposed.flops == plain.flops && transposed.bytes == plain.bytes)
        transposed.run()
    }

    /// A BSR product is verified against its CSR reference, and counts that reference's stored values.
    @Test func blockProductIsVerifiedAgainstItsReference() throws {
        var builder = KernelCaseBuilder(configuration: .serial, seed: 1)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 24, columns: 20, blockRows: 4,
                                                                     blockColumns: 4, blockDensity: 0.3, seed: 3)
        let block = try builder.spmm("BSR A·X", a.blockSparse(blockRows: 4, blockColumns: 4), reference: a, rhs: 5)
        #expect(block.flops == 2 * Double(a.storedCount) * 5)
        let other: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 24, columns: 20, blockRows: 4,
                                                                         blockColumns: 4, blockDensity: 0.3, seed: 4)
        #expect(throws: (any Error).self) {
            _ = try builder.spmm("wrong reference", a.blockSparse(blockRows: 4, blockColumns: 4), reference: other,
                                 rhs: 5)
        }
    }

    @Test func aWrongProductStopsTheRunNamingIt() throws {
        var builder = KernelCaseBuilder(configuration: .serial, seed: 1)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 20, columns: 20, density: 0.2, seed: 3)
        _ = try builder.spmv("good", a)
        #expect {
            _ = try builder.spmv("bad", OffByOneKernel(base: a), reference: a)
        } throws: { error in
            "\(error)".contains("bad is wrong") && "\(error)".contains("element (0, 0)")
        }
    }

    @Test func outputsParseAndNameEveryTarget() throws {
        let command = try KernelsCommand.parse(Self.tiny)
        let report = try command.makeReport()
        let root = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect((root["kernels"] as? [Any])?.count == 23)
        #expect((root["context"] as? [[String: Any]])?.count == 12)
        let targets = try #require(root["targets"] as? [[String: Any]])
        #expect(targets.count == 8)
        #expect(targets.allSatisfy { $0["met"] is Bool && $0["measured"] is Double })
        let table = report.table()
        for t in report.targets { #expect(table.contains(t.name)) }
        for c in report.context { #expect(table.contains(c.name)) }
    }

    @Test(arguments: [["--calls", "1"], ["--density", "0"], ["--density", "1.5"], ["--rounds", "0"], ["--size", "2"],
                      ["--threads", "0"],
                      // Each of these trapped or failed to allocate midway: Int.max threads overflowed the stream
                      // arrays' size, 10⁶ MiB of triad asked for 3 TB, and density 1 at n = 20000 needs 40 GB.
                      ["--threads", "9223372036854775807"], ["--threads", "1025"], ["--triad-mib", "1000000"],
                      ["--density", "1"], ["--size", "100000000", "--density", "1e-9"]])
    func badOptionsAreRejected(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try KernelsCommand.parse(arguments) }
    }
}
