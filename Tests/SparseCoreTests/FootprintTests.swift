import Testing
import SparseCore

@Suite("Memory footprints")
struct FootprintTests {
    // The matrix [[1, 0, 2, 0], [0, 0, 0, 0], [3, 4, 0, 5]]: 3×4, 5 entries.
    let d = try! DenseMatrix<Double>([[1, 0, 2, 0], [0, 0, 0, 0], [3, 4, 0, 5]])

    @Test func handComputedDoubleInt32() throws {
        let csr = try d.csr()
        // values 5 × 8, column indices 5 × 4, row offsets (3 + 1) × 4
        #expect(csr.footprint.valueBytes == 40)
        #expect(csr.footprint.indexBytes == 20)
        #expect(csr.footprint.offsetBytes == 16)
        #expect(csr.footprint.totalBytes == 76)
        #expect(csr.footprint.denseBytes == 96)
        #expect(csr.footprint.bytesPerStoredValue == 76.0 / 5)
        #expect(csr.footprint.ratioToDense == 76.0 / 96)

        let csc = try d.csc()
        // column offsets (4 + 1) × 4
        #expect(csc.footprint.totalBytes == 40 + 20 + 20)

        let coo = try d.coo()
        // values 5 × 8, row and column indices 2 × 5 × 4
        #expect(coo.footprint.totalBytes == 40 + 40)
        #expect(coo.footprint.offsetBytes == 0)

        #expect(d.footprint.totalBytes == 96)
        #expect(d.footprint.indexBytes == 0)

        // 2×2 blocks on a 3×4 matrix: block rows {0-1, 2(+pad)}, block columns {0-1, 2-3}.
        // Block row 0 touches blocks (0,0) and (0,1); block row 1 touches (1,0) and (1,1): 4 blocks.
        let bsr = try d.blockSparse(blockRows: 2, blockColumns: 2)
        #expect(bsr.blockCount == 4)
        #expect(bsr.footprint.valueBytes == 4 * 4 * 8)   // padding row included
        #expect(bsr.footprint.indexBytes == 4 * 4)
        #expect(bsr.footprint.offsetBytes == 3 * 4)
        #expect(bsr.footprint.storedValues == 16)
    }

    @Test func handComputedFloatInt64() throws {
        let f = DenseMatrix<Float>(rows: 3, columns: 4) { i, j in Float(d[i, j]) }
        let csr = try f.csr(indexType: Int64.self)
        #expect(csr.footprint.valueBytes == 20)
        #expect(csr.footprint.indexBytes == 40)
        #expect(csr.footprint.offsetBytes == 32)
        #expect(csr.footprint.totalBytes == 92)
        #expect(f.footprint.totalBytes == 48)
        let coo = try f.coo(indexType: Int64.self)
        #expect(coo.footprint.totalBytes == 20 + 80)
    }

    @Test func leadingDimensionPaddingIsCounted() throws {
        let padded = try DenseMatrix<Double>(rows: 2, columns: 3, leadingDimension: 5,
                                             elements: [1, 2, 3, 0, 0, 4, 5, 6, 0, 0])
        #expect(padded.footprint.valueBytes == 10 * 8)
        #expect(padded[1, 2] == 6)
        #expect(padded.footprint.denseBytes == 6 * 8)
    }

    /// Every footprint equals the byte sizes of the buffers the matrix holds, each allocated at exactly its
    /// element count, and equals the static estimate from shape and counts.
    @Test(arguments: MatrixCase.all)
    func footprintIsExactAndMatchesEstimate(_ c: MatrixCase) throws {
        let reference = c.dense(Double.self)
        let csr = try reference.csr(indexType: Int64.self)
        let nnz = csr.storedCount
        #expect(csr.values.count == nnz && csr.columnIndices.count == nnz && csr.rowOffsets.count == c.rows + 1)
        #expect(csr.footprint.totalBytes
                == csr.values.allocatedByteCount + csr.columnIndices.allocatedByteCount
                + csr.rowOffsets.allocatedByteCount)
        #expect(try csr.footprint == MemoryFootprint.estimate(format: .csr, rows: c.rows, columns: c.columns,
                                                          storedEntries: nnz, scalar: Double.self, index: Int64.self))
        let csc = try reference.csc(indexType: Int32.self)
        #expect(try csc.footprint == MemoryFootprint.estimate(format: .csc, rows: c.rows, columns: c.columns,
                                                          storedEntries: nnz, scalar: Double.self, index: Int32.self))
        let coo = try reference.coo(indexType: Int32.self)
        #expect(try coo.footprint == MemoryFootprint.estimate(format: .coo, rows: c.rows, columns: c.columns,
                                                          storedEntries: nnz, scalar: Double.self, index: Int32.self))
        #expect(try reference.footprint == MemoryFootprint.estimate(format: .dense, rows: c.rows, columns: c.columns,
                                                                storedEntries: 0, scalar: Double.self, index: Int32.self))
        for (r, cc) in [(2, 2), (3, 5)] {
            let (bsr, fill) = try csr.blockSparseConversion(blockRows: r, blockColumns: cc)
            #expect(bsr.values.count == bsr.blockCount * r * cc)
            #expect(try bsr.footprint == MemoryFootprint.estimate(
                format: .blockSparse(blockRows: r, blockColumns: cc), rows: c.rows, columns: c.columns,
                storedEntries: nnz, blockCount: bsr.blockCount, scalar: Double.self, index: Int32.self))
            #expect(fill.blockCount == bsr.blockCount)
            #expect(fill.entries == nnz)
            #expect(fill.fillValues == bsr.values.count - nnz)
            #expect(fill.fillBytes == fill.fillValues * 8)
            #expect(try csr.blockFill(blockRows: r, blockColumns: cc) == fill)
        }
    }

    @Test func blockFillHandComputed() throws {
        // Two full 2×2 blocks and one block holding a single entry: 12 values for 9 entries.
        let d = try DenseMatrix<Double>([
            [1, 2, 0, 0, 0, 0],
            [3, 4, 0, 0, 0, 0],
            [0, 0, 5, 6, 0, 7],
            [0, 0, 8, 9, 0, 0],
        ])
        let (bsr, fill) = try d.csr().blockSparseConversion(blockRows: 2, blockColumns: 2)
        #expect(fill.blockCount == 3)
        #expect(fill.storedValues == 12)
        #expect(fill.entries == 9)
        #expect(fill.fillValues == 3)
        #expect(fill.fillRatio == 12.0 / 9.0)
        #expect(fill.fillBytes == 24)
        #expect(bsr.fill == fill)
        #expect(bsr.blockRowOffsets.array == [0, 1, 3])
        #expect(bsr.blockColumnIndices.array == [0, 1, 2])
        #expect(bsr.values.array == [1, 2, 3, 4, 5, 6, 8, 9, 0, 7, 0, 0])
    }

    @Test func blockGeneratorHasUnitFill() throws {
        let a: CSRMatrix<Double, Int32> = try MatrixGenerator.blocks(rows: 64, columns: 48, blockRows: 4, blockColumns: 4,
                                                                     blockDensity: 0.2, seed: 3)
        let fill = try a.blockFill(blockRows: 4, blockColumns: 4)
        #expect(fill.fillRatio == 1)
        #expect(fill.blockCount > 0)
        #expect(a.storedCount == fill.blockCount * 16)
    }
}
