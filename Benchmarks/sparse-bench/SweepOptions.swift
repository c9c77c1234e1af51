import ArgumentParser
import SwiftSparse

/// Every option of the sweep, with its help and its range checks.
///
/// Option names are a stable interface: scripts call them (see issue 5).
struct SweepOptions: ParsableArguments {
    static let defaultDensities: [Double] = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]

    @Option(help: ArgumentHelp(
        "Rows and columns of the generated square matrices.",
        discussion: """
            Example: --size 8192. The stencil patterns use the nearest grid: stencil2d a g×g grid with \
            g = round(√size), stencil3d a g×g×g grid with g = round(∛size). Ignored with --matrix.
            """))
    var size: Int = 4096

    @Option(help: ArgumentHelp(
        "Densities to sweep, as fractions of stored positions (0.01 = 1%), comma-separated.",
        discussion: """
            Example: --densities 0.01,0.1 measures 1% and 10%. A value may also be written as a percentage \
            (--densities 1%,10%). Each must be in (0, 1]. The stencil patterns have their own density and \
            ignore this option, as does --matrix.
            """,
        valueName: "fractions"))
    var densities = CommaSeparated(SweepOptions.defaultDensities.map(Density.init))

    @Option(help: ArgumentHelp(
        "Formats to measure, comma-separated: dense, csr, csc, coo, bsr.",
        discussion: """
            Example: --formats csr,bsr. `bsr` gives one row per --block-sizes entry (or, with --matrix, the \
            candidate with the fewest bytes). Dense BLAS is always measured as the baseline of the speedups \
            (when it fits --max-matrix-mib); its rows are printed when this list names `dense`.
            """,
        valueName: "list"))
    var formats = CommaSeparated(FormatKind.allCases)

    @Option(help: ArgumentHelp(
        "BSR block sizes (b for b×b blocks), comma-separated.",
        discussion: """
            Example: --block-sizes 4. Each must be in 1...64. The first is also the block of --pattern blocks. \
            With --matrix, the fill of every candidate is reported and the one with the fewest bytes is measured.
            """,
        valueName: "list"))
    var blockSizes = CommaSeparated([2, 4, 8])

    @Option(help: ArgumentHelp(
        "Right-hand sides k of the SpMM measurement (Y = A·X, X is n×k).",
        discussion: "Example: --rhs 8. Must be in 1...1024. X and Y are row-major."))
    var rhs: Int = 32

    @Option(help: ArgumentHelp(
        "Stored scalar: half, float or double.",
        discussion: """
            Example: --precision float. Float and double compute in the same precision. half stores Float16 \
            values and computes in Float (vectors, blocks and the dense baseline are Float, since there is no \
            half-precision BLAS): the memory story of reduced precision.
            """))
    var precision: Precision = .double

    @Option(help: ArgumentHelp(
        "Index width of the sparse formats, 32 or 64 bits.",
        discussion: "Example: --index 64. 32-bit indices halve index bytes; the memory story depends on it."))
    var index: IndexWidth = .bits32

    @Option(help: ArgumentHelp(
        "Threads for the kernels, dense BLAS and the triad (default: every online core).",
        discussion: "Example: --threads 1. Must be in 1...1024."))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Structure of the generated matrices: uniform, banded, stencil2d, stencil3d, blocks.",
        discussion: """
            Example: --pattern banded. uniform stores each position with probability equal to the density; \
            banded stores a diagonal band holding that fraction; blocks places dense b×b blocks (b the first \
            --block-sizes entry) at the density; stencil2d (5-point) and stencil3d (27-point) are grid \
            Laplacians with their own density. All are seeded (--seed).
            """))
    var pattern: MatrixPattern = .uniform

    @Option(help: ArgumentHelp(
        "Seed of the generated matrices and vectors.",
        discussion: "Example: --seed 7. The same seed gives the same matrices on every machine."))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Prune a dense matrix to each --densities value with these methods, comma-separated: magnitude, block, nm.",
        discussion: """
            Example: --prune magnitude,block,nm. Instead of generating sparse matrices, the sweep builds one dense \
            --size × --size matrix of seeded non-zero values (or reads each --matrix file as dense) and prunes it to \
            every target density: magnitude keeps the largest |values| (CSR); block keeps the b×b blocks with the \
            largest Frobenius norm, b the first --block-sizes entry (BSR, fill 1); nm keeps N of every M \
            consecutive entries of a row (CSR), N:4 at densities of 1/4 and above (2:4 at 50%), 1:M below \
            (M = round(1 / density)). Each pruned matrix is one series (`<matrix>·<method>`) beside the unpruned \
            dense baseline; the crossovers then say at which density pruning starts to save memory and time.
            """,
        valueName: "methods"))
    var prune = CommaSeparated<PruneMethod>([])

    @Option(name: .customLong("matrix"), help: ArgumentHelp(
        "A MatrixMarket file to measure instead of generated matrices (repeatable).",
        discussion: """
            Example: --matrix a.mtx --matrix b.mtx. Each file gives the same rows as a generated matrix, with its \
            name, shape and entry count. Symmetric files are expanded; duplicates are summed.
            """,
        valueName: "file.mtx"))
    var matrix: [String] = []

    @Option(help: ArgumentHelp(
        "Output on stdout: table, json or csv.",
        discussion: """
            Example: --format json. JSON and CSV hold one record per (matrix, density, format, operation) with \
            the field names listed in Benchmarks/SPARSE-BENCH.md; progress goes to stderr either way.
            """))
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp(
        "Also write an SVG plot of throughput and bytes against density to this file.",
        discussion: "Example: --plot sweep.svg. The file opens in any browser.",
        valueName: "file.svg"))
    var plot: String?

    @Option(help: ArgumentHelp(
        "Minimum measured time per kernel, in seconds.",
        discussion: """
            Example: --min-time 0.5. After the verification call and the warm-up calls, a kernel is repeated \
            until both --min-time and --min-reps are reached; the median, minimum and maximum are reported. \
            Must be in 0...60.
            """,
        valueName: "seconds"))
    var minTime: Double = 0.1

    @Option(help: ArgumentHelp(
        "Minimum timed repetitions per kernel.",
        discussion: "Example: --min-reps 5. Must be in 1...100000.",
        valueName: "count"))
    var minReps: Int = 3

    @Option(help: ArgumentHelp(
        "Untimed warm-up calls per kernel, after the verification call.",
        discussion: "Example: --warmup 2. Must be in 0...100.",
        valueName: "count"))
    var warmup: Int = 1

    @Option(name: .customLong("triad-mib"), help: ArgumentHelp(
        "Size of each of the triad's three arrays, in MiB (default: 4× the last-level cache, at least 64).",
        discussion: """
            Example: --triad-mib 256. The triad a[i] = b[i] + s·c[i] measures the memory bandwidth with the \
            same thread count; each row reports its effective GB/s as a share of it. Must be in 1...16384, and \
            the three arrays must fit in the machine's memory.
            """,
        valueName: "MiB"))
    var triadMiB: Int?

    @Option(name: .customLong("max-matrix-mib"), help: ArgumentHelp(
        "Skip any format whose matrix would hold more than this many MiB.",
        discussion: """
            Example: --max-matrix-mib 1024. The bytes are computed before building (BSR from its fill), so a \
            huge dense or badly filled BSR copy is reported as skipped instead of exhausting memory; so are \
            a generated matrix and a matrix's operands (x, X and the products). Must be at least 1 and at \
            most the machine's memory.
            """,
        valueName: "MiB"))
    var maxMatrixMiB: Int = 4096

    @Flag(help: ArgumentHelp(
        "Do not print progress on stderr.",
        discussion: "Example: --quiet. Errors are still printed."))
    var quiet = false

    mutating func validate() throws {
        guard (1...1 << 20).contains(size) else {
            throw ValidationError("--size \(size) is outside 1...\(1 << 20)")
        }
        for d in densities.values where !(d.fraction > 0 && d.fraction <= 1) {
            throw ValidationError(
                "--densities: \(d.fraction) is outside (0, 1]; densities are fractions (0.05 = 5%)")
        }
        for b in blockSizes.values where !(1...64).contains(b) {
            throw ValidationError("--block-sizes: \(b) is outside 1...64")
        }
        if pattern == .blocks && blockSizes.values[0] > size {
            throw ValidationError("--pattern blocks: block size \(blockSizes.values[0]) exceeds --size \(size)")
        }
        guard (1...1024).contains(rhs) else { throw ValidationError("--rhs \(rhs) is outside 1...1024") }
        if let t = threads, !(1...1024).contains(t) {
            throw ValidationError("--threads \(t) is outside 1...1024")
        }
        guard minTime >= 0 && minTime <= 60 else {
            throw ValidationError("--min-time \(minTime) is outside 0...60")
        }
        guard (1...100_000).contains(minReps) else {
            throw ValidationError("--min-reps \(minReps) is outside 1...100000")
        }
        guard (0...100).contains(warmup) else { throw ValidationError("--warmup \(warmup) is outside 0...100") }
        if let m = triadMiB, !(1...Swift.min(16384, MachineMemory.mebibytes / 3)).contains(m) {
            throw ValidationError("--triad-mib \(m) is outside 1...\(Swift.min(16384, MachineMemory.mebibytes / 3)) "
                                  + "(three arrays must fit in this machine's memory)")
        }
        guard (1...MachineMemory.mebibytes).contains(maxMatrixMiB) else {
            throw ValidationError("--max-matrix-mib \(maxMatrixMiB) is outside 1...\(MachineMemory.mebibytes) "
                                  + "(this machine's memory)")
        }
        // Repeats would only print the same rows twice.
        densities.values = densities.values.uniqued()
        formats.values = formats.values.uniqued()
        blockSizes.values = blockSizes.values.uniqued()
        prune.values = prune.values.uniqued()
    }

    /// The thread count the run uses.
    var resolvedThreads: Int { threads ?? KernelConfiguration.availableCores }

    /// The timing policy these options ask for.
    var timingPolicy: TimingPolicy { TimingPolicy(warmup: warmup, minReps: minReps, minTime: minTime) }

    /// The formats to measure, in output order: dense, CSR, CSC, COO, then BSR per block size.
    var formatSpecs: [FormatSpec] {
        FormatKind.allCases.filter(formats.values.contains).flatMap { kind -> [FormatSpec] in
            kind == .bsr ? blockSizes.values.map { FormatSpec(kind: .bsr, block: $0) } : [FormatSpec(kind: kind)]
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each kept once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
