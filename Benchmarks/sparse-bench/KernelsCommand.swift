import ArgumentParser
import Foundation
import SwiftSparse

/// `sparse-bench kernels`: the kernels against the memory bandwidth and against each other, in interleaved
/// rounds, with the targets they are held to.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "CSR SpMV against the memory bandwidth, Float32 against Float64, SpMM k = 128 against k = 32 "
            + "and BSR 4×4 against CSR, measured side by side.",
        discussion: """
            On a shared machine two figures measured a minute apart can differ by 20–30%, so a ratio of two \
            separate runs says little. This command builds every operand first and verifies every product \
            once against a Double reference. Then it runs rounds: in each round every kernel, the STREAM \
            triad and a read-only stream (a dot product) run --calls times in a row, the first of them \
            untimed. A slow phase of the machine then hits all of them alike. Each figure is the median over \
            the rounds' timed calls, and each ratio divides two medians of the same rounds.

            The matrices: uniform at --density (Float64 and Float32 values, Int32 indices); the same \
            entries per row over only 2048 columns, so that x stays in L1 (for context: on the uniform \
            matrix nearly every x element the row kernel gathers comes from L2); and 4×4 blocks at \
            --density (Float64 and Float32 as CSR, Float64 as BSR 4×4). SpMM uses row-major X and Y. One \
            more Float64 k = 32 SpMM takes four X/Y pairs in turn, so that, as at k = 128, its X and Y come \
            from memory rather than staying cached from the call before (for context), and one more \
            multiplies by the transpose, Aᵀ·X, from the same CSR arrays (for context: the cost of a \
            transposed product, as in a backward pass). On the 4×4 blocks, Float64 SpMM k = 32 as CSR and \
            as BSR 4×4, and k = 128 as BSR 4×4 (for context: BSR's SpMM against CSR's, and at k = 128), and \
            BSR 4×4's Aᵀ·x (for context: the transposed block product against A·x). \
            Last, the 5-point stencil with about as many entries as the uniform matrix, Float64: A·x, and \
            Aᵀ·x from the same CSR arrays and from a canonical COO (for context: the transposed scatter on \
            short banded rows).

            The bandwidth bound of a product is its compulsory bytes (the bytes the matrix holds, plus x read \
            and y written once) divided by the triad's GB/s; the share is bound time / measured time.

            Examples:
              sparse-bench kernels
              sparse-bench kernels --size 40000 --density 0.005 --rounds 30 --format json
            """
    )

    @Option(help: "Rows and columns of the generated matrices.")
    var size: Int = 20000

    @Option(help: "Density of the uniform matrices, and the fraction of 4×4 blocks present in the blocked one.")
    var density: Double = 0.01

    @Option(help: "Threads of the kernels and streams (default: every online core).")
    var threads: Int?

    @Option(help: "Rounds; each kernel's median is over all of them.")
    var rounds: Int = 15

    @Option(help: "Calls of each kernel per round, the first untimed (at least 2).")
    var calls: Int = 3

    @Option(help: "Seed of the matrices and operands.")
    var seed: UInt64 = 1

    @Option(name: .customLong("triad-mib"), help: ArgumentHelp(
        "Size of each of the stream arrays, in MiB (default: 4× the last-level cache, at least 64)."))
    var triadMiB: Int?

    @Option(help: "Output on stdout: table or json.")
    var format: TableOrJSON = .table

    @Flag(help: "Do not print progress on stderr.")
    var quiet = false

    func validate() throws {
        guard (4...1 << 22).contains(size) else { throw ValidationError("--size must be in 4...\(1 << 22)") }
        guard density > 0 && density <= 1 else { throw ValidationError("--density must be in (0, 1]") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1...1024") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard calls >= 2 else { throw ValidationError("--calls must be at least 2") }
        if let triadMiB, !(1...MachineMemory.mebibytes / 3).contains(triadMiB) {
            throw ValidationError("--triad-mib must be in 1...\(MachineMemory.mebibytes / 3) (three arrays must fit "
                                  + "in this machine's memory)")
        }
        // About 100 bytes a uniform entry (its seven matrices in both scalars and formats) and 10 kB a row (X,
        // Y and the references of k = 32 and 128): refused up front rather than failing to allocate midway.
        let n = Double(size)
        do {
            try MachineMemory.check(100 * n * n * density + 10_000 * n, "--size \(size) --density \(density)")
        } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        let report = try makeReport()
        print(format == .json ? report.json() : report.table(), terminator: "")
    }

    /// Builds, verifies and times everything; `narrowColumns` is the width of the x-in-L1 matrix (tests shrink it).
    func makeReport(narrowColumns: Int = KernelsReport.narrowColumns) throws -> KernelsReport {
        let progress = Progress(enabled: !quiet)
        let threadCount = threads ?? KernelConfiguration.availableCores
        let configuration = KernelConfiguration(threads: threadCount)
        let streams = StreamArrays(arrayBytes: triadMiB.map { $0 << 20 } ?? TriadBandwidth.defaultArrayBytes,
                                   threads: threadCount)
        var kernels = [
            KernelCase(name: "triad", flops: 0, bytes: Double(streams.triadBytes)) { streams.triad() },
            KernelCase(name: "read (dot)", flops: 0, bytes: Double(streams.dotBytes)) { streams.dot() },
        ]
        progress("uniform \(size)×\(size) at \(Format.percent(density)): generating and verifying…")
        let u64: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: size, columns: size, density: density,
                                                                         seed: seed)
        let u32: CSRMatrix<Float, Int32> = u64.convertingValues(to: Float.self).matrix
        var builder = KernelCaseBuilder(configuration: configuration, seed: seed)
        kernels += [
            try builder.spmv("CSR SpMV Float64", u64),
            try builder.spmv("CSR SpMV Float32", u32),
            try builder.spmm("CSR SpMM Float64 k=32", u64, rhs: 32),
            try builder.spmm("CSR SpMM Float64 k=128", u64, rhs: 128),
            try builder.spmm(KernelsReport.coldSpMM, u64, rhs: 32, operandSets: KernelsReport.coldOperandSets),
            try builder.spmm(KernelsReport.transposedSpMM, u64, rhs: 32, op: .transpose),
            try builder.spmm("CSR SpMM Float32 k=32", u32, rhs: 32),
            try builder.spmm("CSR SpMM Float32 k=128", u32, rhs: 128),
            try builder.spmm(KernelsReport.coldSpMM32, u32, rhs: 32, operandSets: KernelsReport.coldOperandSets),
        ]
        // The same entries per row over only `narrow` columns (all of them when the row holds more): x (16 KiB of
        // Float64) stays in L1, so this pair shows what the row kernel does when its x gathers hit L1 rather than
        // L2 (the ``KernelsReport/context``).
        let narrow = Swift.min(size, narrowColumns)
        progress("\(size)×\(narrow) with x in L1: generating and verifying…")
        let l64: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(
            rows: size, columns: narrow, density: Swift.min(1, density * Double(size) / Double(narrow)), seed: seed)
        kernels += [
            try builder.spmv("CSR SpMV Float64 x in L1", l64),
            try builder.spmv("CSR SpMV Float32 x in L1", l64.convertingValues(to: Float.self).matrix),
        ]
        progress("4×4 blocks at \(Format.percent(density)): generating and verifying…")
        let b64: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(
            rows: size, columns: size, blockRows: 4, blockColumns: 4, blockDensity: density, seed: seed)
        let bsr64 = try b64.blockSparse(blockRows: 4, blockColumns: 4)
        kernels += [
            try builder.spmv("CSR SpMV Float64 4×4-blocked", b64),
            try builder.spmv("CSR SpMV Float32 4×4-blocked", b64.convertingValues(to: Float.self).matrix),
            try builder.spmv("BSR 4×4 SpMV Float64 4×4-blocked", bsr64, reference: b64),
            try builder.spmv(KernelsReport.blockTransposedSpMV, bsr64, reference: b64, op: .transpose),
            try builder.spmm("CSR SpMM Float64 k=32 4×4-blocked", b64, rhs: 32),
            try builder.spmm(KernelsReport.blockSpMM, bsr64, reference: b64, rhs: 32),
            try builder.spmm(KernelsReport.blockSpMM128, bsr64, reference: b64, rhs: 128),
        ]
        // The 5-point stencil with about as many entries as the uniform matrix: short banded rows, where the
        // transposed products (CSR's and canonical COO's Aᵀ·x) take the halo scatter.
        let grid = Swift.max(2, Int((Double(size) * Double(size) * density / 5).squareRoot().rounded()))
        progress("5-point stencil on \(grid)×\(grid): generating and verifying…")
        let s64: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: grid, ny: grid)
        kernels += [
            try builder.spmv(KernelsReport.stencilSpMV, s64),
            try builder.spmv(KernelsReport.stencilTransposedSpMV, s64, op: .transpose),
            try builder.spmv(KernelsReport.stencilCOOTransposedSpMV, try COOMatrix<Double, Int32>(s64),
                             reference: s64, op: .transpose),
        ]
        progress("\(rounds) rounds of \(kernels.count) kernels × \(calls) calls…")
        var samples = [[Double]](repeating: [], count: kernels.count)
        for _ in 0..<rounds {
            for (i, k) in kernels.enumerated() {
                k.run()
                for _ in 1..<calls {
                    let t0 = Stopwatch.now()
                    k.run()
                    samples[i].append(Stopwatch.now() - t0)
                }
            }
        }
        streams.checkTriad()
        streams.checkDot()
        let measured = zip(kernels, samples).map { k, s in
            MeasuredKernel(name: k.name, flops: k.flops, bytes: k.bytes, timing: TimingSummary(samples: s))
        }
        return KernelsReport(size: size, density: density, threads: threadCount, rounds: rounds, calls: calls,
                             kernels: measured)
    }
}

