import ArgumentParser
import Foundation
import Testing
@testable import sparse_bench

@Suite struct SweepOptionsTests {
    @Test func defaultsMatchTheIssue() throws {
        let o = try SweepCommand.parse([]).options
        #expect(o.size == 4096)
        #expect(o.densities.values.map(\.fraction) == [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5])
        #expect(o.formats.values == [.dense, .csr, .csc, .coo, .bsr])
        #expect(o.blockSizes.values == [2, 4, 8])
        #expect(o.rhs == 32)
        #expect(o.precision == .double)
        #expect(o.index == .bits32)
        #expect(o.threads == nil)
        #expect(o.pattern == .uniform)
        #expect(o.seed == 1)
        #expect(o.matrix.isEmpty)
        #expect(o.format == .table)
        #expect(o.plot == nil)
        #expect(o.formatSpecs.map(\.description) == ["dense", "CSR", "CSC", "COO", "BSR 2×2", "BSR 4×4", "BSR 8×8"])
    }

    @Test func everyOptionParses() throws {
        let o = try SweepCommand.parse([
            "--size", "100", "--densities", "0.01,10%", "--formats", "bsr,csr", "--block-sizes", "4,2",
            "--rhs", "8", "--precision", "float", "--index", "64", "--threads", "1", "--pattern", "banded",
            "--seed", "9", "--matrix", "a.mtx", "--matrix", "b.mtx", "--format", "json", "--plot", "x.svg",
            "--min-time", "0.5", "--min-reps", "2", "--warmup", "3", "--triad-mib", "2", "--max-matrix-mib", "10",
            "--quiet",
        ]).options
        #expect(o.size == 100)
        #expect(o.densities.values.map(\.fraction) == [0.01, 0.1])
        // Output order is fixed (dense, CSR, CSC, COO, BSR), whatever order the list gives.
        #expect(o.formatSpecs.map(\.description) == ["CSR", "BSR 4×4", "BSR 2×2"])
        #expect(o.rhs == 8)
        #expect(o.precision == .float)
        #expect(o.index == .bits64)
        #expect(o.resolvedThreads == 1)
        #expect(o.pattern == .banded)
        #expect(o.seed == 9)
        #expect(o.matrix == ["a.mtx", "b.mtx"])
        #expect(o.format == .json)
        #expect(o.plot == "x.svg")
        #expect(o.timingPolicy == TimingPolicy(warmup: 3, minReps: 2, minTime: 0.5))
        #expect(o.triadMiB == 2)
        #expect(o.maxMatrixMiB == 10)
        #expect(o.quiet)
    }

    @Test func repeatedListValuesAreKeptOnce() throws {
        let o = try SweepCommand.parse(["--densities", "0.1,0.1,0.2", "--block-sizes", "2,2"]).options
        #expect(o.densities.values.map(\.fraction) == [0.1, 0.2])
        #expect(o.blockSizes.values == [2])
    }

    @Test(arguments: [
        (["--size", "0"], "--size"), (["--densities", "0"], "--densities"), (["--densities", "1.5"], "--densities"),
        (["--densities", "150%"], "--densities"), (["--block-sizes", "0"], "--block-sizes"),
        (["--block-sizes", "65"], "--block-sizes"), (["--rhs", "0"], "--rhs"), (["--rhs", "1025"], "--rhs"),
        (["--threads", "0"], "--threads"), (["--min-time", "-1"], "--min-time"), (["--min-reps", "0"], "--min-reps"),
        (["--warmup", "-1"], "--warmup"), (["--triad-mib", "0"], "--triad-mib"),
        (["--max-matrix-mib", "0"], "--max-matrix-mib"),
        // Past the machine's memory: 2⁴³ MiB wrapped to 0 bytes, and 16384 MiB of triad arrays is 48 GiB.
        (["--max-matrix-mib", "8796093022208"], "--max-matrix-mib"), (["--max-matrix-mib", "9223372036854775807"], "--max-matrix-mib"),
        (["--triad-mib", "\(MachineMemory.mebibytes / 3 + 1)"], "--triad-mib"),
        (["--block-sizes", "8", "--pattern", "blocks", "--size", "4"], "--pattern blocks"),
    ])
    func outOfRangeValuesAreRejectedNamingTheOption(_ arguments: [String], _ named: String) {
        do {
            _ = try SweepCommand.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let line = SparseBench.errorLine(for: error)
            #expect(!line.contains("\n"))
            #expect(line.hasPrefix("Error: "))
            #expect(line.contains(named), "\(line)")
            #expect(SparseBench.exitCode(for: error) != .success)
        }
    }

    @Test(arguments: [
        ["--formats", "csr,xyz"], ["--densities", "a"], ["--densities", "0.1,,0.2"], ["--precision", "quad"], ["--prune", "magnitude,random"],
        ["--index", "16"], ["--pattern", "random"], ["--format", "xml"], ["--bogus"], ["--size"],
    ])
    func malformedArgumentsGiveAOneLineError(_ arguments: [String]) {
        do {
            _ = try SparseBench.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            let line = SparseBench.errorLine(for: error)
            #expect(!line.contains("\n"), "\(line)")
            #expect(line.hasPrefix("Error: "))
            #expect(SparseBench.exitCode(for: error) != .success)
        }
    }

    @Test func sweepIsTheDefaultSubcommand() throws {
        #expect(try SparseBench.parseAsRoot([]) is SweepCommand)
        #expect(try SparseBench.parseAsRoot(["--size", "8"]) is SweepCommand)
        #expect(try SparseBench.parseAsRoot(["inspect", "a.mtx"]) is InspectCommand)
    }

    @Test func inspectRejectsCSVAndBadBlocks() {
        #expect(throws: (any Error).self) { try InspectCommand.parse(["a.mtx", "--format", "csv"]) }
        #expect(throws: (any Error).self) { try InspectCommand.parse(["a.mtx", "--block-sizes", "0"]) }
        #expect(throws: (any Error).self) { try InspectCommand.parse([]) }
    }

    /// `--help` shows every option with an abstract and an example.
    @Test func helpHasAnExampleForEveryOption() {
        let help = SweepCommand.helpMessage(columns: 1000)
        for name in ["size", "densities", "formats", "block-sizes", "rhs", "precision", "index", "threads",
                     "pattern", "seed", "prune", "matrix", "format", "plot", "min-time", "min-reps", "warmup", "triad-mib",
                     "max-matrix-mib", "quiet"] {
            #expect(help.contains("--\(name) "), "--\(name) missing from help")
            #expect(help.contains("Example: --\(name)"), "--\(name) has no example")
        }
        let inspect = InspectCommand.helpMessage(columns: 1000)
        for name in ["format", "block-sizes", "precision"] {
            #expect(inspect.contains("Example: --\(name)"), "inspect --\(name) has no example")
        }
    }
}

@Suite struct DocumentationTests {
    /// Benchmarks/SPARSE-BENCH.md lists every output field with the doc the code gives it.
    @Test func fieldTableMatchesTheCode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/SPARSE-BENCH.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for field in BenchRecord.fields {
            #expect(text.contains("| `\(field.name)` | \(field.doc) |"), "\(field.name) is not documented as in the code")
        }
    }
}
