import ArgumentParser

/// A storage format the bench can measure (`--formats`). `bsr` stands for one row per `--block-sizes` entry.
enum FormatKind: String, CaseIterable, Sendable, ExpressibleByArgument, CustomStringConvertible {
    case dense, csr, csc, coo, bsr

    var description: String { rawValue }
}

/// The stored scalar (`--precision`): `half` stores Float16 and computes in Float.
enum Precision: String, CaseIterable, Sendable, ExpressibleByArgument {
    case half, float, double
}

/// A pruning method of `--prune`.
enum PruneMethod: String, CaseIterable, Sendable, ExpressibleByArgument, CustomStringConvertible {
    /// The largest magnitudes to the target density, stored as CSR.
    case magnitude
    /// Whole b×b blocks (b the first `--block-sizes` entry) with the largest Frobenius norm, stored as BSR.
    case block
    /// N:M structured sparsity (N:4 at densities of 1/4 and above, 1:M below), stored as CSR.
    case nm

    var description: String { rawValue }

    /// The N:M rule nearest a target density: `round(4d):4` when d ≥ 1/4 (2:4 at 50%), else `1:round(1/d)`.
    static func nOfM(density d: Double) -> (n: Int, m: Int) {
        if d >= 0.25 { return (Swift.min(4, Swift.max(1, Int((4 * d).rounded()))), 4) }
        // 1/d is clamped before it becomes an Int: a density below 2⁻⁶³ would not convert (m past any row is 1:row).
        return (1, Swift.max(1, Int(Swift.min((1 / d).rounded(), 0x1p62))))
    }
}

/// The index width of the sparse formats (`--index`).
enum IndexWidth: Int, CaseIterable, Sendable, ExpressibleByArgument {
    case bits32 = 32
    case bits64 = 64

    /// Bytes of one index.
    var bytes: Int { rawValue / 8 }
}

/// The structure of generated matrices (`--pattern`).
enum MatrixPattern: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Every position stored independently with probability `density`.
    case uniform
    /// A band around the diagonal, as wide as the density asks.
    case banded
    /// The 5-point Laplacian on a g×g grid, g = round(√size): a fixed density (densities are ignored).
    case stencil2d
    /// The 27-point stencil on a g×g×g grid, g = round(∛size): a fixed density (densities are ignored).
    case stencil3d
    /// Dense b×b blocks (b the first `--block-sizes` entry) present with probability `density`.
    case blocks

    /// Whether the pattern has its own density, so `--densities` does not apply.
    var hasFixedDensity: Bool { self == .stencil2d || self == .stencil3d }
}

/// What the sweep prints on stdout (`--format`).
enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, json, csv
}

/// What `inspect` and `kernels` print on stdout (`--format`).
enum TableOrJSON: String, CaseIterable, Sendable, ExpressibleByArgument {
    case table, json
}

/// A density given as a fraction (`0.05`) or a percentage (`5%`).
struct Density: Hashable, Sendable, ExpressibleByArgument, CustomStringConvertible {
    /// The fraction of stored positions, in (0, 1] once validated.
    var fraction: Double

    init(_ fraction: Double) { self.fraction = fraction }

    init?(argument: String) {
        if argument.hasSuffix("%") {
            guard let percent = Double(argument.dropLast()) else { return nil }
            fraction = percent / 100
        } else {
            guard let value = Double(argument) else { return nil }
            fraction = value
        }
    }

    var description: String { "\(fraction)" }
}