/// One timed kernel: what a call computes and moves, and the call itself.
struct KernelCase {
    var name: String
    /// Useful flops of one call (0 for the streams).
    var flops: Double
    /// Compulsory bytes of one call (see ``Throughput``).
    var bytes: Double
    var run: () -> Void
}

/// Builds the product cases: operands, one verified call, then the timed closure.
struct KernelCaseBuilder {
    let configuration: KernelConfiguration
    var rng: SplitMix64

    init(configuration: KernelConfiguration, seed: UInt64) {
        self.configuration = configuration
        rng = SplitMix64(seed: seed ^ 0x0123_4567_89AB_CDEF)
    }

    /// y ← op(A)·x for `a`, checked against a reference computed from `reference` (default: `a`; Aᵀ·x against
    /// the reference product of its explicit transpose).
    mutating func spmv<M: MatrixMultiplying, S: SparseScalar>(
        _ name: String, _ a: M, reference: CSRMatrix<S, Int32>? = nil, op: MatrixOperation = .none
    ) throws -> KernelCase where M.Scalar == S {
        typealias T = S.Arithmetic
        let source = try reference ?? a.csr(indexType: Int32.self)
        let (rows, inner) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let x = (0..<inner).map { _ in T(rng.nextNonzeroValue()) }
        // rhs 0: no SpMM reference.
        let ref = ReferenceProduct(op == .none ? source : source.transposed(), x: x, xm: [], rhs: 0)
        let y = Operand<T>(count: rows)
        let c = configuration
        let call = {
            x.withUnsafeBufferPointer { xp in a.multiply(op, alpha: 1, x: xp, beta: 0, y: y.buffer, configuration: c) }
        }
        call()
        if let bad = ref.checkSpMV(UnsafeBufferPointer(y.buffer)) { throw BenchError("\(name) is wrong: \(bad)") }
        let bytes = Throughput.bytesMoved(footprintBytes: a.footprint.totalBytes, rows: a.rows, columns: a.columns,
                                          rhs: 1, scalarBytes: MemoryLayout<T>.stride)
        return KernelCase(name: name, flops: Throughput.flops(nonzeros: source.storedCount, rhs: 1), bytes: bytes,
                          run: call)
    }

