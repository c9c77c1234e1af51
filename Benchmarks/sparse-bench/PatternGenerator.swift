import Foundation
import SwiftSparse

/// Builds the generated matrices of the sweep from a pattern, a size and a density, all seeded.
enum PatternGenerator {
    /// The CSR matrix of `pattern` at `density` (ignored by the stencils).
    ///
    /// - uniform: each of size² positions stored with probability `density`.
    /// - banded: the band |i − j| ≤ w with the half-width w whose entry count is nearest `density · size²`.
    /// - blocks: b×b dense blocks on the block grid, each present with probability `density`.
    /// - stencil2d / stencil3d: the grid Laplacians on the grid nearest `size` (see ``gridSide(size:dimensions:)``).
    static func generate<S: SparseScalar, I: SparseIndex>(
        _ pattern: MatrixPattern, size: Int, density: Double, block: Int, seed: UInt64,
        scalar: S.Type = S.self, index: I.Type = I.self
    ) throws(SparseError) -> CSRMatrix<S, I> {
        switch pattern {
        case .uniform:
            return try MatrixGenerator.uniform(rows: size, columns: size, density: density, seed: seed)
        case .banded:
            let w = bandHalfWidth(size: size, density: density)
            return try MatrixGenerator.banded(size: size, lower: w, upper: w, seed: seed)
        case .blocks:
            return try MatrixGenerator.blocks(rows: size, columns: size, blockRows: block, blockColumns: block,
                                              blockDensity: density, seed: seed)
        case .stencil2d:
            let g = gridSide(size: size, dimensions: 2)
            return try MatrixGenerator.stencil2D(nx: g, ny: g)
        case .stencil3d:
            let g = gridSide(size: size, dimensions: 3)
            return try MatrixGenerator.stencil3D(nx: g, ny: g, nz: g)
        }
    }

    /// The band half-width w in 0..<n whose entry count n(2w + 1) − w(w + 1) is nearest `density · n²`.
    static func bandHalfWidth(size n: Int, density: Double) -> Int {
        guard n > 1 else { return 0 }
        let target = density * Double(n) * Double(n)
        // Solve w² + (1 − 2n)w + (target − n) = 0 for the smaller root, then pick the nearer integer.
        let b = Double(2 * n - 1)
        let disc = Swift.max(0, b * b - 4 * (target - Double(n)))
        let w = (b - disc.squareRoot()) / 2
        func count(_ w: Int) -> Double { Double(n * (2 * w + 1) - w * (w + 1)) }
        let lo = Swift.min(n - 1, Swift.max(0, Int(w.rounded(.down))))
        let hi = Swift.min(n - 1, lo + 1)
        return abs(count(lo) - target) <= abs(count(hi) - target) ? lo : hi
    }

    /// The side g of the stencil grid nearest `size` points: round(size^(1/dimensions)), at least 1.
    static func gridSide(size: Int, dimensions: Int) -> Int {
        Swift.max(1, Int(pow(Double(size), 1 / Double(dimensions)).rounded()))
    }
}
