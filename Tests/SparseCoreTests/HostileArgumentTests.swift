import Testing
import SparseCore

/// Shapes, block sizes and densities at the edges of Int: each once trapped on overflow, spun over the rows of
/// an n × 0 matrix, or allocated by an unchecked count; each now gives a typed error, or its answer, at once.
@Suite("Arguments at the edges of Int")
struct HostileArgumentTests {
    @Test func denseShapesWhoseElementCountOverflows() {
        #expect(throws: SparseError.self) { try DenseMatrix<Double>(rows: Int.max, columns: 2, elements: [Double]()) }
        #expect(throws: SparseError.self) {
            try DenseMatrix<Double>(rows: 3, columns: 2, leadingDimension: Int.max, elements: [Double]())
        }
        #expect(throws: SparseError.self) {
            try DenseMatrix<Double>(rows: 2, columns: Int.max, layout: .columnMajor, elements: [Double]())
        }
    }

    /// Int.max × 0 holds nothing; its conversions refuse the shape (offsets over Int.max rows) at once, and it
    /// equals itself; 2³¹ × 0 is refused by Int32 before any pass over its rows.
    @Test func emptyDenseWithHugeRowCount() throws {
        let d = try DenseMatrix<Double>(rows: Int.max, columns: 0, elements: [Double]())
        #expect(d == d)
        #expect(throws: SparseError.self) { try d.csr(indexType: Int64.self) }
        #expect(throws: SparseError.self) { try d.csc(indexType: Int64.self) }
        #expect(throws: SparseError.self) { try d.coo(indexType: Int64.self) }
        #expect(throws: SparseError.self) { try d.blockSparse(blockRows: 2, blockColumns: 2, indexType: Int64.self) }
        #expect(d.dense(layout: .columnMajor).elements.isEmpty)
        let tall = try DenseMatrix<Float>(rows: 1 << 31, columns: 0, elements: [Float]())
        #expect(throws: SparseError.shapeTooLarge(rows: 1 << 31, columns: 0, indexType: "Int32")) {
            try tall.csr(indexType: Int32.self)
        }
    }

    /// A BSR whose element shape Int32 cannot address converts to CSR with a typed error, not 8 TB of counts.
    @Test func blockSparseShapeBeyondItsIndexType() throws {
        let b = try BlockSparseMatrix<Double, Int32>(rows: 1 << 40, columns: 1, blockRows: 1 << 40, blockColumns: 1,
                                                     blockRowOffsets: [0, 0], blockColumnIndices: [], values: [])
        #expect(throws: SparseError.shapeTooLarge(rows: 1 << 40, columns: 1, indexType: "Int32")) {
            try b.csr(indexType: Int32.self)
        }
    }

    /// A block size whose values do not overflow but would not fit in memory (2⁵⁹ values for one 2²⁹ × 2³⁰
    /// block on a 1 × 1 matrix) is refused before allocating; counting its fill allocates nothing and succeeds;
    /// a block merely larger than the matrix still converts, padded.
    @Test func blockSizesBeyondMemoryAreRefused() throws {
        let a = try CSRMatrix<Double, Int32>(rows: 1, columns: 1, rowOffsets: [0, 1], columnIndices: [0], values: [3])
        #expect(throws: SparseError.invalidBlockSize(rows: 1 << 29, columns: 1 << 30)) {
            try a.blockSparse(blockRows: 1 << 29, blockColumns: 1 << 30)
        }
        #expect(try a.blockFill(blockRows: 1 << 29, blockColumns: 1 << 30).storedValues == 1 << 59)
        let padded = try a.blockSparse(blockRows: 4, blockColumns: 4)
        #expect(padded.values.count == 16 && padded[0, 0] == 3 && padded.blockCount == 1)
    }

    /// An estimate with a negative size, a block below 1×1 or a zero-byte scalar is refused, naming the argument;
    /// it used to return negative byte counts. A block estimate with no block count still divides by r·c.
    @Test func estimatesRefuseImpossibleSizes() throws {
        func estimate(_ format: StorageFormat = .csr, rows: Int = 4, columns: Int = 4, entries: Int = 3,
                      blocks: Int? = nil, scalarBytes: Int = 8, indexBytes: Int = 4) throws(SparseError) -> MemoryFootprint {
            try MemoryFootprint.estimate(format: format, rows: rows, columns: columns, storedEntries: entries,
                                         blockCount: blocks, scalarBytes: scalarBytes, indexBytes: indexBytes)
        }
        #expect(throws: SparseError.invalidShape(rows: -1, columns: 4)) { try estimate(rows: -1) }
        #expect(throws: SparseError.invalidShape(rows: 4, columns: -2)) { try estimate(.dense, columns: -2) }
        #expect(throws: SparseError.invalidArgument(name: "storedEntries", reason: "-3 is negative")) {
            try estimate(.coo, entries: -3)
        }
        #expect(throws: SparseError.invalidArgument(name: "blockCount", reason: "-1 is negative")) {
            try estimate(.blockSparse(blockRows: 2, blockColumns: 2), blocks: -1)
        }
        #expect(throws: SparseError.invalidArgument(name: "scalarBytes", reason: "0 bytes: must be at least 1")) {
            try estimate(scalarBytes: 0)
        }
        #expect(throws: SparseError.invalidArgument(name: "indexBytes", reason: "-4 bytes: must be at least 1")) {
            try estimate(indexBytes: -4)
        }
        #expect(throws: SparseError.invalidBlockSize(rows: 0, columns: 2)) {
            try estimate(.blockSparse(blockRows: 0, blockColumns: 2))
        }
        // 7 entries in 2×3 blocks: at least ⌈7/6⌉ = 2 blocks of 6 values, 2 block rows of 4 rows.
        let b = try estimate(.blockSparse(blockRows: 2, blockColumns: 3), entries: 7)
        #expect(b.storedValues == 12 && b.valueBytes == 96 && b.indexBytes == 8 && b.offsetBytes == 12)
    }

    /// Footprints and fill reports of shapes too large to build saturate at Int.max instead of trapping.
    @Test func byteCountsSaturate() throws {
        let coo = try COOMatrix<Double, Int32>(rows: Int(Int32.max), columns: Int(Int32.max), rowIndices: [0],
                                               columnIndices: [0], values: [1])
        #expect(coo.footprint.denseBytes == Int.max)
        #expect(coo.footprint.ratioToDense < 1e-12)
        #expect(!coo.footprint.description.isEmpty)
        let dense = try MemoryFootprint.estimate(format: .dense, rows: 1 << 40, columns: 1 << 40, storedEntries: 0,
                                                 scalarBytes: 8, indexBytes: 4)
        #expect(dense.valueBytes == Int.max && dense.totalBytes == Int.max)
        let csr = try MemoryFootprint.estimate(format: .csr, rows: Int.max, columns: 1, storedEntries: 1,
                                               scalarBytes: 8, indexBytes: 8)
        #expect(csr.offsetBytes == Int.max)
        let a = try CSRMatrix<Double, Int32>(rows: 2, columns: 2, rowOffsets: [0, 1, 1], columnIndices: [1],
                                             values: [2])
        let fill = try a.blockFill(blockRows: Int.max, blockColumns: 2)
        #expect(fill.storedValues == Int.max && fill.fillBytes == Int.max)
    }

    /// The uniform generator: densities too small for log(1 − d) (whose first skip runs past the end: the
    /// last element was once stored every time), and shapes whose element count overflows.
    @Test func uniformGeneratorEdges() throws {
        let tiny: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 3, columns: 3, density: 1e-17)
        #expect(tiny.rows == 3 && tiny.storedCount == 0)
        let least: CSRMatrix<Double, Int32> = try MatrixGenerator.uniform(rows: 3, columns: 3,
                                                                          density: .leastNonzeroMagnitude)
        #expect(least.storedCount == 0)
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int64> = try MatrixGenerator.uniform(rows: 1 << 40, columns: 1 << 40, density: 0)
        }
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int64> = try MatrixGenerator.uniform(rows: Int.max, columns: 2, density: 0)
        }
    }

    /// CSC's shape errors name rows and columns in that order (its pattern's major count is the columns).
    @Test func cscShapeErrorsInRowColumnOrder() throws {
        let a = try CSCMatrix<Double, Int64>(rows: 1 << 31, columns: 1, columnOffsets: [0, 0], rowIndices: [],
                                             values: [])
        let error = SparseError.shapeTooLarge(rows: 1 << 31, columns: 1, indexType: "Int32")
        #expect(throws: error) { try a.csc(indexType: Int32.self) }
        #expect(throws: error) { try a.csr(indexType: Int32.self) }
    }

    /// Banded and stencil generators: bands wider than the matrix, grids whose point count overflows, and entry
    /// counts beyond the index type, refused before the matrix is built; the band's entry count as stored.
    @Test func bandedAndStencilEdges() throws {
        let wide: CSRMatrix<Double, Int32> = try MatrixGenerator.banded(size: 2, lower: 0, upper: Int.max)
        #expect(wide.storedCount == 3 && wide[0, 1] != 0 && wide[1, 0] == 0)
        let band: CSRMatrix<Double, Int32> = try MatrixGenerator.banded(size: 7, lower: 2, upper: 3)
        #expect(band.storedCount == 4 + 5 + 6 + 6 + 5 + 4 + 3)  // rows 0 to 6, counted by hand
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int32> = try MatrixGenerator.banded(size: 50_000, lower: 50_000, upper: 50_000)
        }
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int64> = try MatrixGenerator.banded(size: 1 << 40, lower: 1 << 40, upper: 0)
        }
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int64> = try MatrixGenerator.stencil2D(nx: Int.max, ny: 2)
        }
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int64> = try MatrixGenerator.stencil3D(nx: 1 << 32, ny: 1 << 32, nz: 1)
        }
    }

    /// The blocks generator counts its entries before building: too many for Int32 is an error at once (it grew
    /// past 4 GB first), a block grid too tall for Int32 too; a small case keeps its exact count.
    @Test func blocksGeneratorEdges() throws {
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(
                rows: 1, columns: 1 << 33, blockRows: 1, blockColumns: 1 << 33, blockDensity: 1)
        }
        #expect(throws: SparseError.self) {
            let _: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(
                rows: 1 << 40, columns: 1, blockRows: 1 << 40, blockColumns: 1, blockDensity: 0)
        }
        // 5 × 7 in 2 × 3 blocks, all present: every element, edge blocks cut to the matrix.
        let full: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 5, columns: 7, blockRows: 2,
                                                                        blockColumns: 3, blockDensity: 1)
        #expect(full.storedCount == 35)
    }
}