    /// Y ← op(A)·X with `rhs` right-hand sides, X and Y row-major. With `operandSets` > 1, that many X/Y pairs
    /// (the same values in separate memory) are used in turn, one per call, so that a call does not find the
    /// previous call's X and Y in the cache; each pair's product is verified. Aᵀ·X is checked against the
    /// reference product of `a.transposed()`. `reference` is the same matrix as CSR (for a non-CSR `a`).
    mutating func spmm<M: MatrixMultiplying, S: SparseScalar>(
        _ name: String, _ a: M, reference: CSRMatrix<S, Int32>? = nil, rhs k: Int, operandSets: Int = 1,
        op: MatrixOperation = .none
    ) throws -> KernelCase where M.Scalar == S {
        typealias T = S.Arithmetic
        let source = try reference ?? a.csr(indexType: Int32.self)
        let (rows, inner) = op == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let xm = (0..<inner * k).map { _ in T(rng.nextNonzeroValue()) }
        let ref = ReferenceProduct(op == .none ? source : source.transposed(), x: Array(xm.prefix(inner)), xm: xm,
                                   rhs: k)
        let xs = (0..<operandSets).map { _ in DenseMatrix<T>(rows: inner, columns: k) { i, j in xm[i * k + j] } }
        let ys = (0..<operandSets).map { _ in Operand<T>(count: rows * k) }
        let c = configuration
        var next = 0
        let call = {
            let (x, y) = (xs[next], ys[next])
            next = next + 1 == xs.count ? 0 : next + 1
            x.withUnsafeView { xv in
                a.multiply(op, alpha: 1, x: xv, beta: 0,
                           y: MutableDenseMatrixView(unsafeBaseAddress: y.buffer.baseAddress!, rows: rows, columns: k),
                           configuration: c)
            }
        }
        for y in ys {
            call()
            if let bad = ref.checkSpMM(UnsafeBufferPointer(y.buffer)) { throw BenchError("\(name) is wrong: \(bad)") }
        }
        let bytes = Throughput.bytesMoved(footprintBytes: a.footprint.totalBytes, rows: a.rows, columns: a.columns,
                                          rhs: k, scalarBytes: MemoryLayout<T>.stride)
        return KernelCase(name: name, flops: Throughput.flops(nonzeros: source.storedCount, rhs: k), bytes: bytes,
                          run: call)
    }
}

