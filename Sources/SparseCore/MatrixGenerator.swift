#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A small, fast, seeded random number generator (SplitMix64). The same seed gives the same sequence on
/// every platform, so generated matrices are reproducible across runs, tests and benchmarks.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// A generator started from `seed`.
    @inlinable public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A non-zero value uniform in [-1, 1) (zero is replaced by 0.5), so a generated entry is never an
    /// accidental explicit zero.
    @inlinable
    public mutating func nextNonzeroValue() -> Double {
        let v = nextUnit() * 2 - 1
        return v == 0 ? 0.5 : v
    }
}

/// Deterministic (seeded) matrix generators shared by tests and the benchmark. Each returns CSR; convert
/// to any other format with the conversion methods.
public enum MatrixGenerator {
    /// Each of the `rows × columns` positions is stored independently with probability `density`, with a
    /// value uniform in [-1, 1) (never 0). Cost is O(stored entries), not O(rows × columns).
    @inlinable
    public static func uniform<Scalar: SparseScalar, Index: SparseIndex>(
        rows: Int, columns: Int, density: Double, seed: UInt64 = 1,
        scalar: Scalar.Type = Scalar.self, index: Index.Type = Index.self
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard density >= 0, density <= 1 else {
            throw .invalidArgument(name: "density", reason: "\(density) is outside [0, 1]")
        }
        try Index.checkAddressable(rows: rows, columns: columns, entries: 0)
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        if overflow { throw .shapeTooLarge(rows: rows, columns: columns, indexType: "Int (its element count)") }
        let mean = (Double(total) * density).rounded(.up)
        guard mean < 0x1p62 else { throw .tooManyEntries(count: Int.max, indexType: Index.indexName) }
        try Index.checkAddressable(rows: rows, columns: columns, entries: Int(mean))
        var rng = SplitMix64(seed: seed)
        var offsets = [Index](repeating: 0, count: rows + 1)
        var cols = [Index](), vals = [Scalar]()
        let expected = Int(Double(total) * density * 1.02) + 16
        cols.reserveCapacity(expected); vals.reserveCapacity(expected)
        if density > 0 && total > 0 {
            // Geometric skips between stored positions give independent Bernoulli(density) draws.
            // log1p only where 1 − density rounds to 1 (densities below about 10⁻¹⁶), so that every other
            // density keeps the matrices it always gave.
            let logq = density < 1 ? (1 - density < 1 ? log(1 - density) : log1p(-density)) : -Double.infinity
            var pos = -1
            var row = 0
            while true {
                let skip: Int
                if density >= 1 {
                    skip = 1
                } else {
                    let u = 1 - rng.nextUnit() // (0, 1]
                    let g = (log(u) / logq).rounded(.down)
                    // g failures before the next stored position: past the end, stop (g was once clamped to
                    // `total`, which stored the last element whenever the first skip ran past the end).
                    if g >= Double(total &- pos &- 1) { break }
                    skip = Int(g) + 1
                }
                pos += skip
                if pos >= total { break }
                let i = pos / columns
                while row < i { row += 1; offsets[row] = Index(truncatingIfNeeded: cols.count) }
                cols.append(Index(truncatingIfNeeded: pos - i * columns))
                vals.append(Scalar(rng.nextNonzeroValue()))
            }
            while row < rows { row += 1; offsets[row] = Index(truncatingIfNeeded: cols.count) }
        }
        try Index.checkAddressable(rows: rows, columns: columns, entries: cols.count)
        return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: SparseBuffer(offsets),
                         columnIndices: SparseBuffer(cols), values: SparseBuffer(vals))
    }

    /// An n×n banded matrix: every (i, j) with `-lower ≤ j - i ≤ upper` is stored, with a seeded value in
    /// [-1, 1) (never 0).
    @inlinable
    public static func banded<Scalar: SparseScalar, Index: SparseIndex>(
        size n: Int, lower: Int, upper: Int, seed: UInt64 = 1,
        scalar: Scalar.Type = Scalar.self, index: Index.Type = Index.self
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        guard n >= 0 else { throw .invalidShape(rows: n, columns: n) }
        guard lower >= 0, upper >= 0 else {
            throw .invalidArgument(name: "bandwidth", reason: "lower \(lower) and upper \(upper) must be ≥ 0")
        }
        // The shape and the entry count first (at most n · (lower + upper + 1), exactly as the loop stores them),
        // clamping the bands to the matrix so that no sum overflows.
        try Index.checkAddressable(rows: n, columns: n, entries: 0)
        let lower = Swift.min(lower, Swift.max(n - 1, 0)), upper = Swift.min(upper, Swift.max(n - 1, 0))
        let (full, overflow) = n.multipliedReportingOverflow(by: lower + upper + 1)
        if overflow { throw .tooManyEntries(count: Int.max, indexType: Index.indexName) }
        // n·band bounds each triangle's cut, so these do not overflow either.
        let entries = full - lower * (lower + 1) / 2 - upper * (upper + 1) / 2
        try Index.checkAddressable(rows: n, columns: n, entries: Swift.max(0, entries))
        var rng = SplitMix64(seed: seed)
        var offsets = [Index](repeating: 0, count: n + 1)
        var cols = [Index](), vals = [Scalar]()
        cols.reserveCapacity(entries); vals.reserveCapacity(entries)
        for i in 0..<n {
            for j in Swift.max(0, i - lower)...Swift.max(Swift.min(n - 1, i + upper), Swift.max(0, i - lower) - 1)
            where j <= Swift.min(n - 1, i + upper) {
                cols.append(Index(truncatingIfNeeded: j))
                vals.append(Scalar(rng.nextNonzeroValue()))
            }
            offsets[i + 1] = Index(truncatingIfNeeded: cols.count)
        }
        return CSRMatrix(uncheckedRows: n, columns: n, rowOffsets: SparseBuffer(offsets),
                         columnIndices: SparseBuffer(cols), values: SparseBuffer(vals))
    }

    /// The 5-point Laplacian on an `nx × ny` grid (n = nx·ny rows): 4 on the diagonal, −1 for each of the
    /// up to four grid neighbours. Grid point (x, y) is row `y·nx + x`.
    @inlinable
    public static func stencil2D<Scalar: SparseScalar, Index: SparseIndex>(
        nx: Int, ny: Int, scalar: Scalar.Type = Scalar.self, index: Index.Type = Index.self
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        try stencil(nx: nx, ny: ny, nz: 1, reach: [(0, -1, 0), (-1, 0, 0), (0, 0, 0), (1, 0, 0), (0, 1, 0)],
                    center: 4)
    }

    /// The 27-point stencil on an `nx × ny × nz` grid (n = nx·ny·nz rows): 26 on the diagonal, −1 for each of
    /// the up to 26 neighbours in the surrounding 3×3×3 cube. Point (x, y, z) is row `(z·ny + y)·nx + x`.
    @inlinable
    public static func stencil3D<Scalar: SparseScalar, Index: SparseIndex>(
        nx: Int, ny: Int, nz: Int, scalar: Scalar.Type = Scalar.self, index: Index.Type = Index.self
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        var reach = [(Int, Int, Int)]()
        for dz in -1...1 { for dy in -1...1 { for dx in -1...1 { reach.append((dx, dy, dz)) } } }
        return try stencil(nx: nx, ny: ny, nz: nz, reach: reach, center: 26)
    }

    /// A stencil with −1 at every offset in `reach` (sorted so rows come out column-sorted) and `center` on
    /// the diagonal.
    @inlinable
    static func stencil<Scalar: SparseScalar, Index: SparseIndex>(
        nx: Int, ny: Int, nz: Int, reach: [(Int, Int, Int)], center: Double
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        guard nx >= 0, ny >= 0, nz >= 0 else {
            throw .invalidArgument(name: "grid", reason: "\(nx)×\(ny)×\(nz) has a negative side")
        }
        let (nxy, o1) = nx.multipliedReportingOverflow(by: ny), (n, o2) = nxy.multipliedReportingOverflow(by: nz)
        let (stored, o3) = n.multipliedReportingOverflow(by: reach.count)
        if o1 || o2 || o3 {
            throw .invalidArgument(name: "grid", reason: "\(nx)×\(ny)×\(nz) points overflow Int")
        }
        let sorted = reach.sorted { ($0.2, $0.1, $0.0) < ($1.2, $1.1, $1.0) }
        try Index.checkAddressable(rows: n, columns: n, entries: stored)
        var offsets = [Index](repeating: 0, count: n + 1)
        var cols = [Index](), vals = [Scalar]()
        cols.reserveCapacity(n * reach.count); vals.reserveCapacity(n * reach.count)
        for z in 0..<nz {
            for y in 0..<ny {
                for x in 0..<nx {
                    let row = (z * ny + y) * nx + x
                    for (dx, dy, dz) in sorted {
                        let (a, b, c) = (x + dx, y + dy, z + dz)
                        guard a >= 0, a < nx, b >= 0, b < ny, c >= 0, c < nz else { continue }
                        cols.append(Index(truncatingIfNeeded: (c * ny + b) * nx + a))
                        vals.append(dx == 0 && dy == 0 && dz == 0 ? Scalar(center) : -1)
                    }
                    offsets[row + 1] = Index(truncatingIfNeeded: cols.count)
                }
            }
        }
        return CSRMatrix(uncheckedRows: n, columns: n, rowOffsets: SparseBuffer(offsets),
                         columnIndices: SparseBuffer(cols), values: SparseBuffer(vals))
    }

    /// Dense r×c blocks on the block grid of a `rows × columns` matrix, each block present independently with
    /// probability `blockDensity`; every in-bounds element of a present block gets a seeded value in [-1, 1)
    /// (never 0). Converting the result to r×c blocks gives fill ratio 1 when r and c divide the shape.
    @inlinable
    public static func blocks<Scalar: SparseScalar, Index: SparseIndex>(
        rows: Int, columns: Int, blockRows r: Int, blockColumns c: Int, blockDensity: Double, seed: UInt64 = 1,
        scalar: Scalar.Type = Scalar.self, index: Index.Type = Index.self
    ) throws(SparseError) -> CSRMatrix<Scalar, Index> {
        guard rows >= 0, columns >= 0 else { throw .invalidShape(rows: rows, columns: columns) }
        guard r >= 1, c >= 1 else { throw .invalidBlockSize(rows: r, columns: c) }
        let nbr = _blockCount(rows, r), nbc = _blockCount(columns, c)
        // Choose the blocks (a uniform pattern on the block grid), then expand each into its elements.
        let grid = try uniform(rows: nbr, columns: nbc, density: blockDensity, seed: seed,
                               scalar: Double.self, index: Int64.self)
        // The shape and the exact entry count (the in-bounds elements of the present blocks) before anything is
        // allocated for them.
        try Index.checkAddressable(rows: rows, columns: columns, entries: 0)
        var entries = 0
        for br in 0..<nbr {
            let height = Swift.min(r, rows - br * r)
            for b in grid.pattern.range(ofSlice: br) {
                let width = Swift.min(c, columns - Int(grid.pattern.indices[b]) * c)
                let (e, o1) = height.multipliedReportingOverflow(by: width)
                let (sum, o2) = entries.addingReportingOverflow(e)
                if o1 || o2 { throw .tooManyEntries(count: Int.max, indexType: Index.indexName) }
                entries = sum
            }
        }
        try Index.checkAddressable(rows: rows, columns: columns, entries: entries)
        var rng = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        var offsets = [Index](repeating: 0, count: rows + 1)
        var cols = [Index](), vals = [Scalar]()
        cols.reserveCapacity(entries); vals.reserveCapacity(entries)
        for i in 0..<rows {
            let br = i / r
            for b in grid.pattern.range(ofSlice: br) {
                let j0 = Int(grid.pattern.indices[b]) * c
                for j in j0..<Swift.min(j0 + c, columns) {
                    cols.append(Index(truncatingIfNeeded: j))
                    vals.append(Scalar(rng.nextNonzeroValue()))
                }
            }
            offsets[i + 1] = Index(truncatingIfNeeded: cols.count)
        }
        return CSRMatrix(uncheckedRows: rows, columns: columns, rowOffsets: SparseBuffer(offsets),
                         columnIndices: SparseBuffer(cols), values: SparseBuffer(vals))
    }
}
