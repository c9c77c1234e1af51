import Testing
import SparseCore

@Suite("Seeded generators")
struct GeneratorTests {
    @Test func uniformIsDeterministicAndNearTheDensity() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 300, columns: 200, density: 0.05, seed: 11)
        let b: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 300, columns: 200, density: 0.05, seed: 11)
        let c: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 300, columns: 200, density: 0.05, seed: 12)
        #expect(a == b)
        #expect(a != c)
        // 60 000 Bernoulli(0.05) draws: mean 3000, sd ≈ 53; ±5 sd.
        #expect(abs(a.storedCount - 3000) < 270)
        #expect(a.values.allSatisfy { $0 != 0 && $0 >= -1 && $0 < 1 })
        // A valid pattern: the checked initializer accepts it.
        _ = try CSRMatrix(rows: a.rows, columns: a.columns, rowOffsets: a.rowOffsets, columnIndices: a.columnIndices,
                          values: a.values)
        let full: CSRMatrix<Float, Int64> = try MatrixGenerator.uniform(rows: 7, columns: 9, density: 1)
        #expect(full.storedCount == 63)
        let empty: CSRMatrix<Float, Int32> = try MatrixGenerator.uniform(rows: 7, columns: 9, density: 0)
        #expect(empty.storedCount == 0 && empty.rowOffsets.count == 8)
        #expect(throws: SparseError.invalidArgument(name: "density", reason: "1.5 is outside [0, 1]")) {
            let _: CSRMatrix<Float, Int32> = try MatrixGenerator.uniform(rows: 2, columns: 2, density: 1.5)
        }
    }

    @Test func stencil2DIsTheFivePointLaplacian() throws {
        let (nx, ny) = (6, 4)
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.stencil2D(nx: nx, ny: ny)
        #expect(a.rows == 24 && a.columns == 24)
        #expect(a.storedCount == 5 * nx * ny - 2 * nx - 2 * ny)
        let d = a.dense()
        for y in 0..<ny {
            for x in 0..<nx {
                let i = y * nx + x
                #expect(d[i, i] == 4)
                var neighbours = 0
                for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                    let (u, v) = (x + dx, y + dy)
                    if u >= 0 && u < nx && v >= 0 && v < ny {
                        #expect(d[i, v * nx + u] == -1)
                        neighbours += 1
                    }
                }
                #expect(a.pattern.range(ofSlice: i).count == neighbours + 1)
            }
        }
        #expect(a.transposed() == a)
    }

    @Test func stencil3DHasTwentySevenPointRows() throws {
        let (nx, ny, nz) = (4, 3, 5)
        let a: CSRMatrix<Float, Int64> = try MatrixGenerator.stencil3D(nx: nx, ny: ny, nz: nz)
        #expect(a.rows == nx * ny * nz)
        // Per axis, a line of n points has 3n − 2 (point, offset) pairs inside the grid.
        #expect(a.storedCount == (3 * nx - 2) * (3 * ny - 2) * (3 * nz - 2))
        let interior = (1 * ny + 1) * nx + 1
        #expect(a.pattern.range(ofSlice: interior).count == 27)
        #expect(a[interior, interior] == 26)
        #expect(a[interior, interior + nx * ny + nx + 1] == -1)
        #expect(a[0, (nx * ny) * 2] == 0)
        #expect(a.transposed() == a)
    }

    @Test func bandedStoresExactlyTheBand() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.banded(size: 10, lower: 2, upper: 1, seed: 5)
        for i in 0..<10 {
            for j in 0..<10 {
                let inBand = j - i >= -2 && j - i <= 1
                #expect((a[i, j] != 0) == inBand, "(\(i), \(j))")
            }
        }
        #expect(a.storedCount == 10 + 9 + 9 + 8)
    }

    @Test func blocksPlaceFullBlocksOnTheGrid() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 30, columns: 21, blockRows: 4, blockColumns: 3,
                                                                     blockDensity: 0.3, seed: 9)
        let bsr = try a.blockSparse(blockRows: 4, blockColumns: 3)
        // Each stored block is full wherever it lies inside the matrix (the last block row is cut at row 30).
        #expect(try bsr.csr() == a)
        var expected = 0
        for br in 0..<bsr.blockRowCount { expected += bsr.pattern.range(ofSlice: br).count * (min(30, br * 4 + 4) - br * 4) * 3 }
        #expect(a.storedCount == expected)
        let again: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 30, columns: 21, blockRows: 4,
                                                                         blockColumns: 3, blockDensity: 0.3, seed: 9)
        #expect(again == a)
    }
}