/// An output buffer the timed closures write into (64-byte aligned, freed with the last closure).
final class Operand<T> {
    let buffer: UnsafeMutableBufferPointer<T>

    init(count: Int) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, count) * MemoryLayout<T>.stride,
                                                   alignment: 64)
        buffer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: T.self, capacity: count), count: count)
    }

    deinit { UnsafeMutableRawPointer(buffer.baseAddress!).deallocate() }
}

/// A kernel's timed calls.
struct MeasuredKernel {
    var name: String
    var flops: Double
    var bytes: Double
    var timing: TimingSummary

    var gflops: Double { flops / timing.median / 1e9 }
    var gbps: Double { bytes / timing.median / 1e9 }
}

/// The measurements and the targets they are held to.
struct KernelsReport {
    var size: Int
    var density: Double
    var threads: Int
    var rounds: Int
    var calls: Int
    var kernels: [MeasuredKernel]

    subscript(_ name: String) -> MeasuredKernel? { kernels.first { $0.name == name } }

    /// A ratio of two medians and the least value it should reach.
    struct Target {
        var name: String
        var value: Double
        var atLeast: Double
        var unit: String
        var met: Bool { value >= atLeast }
    }

    var targets: [Target] {
        var out = [Target]()
        func add(_ name: String, _ value: Double?, _ atLeast: Double, _ unit: String = "×") {
            if let value, value.isFinite { out.append(Target(name: name, value: value, atLeast: atLeast, unit: unit)) }
        }
        let triad = self["triad"]?.gbps
        add("CSR SpMV Float64: share of the triad bound", self["CSR SpMV Float64"].flatMap { k in triad.map { k.gbps / $0 } },
            0.95)
        add("CSR SpMV Float32 / Float64", ratio("CSR SpMV Float32", "CSR SpMV Float64"), 1.4)
        add("CSR SpMV Float32 / Float64 on 4×4 blocks",
            ratio("CSR SpMV Float32 4×4-blocked", "CSR SpMV Float64 4×4-blocked"), 1.4)
        add("CSR SpMM k=32 Float64 GFLOP/s", self["CSR SpMM Float64 k=32"]?.gflops, 13, " GFLOP/s")
        add("CSR SpMM k=32 Float32 GFLOP/s", self["CSR SpMM Float32 k=32"]?.gflops, 28, " GFLOP/s")
        add("CSR SpMM Float64: k=128 / k=32 per flop", ratio("CSR SpMM Float64 k=128", "CSR SpMM Float64 k=32"), 1)
        add("CSR SpMM Float32: k=128 / k=32 per flop", ratio("CSR SpMM Float32 k=128", "CSR SpMM Float32 k=32"), 1)
        add("BSR 4×4 / CSR SpMV on 4×4 blocks", ratio("BSR 4×4 SpMV Float64 4×4-blocked", "CSR SpMV Float64 4×4-blocked"),
            1.4)
        return out
    }

