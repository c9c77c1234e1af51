import Testing
import SparseCore

@Suite("Checked initializers report the broken invariant")
struct ValidationTests {
    typealias CSR = CSRMatrix<Double, Int32>

    func csrError(_ rows: Int, _ columns: Int, _ offsets: [Int32], _ indices: [Int32], _ values: [Double]) -> SparseError? {
        do {
            _ = try CSR(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
            return nil
        } catch {
            return error
        }
    }

    @Test func csrInvariants() {
        #expect(csrError(2, 3, [0, 1, 2], [0, 2], [1, 2]) == nil)
        #expect(csrError(-1, 3, [0], [], []) == .invalidShape(rows: -1, columns: 3))
        #expect(csrError(2, 3, [0, 2], [0, 2], [1, 2])
                == .lengthMismatch(array: "rowOffsets", expected: 3, actual: 2))
        #expect(csrError(2, 3, [1, 1, 2], [0, 2], [1, 2]) == .offsetsMustStartAtZero(array: "rowOffsets", actual: 1))
        #expect(csrError(2, 3, [0, 2, 1], [0, 2], [1, 2])
                == .decreasingOffsets(array: "rowOffsets", position: 2, previous: 2, value: 1))
        #expect(csrError(2, 3, [0, 1, 1], [0, 2], [1, 2])
                == .offsetsMustEndAtEntryCount(array: "rowOffsets", expected: 2, actual: 1))
        #expect(csrError(2, 3, [0, 1, 3], [0, 2], [1, 2])
                == .offsetsMustEndAtEntryCount(array: "rowOffsets", expected: 2, actual: 3))
        #expect(csrError(2, 3, [0, 1, 2], [0, 3], [1, 2])
                == .indexOutOfRange(array: "columnIndices", position: 1, index: 3, bound: 3))
        #expect(csrError(2, 3, [0, 1, 2], [0, -1], [1, 2])
                == .indexOutOfRange(array: "columnIndices", position: 1, index: -1, bound: 3))
        #expect(csrError(1, 3, [0, 2], [2, 1], [1, 2])
                == .unsortedIndices(array: "columnIndices", slice: "row", sliceIndex: 0, position: 1, previous: 2, value: 1))
        #expect(csrError(2, 3, [0, 0, 2], [1, 1], [1, 2])
                == .duplicateIndex(array: "columnIndices", slice: "row", sliceIndex: 1, position: 1, index: 1))
        #expect(csrError(2, 3, [0, 1, 2], [0, 2], [1])
                == .lengthMismatch(array: "values", expected: 2, actual: 1))
    }

    @Test func cscInvariantsNameColumnArrays() {
        #expect(throws: SparseError.unsortedIndices(array: "rowIndices", slice: "column", sliceIndex: 1, position: 2,
                                                    previous: 2, value: 0)) {
            _ = try CSCMatrix<Float, Int32>(rows: 3, columns: 2, columnOffsets: [0, 1, 3], rowIndices: [0, 2, 0],
                                            values: [1, 2, 3])
        }
        #expect(throws: SparseError.lengthMismatch(array: "columnOffsets", expected: 3, actual: 2)) {
            _ = try CSCMatrix<Float, Int32>(rows: 3, columns: 2, columnOffsets: [0, 1], rowIndices: [0],
                                            values: [1])
        }
    }

    @Test func cooInvariants() {
        #expect(throws: SparseError.indexOutOfRange(array: "rowIndices", position: 1, index: 2, bound: 2)) {
            _ = try COOMatrix<Double, Int32>(rows: 2, columns: 2, rowIndices: [0, 2], columnIndices: [0, 0], values: [1, 2])
        }
        #expect(throws: SparseError.indexOutOfRange(array: "columnIndices", position: 0, index: 5, bound: 2)) {
            _ = try COOMatrix<Double, Int32>(rows: 2, columns: 2, entries: [(0, 5, 1.0)])
        }
        #expect(throws: SparseError.lengthMismatch(array: "columnIndices", expected: 2, actual: 1)) {
            _ = try COOMatrix<Double, Int32>(rows: 2, columns: 2, rowIndices: [0, 1], columnIndices: [0], values: [1, 2])
        }
    }

    @Test func blockSparseInvariants() {
        #expect(throws: SparseError.invalidBlockSize(rows: 0, columns: 2)) {
            _ = try BlockSparseMatrix<Double, Int32>(rows: 2, columns: 2, blockRows: 0, blockColumns: 2,
                                                     blockRowOffsets: [0], blockColumnIndices: [], values: [])
        }
        // 3×3 with 2×2 blocks: one block at (1, 1) covers rows 2–3 and columns 2–3; row 3 and column 3 are padding.
        #expect(throws: SparseError.nonzeroBlockPadding(block: 0, row: 2, column: 3)) {
            _ = try BlockSparseMatrix<Double, Int32>(rows: 3, columns: 3, blockRows: 2, blockColumns: 2,
                                                     blockRowOffsets: [0, 0, 1], blockColumnIndices: [1],
                                                     values: [5, 1, 0, 0])
        }
        #expect(throws: SparseError.lengthMismatch(array: "values", expected: 4, actual: 3)) {
            _ = try BlockSparseMatrix<Double, Int32>(rows: 4, columns: 4, blockRows: 2, blockColumns: 2,
                                                     blockRowOffsets: [0, 1, 1], blockColumnIndices: [0],
                                                     values: [1, 2, 3])
        }
        #expect(throws: SparseError.indexOutOfRange(array: "blockColumnIndices", position: 0, index: 2, bound: 2)) {
            _ = try BlockSparseMatrix<Double, Int32>(rows: 4, columns: 4, blockRows: 2, blockColumns: 2,
                                                     blockRowOffsets: [0, 1, 1], blockColumnIndices: [2],
                                                     values: [1, 2, 3, 4])
        }
        let ok = try? BlockSparseMatrix<Double, Int32>(rows: 3, columns: 3, blockRows: 2, blockColumns: 2,
                                                       blockRowOffsets: [0, 0, 1], blockColumnIndices: [1],
                                                       values: [5, 0, 0, 0])
        #expect(ok?[2, 2] == 5)
    }

    @Test func denseInvariants() {
        #expect(throws: SparseError.invalidLeadingDimension(leadingDimension: 2, minimum: 3)) {
            _ = try DenseMatrix<Double>(rows: 2, columns: 3, leadingDimension: 2, elements: [1, 2, 3, 4])
        }
        #expect(throws: SparseError.lengthMismatch(array: "elements", expected: 6, actual: 5)) {
            _ = try DenseMatrix<Double>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5])
        }
        #expect(throws: SparseError.lengthMismatch(array: "row 1", expected: 2, actual: 1)) {
            _ = try DenseMatrix<Double>([[1, 2], [3]])
        }
        #expect(throws: SparseError.invalidShape(rows: 2, columns: -1)) {
            _ = try DenseMatrix<Double>(rows: 2, columns: -1, elements: [Double]())
        }
    }

    /// Shapes and counts that do not fit Int32 are rejected, before anything is allocated from them.
    @Test func indexOverflowIsAnErrorNotAWrap() throws {
        let big = Int(Int32.max) + 1
        #expect(throws: SparseError.shapeTooLarge(rows: big, columns: 2, indexType: "Int32")) {
            _ = try COOMatrix<Double, Int32>(rows: big, columns: 2, entries: [])
        }
        let wide = try COOMatrix<Double, Int64>(rows: 3_000_000_000, columns: 2, rowIndices: [2_999_999_999],
                                                columnIndices: [1], values: [1])
        #expect(wide[2_999_999_999, 1] == 1)
        #expect(throws: SparseError.shapeTooLarge(rows: 3_000_000_000, columns: 2, indexType: "Int32")) {
            _ = try wide.csr(indexType: Int32.self)
        }
        #expect(throws: SparseError.shapeTooLarge(rows: 3_000_000_000, columns: 2, indexType: "Int32")) {
            _ = try wide.coo(indexType: Int32.self)
        }
        #expect(throws: SparseError.tooManyEntries(count: big, indexType: "Int32")) {
            try Int32.checkAddressable(rows: 10, columns: 10, entries: big)
        }
    }

    @Test func errorsDescribeThemselves() {
        let e = SparseError.unsortedIndices(array: "columnIndices", slice: "row", sliceIndex: 4, position: 17,
                                            previous: 9, value: 3)
        #expect(e.description == "columnIndices[17] = 3 follows 9 in row 4: indices must be sorted")
        #expect(SparseError.indexOutOfRange(array: "rowIndices", position: 2, index: 7, bound: 5).description
                == "rowIndices[2] = 7 is outside 0..<5")
    }
}