    /// Columns of the matrix whose x stays in L1: 2048 (16 KiB of Float64, half of a 32 KiB L1).
    static let narrowColumns = 2048

    /// The Float64 k = 32 SpMM whose X and Y come from memory: ``coldOperandSets`` X/Y pairs in turn (at
    /// n = 20000, 40 MB in all, more than a 32 MiB L3), as k = 128's 20 MB X and Y do.
    static let coldSpMM = "CSR SpMM Float64 k=32, 4 X/Y in turn"
    /// The same for Float32 (four pairs of 2.5 MB each, as k = 128's 10 MB X and Y).
    static let coldSpMM32 = "CSR SpMM Float32 k=32, 4 X/Y in turn"
    static let coldOperandSets = 4
    /// The Float64 k = 32 SpMM of the transpose, Aᵀ·X, straight from the CSR arrays (the scatter kernel).
    static let transposedSpMM = "CSR SpMM Float64 k=32 Aᵀ·X"
    /// SpMV on the 5-point stencil: A·x and Aᵀ·x from the same CSR arrays, and Aᵀ·x from a canonical COO of
    /// the same entries (context: what the transposed scatter costs on short banded rows).
    static let stencilSpMV = "CSR SpMV Float64 5-point stencil"
    static let stencilTransposedSpMV = "CSR SpMV Float64 5-point stencil Aᵀ·x"
    static let stencilCOOTransposedSpMV = "COO SpMV Float64 5-point stencil Aᵀ·x"
    /// BSR's SpMM on the 4×4-blocked matrix, k = 32 and k = 128 (context: against CSR on the same matrix, and
    /// per flop against each other).
    static let blockSpMM = "BSR 4×4 SpMM Float64 k=32 4×4-blocked"
    static let blockSpMM128 = "BSR 4×4 SpMM Float64 k=128 4×4-blocked"
    /// BSR's SpMV of the transpose on the 4×4-blocked matrix, from the same BSR arrays (context: against A·x).
    static let blockTransposedSpMV = "BSR 4×4 SpMV Float64 4×4-blocked Aᵀ·x"

    /// A ratio of medians that explains the targets rather than being one.
    struct Reference {
        var name: String
        var value: Double
    }

    /// What limits SpMV on the uniform matrix, from the same rounds: the row kernel on a matrix with the same
    /// entries per row whose x fits in L1 (its share of the triad bound and its Float32 / Float64 ratio), and
    /// the uniform matrix's speed relative to it. On the uniform matrix nearly every gathered x element misses
    /// L1 and comes from L2 as a whole 64-byte line, for either precision. SpMM k = 128 per flop against a
    /// k = 32 whose X and Y also come from memory (``coldSpMM``, ``coldSpMM32``). And what the transposed
    /// product costs against the plain one on the same arrays (``transposedSpMM``): it scatters into rows of Y
    /// instead of gathering rows of X. And BSR's SpMM on the 4×4-blocked matrix against CSR's, and at k = 128
    /// against k = 32; BSR's Aᵀ·x against its A·x.
    var context: [Reference] {
        var out = [Reference]()
        func add(_ name: String, _ value: Double?) {
            if let value, value.isFinite { out.append(Reference(name: name, value: value)) }
        }
        let triad = self["triad"]?.gbps
        add("CSR SpMV Float64, x in L1: share of the triad bound",
            self["CSR SpMV Float64 x in L1"].flatMap { k in triad.map { k.gbps / $0 } })
        add("CSR SpMV Float32 / Float64, x in L1", ratio("CSR SpMV Float32 x in L1", "CSR SpMV Float64 x in L1"))
        add("CSR SpMV Float64: uniform / x in L1", ratio("CSR SpMV Float64", "CSR SpMV Float64 x in L1"))
        add("CSR SpMV Float32: uniform / x in L1", ratio("CSR SpMV Float32", "CSR SpMV Float32 x in L1"))
        add("CSR SpMM Float64: k=128 / k=32 per flop, X and Y from memory",
            ratio("CSR SpMM Float64 k=128", Self.coldSpMM))
        add("CSR SpMM Float32: k=128 / k=32 per flop, X and Y from memory",
            ratio("CSR SpMM Float32 k=128", Self.coldSpMM32))
        add("CSR SpMM Float64 k=32: Aᵀ·X / A·X", ratio(Self.transposedSpMM, "CSR SpMM Float64 k=32"))
        add("BSR 4×4 / CSR SpMM Float64 k=32 on 4×4 blocks", ratio(Self.blockSpMM, "CSR SpMM Float64 k=32 4×4-blocked"))
        add("BSR 4×4 SpMM Float64: k=128 / k=32 per flop", ratio(Self.blockSpMM128, Self.blockSpMM))
        add("BSR 4×4 SpMV Float64 on 4×4 blocks: Aᵀ·x / A·x",
            ratio(Self.blockTransposedSpMV, "BSR 4×4 SpMV Float64 4×4-blocked"))
        add("CSR SpMV Float64 on the 5-point stencil: Aᵀ·x / A·x",
            ratio(Self.stencilTransposedSpMV, Self.stencilSpMV))
        add("COO / CSR SpMV Float64 Aᵀ·x on the 5-point stencil",
            ratio(Self.stencilCOOTransposedSpMV, Self.stencilTransposedSpMV))
        return out
    }

    /// GFLOP/s of `a` over GFLOP/s of `b`.
    func ratio(_ a: String, _ b: String) -> Double? {
        guard let a = self[a], let b = self[b] else { return nil }
        return a.gflops / b.gflops
    }

    func table() -> String {
        var t = TextTable(columns: [
            .init(title: "kernel", align: .left), .init(title: "median ms", separated: true), .init(title: "GFLOP/s"),
            .init(title: "GB/s"), .init(title: "triad"), .init(title: "min–max"),
        ])
        let triad = self["triad"]?.gbps
        for k in kernels {
            t.add([k.name, Format.fixed(k.timing.median * 1e3, 3), k.flops > 0 ? Format.significant(k.gflops) : "",
                   Format.significant(k.gbps), triad.map { Format.fixed(k.gbps / $0 * 100, 0) + "%" } ?? "–",
                   Format.fixed(k.timing.min / k.timing.median, 2) + "–" + Format.fixed(k.timing.max / k.timing.median, 2) + "×"])
        }
        var g = TextTable(columns: [
            .init(title: "target (medians of the same rounds)", align: .left), .init(title: "measured", separated: true),
            .init(title: "goal"), .init(title: "met", align: .left),
        ])
        for x in targets {
            // One digit more in the measured ratio than in its goal, so a ratio just below it does not print as it.
            let digits = x.unit == "×" ? 2 : 1
            g.add([x.name, Format.fixed(x.value, x.unit == "×" ? 3 : digits) + x.unit,
                   "≥ " + Format.fixed(x.atLeast, digits) + x.unit, x.met ? "yes" : "no"])
        }
        var c = TextTable(columns: [
            .init(title: "for context, not targets (same rounds)", align: .left),
            .init(title: "measured", separated: true),
        ])
        for x in context { c.add([x.name, Format.fixed(x.value, 2) + "×"]) }
        return """
            sparse-bench kernels: n = \(size), density \(Format.percent(density)), Int32 indices, \(threads) thread(s), \
            \(rounds) rounds × \(calls - 1) timed call(s) per kernel (one untimed call first in each round)
            GFLOP/s count 2 flops per stored non-zero (× k); GB/s = (bytes held + x + y) / median; \
            triad = GB/s / the triad's GB/s of the same rounds

            """ + t.rendered() + "\n" + g.rendered() + "\n" + c.rendered()
    }

    func json() -> String {
        let root = JSONValue.object([
            ("size", .int(size)), ("density", .number(density)), ("threads", .int(threads)), ("rounds", .int(rounds)),
            ("calls_per_round", .int(calls)),
            ("kernels", .array(kernels.map { k in
                .object([("name", .string(k.name)), ("median_seconds", .number(k.timing.median)),
                         ("min_seconds", .number(k.timing.min)), ("max_seconds", .number(k.timing.max)),
                         ("samples", .int(k.timing.reps)), ("gflops", k.flops > 0 ? .number(k.gflops) : .null),
                         ("gbps", .number(k.gbps))])
            })),
            ("targets", .array(targets.map { x in
                .object([("name", .string(x.name)), ("measured", .number(x.value)), ("at_least", .number(x.atLeast)),
                         ("met", .bool(x.met))])
            })),
            ("context", .array(context.map { x in .object([("name", .string(x.name)), ("measured", .number(x.value))]) })),
        ])
        return root.rendered() + "\n"
    }
}
