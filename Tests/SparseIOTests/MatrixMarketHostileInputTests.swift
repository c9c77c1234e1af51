import Testing
import SparseCore
@testable import SparseIO

/// Size lines and arguments that once trapped, overran a buffer, spun or read without end: each now gives a
/// typed error, or the (empty) matrix it declares, at once; and the writer's edges that once made files it
/// could not read back or refused (a CRLF comment, −2^63 in the integer field).
@Suite("Hostile size lines and arguments")
struct MatrixMarketHostileInputTests {
    static let coordinate = "%%MatrixMarket matrix coordinate real general\n"
    static let array = "%%MatrixMarket matrix array real general\n"

    /// Shapes near Int.max with 64-bit indices: the offsets' count (rows + columns + 2) once wrapped past the
    /// allocation check and the CSR conversion wrote past a 1-byte buffer, or trapped on rows + 1.
    @Test(arguments: ["9223372036854775807 9223372036854775807 0", "9223372036854775806 9223372036854775807 0",
                      "9223372036854775807 1 0", "1 9223372036854775806 0"])
    func shapesNearIntMaxAreRefused(size: String) {
        let file = Self.coordinate + size + "\n"
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.read(string: file, as: CSRMatrix<Double, Int64>.self)
        }
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.read(string: file, as: CSCMatrix<Double, Int64>.self)
        }
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.readBlockSparse(string: file, blockRows: 2, blockColumns: 2, index: Int64.self)
        }
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.read(string: file, as: DenseMatrix<Float>.self) }
        // COO stores no offsets, but its shape must still leave room for them in every conversion.
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.read(string: file, as: COOMatrix<Double, Int64>.self)
        }
    }

    /// An array of 10¹¹ × 0 holds nothing: COO and dense get the empty matrix without a pass over its rows;
    /// Int32 indices cannot address it; CSR's offsets would not fit in memory.
    @Test func emptyArrayWithHugeRowCount() throws {
        let file = Self.array + "100000000000 0\n"
        let coo = try MatrixMarket.read(string: file, as: COOMatrix<Double, Int64>.self).matrix
        #expect(coo.rows == 100_000_000_000 && coo.columns == 0 && coo.storedCount == 0)
        let dense = try MatrixMarket.read(string: file, as: DenseMatrix<Double>.self).matrix
        #expect(dense.rows == 100_000_000_000 && dense.columns == 0 && dense.elements.isEmpty)
        let columnMajor = try MatrixMarket.readDense(string: file, layout: .columnMajor).matrix
        #expect(columnMajor.elements.isEmpty)
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.read(string: file, as: COOMatrix<Double, Int32>.self)
        }
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.read(string: file, as: CSRMatrix<Double, Int64>.self)
        }
    }

    /// A hypersparse file, 2 × 10¹² with three entries: CSR compresses its 2 rows (the conversion sorts rather
    /// than counting per column, so the 10¹² columns cost nothing) and CSC of its transpose its 2 columns;
    /// both were refused as 32 TB of offsets. Compressing the long axis is still refused before allocating.
    @Test func hypersparseShapeReadsAlongItsShortAxis() throws {
        let wide = Self.coordinate + "2 1000000000000 3\n1 1000000000000 1.5\n2 1 2\n1 7 -1\n"
        let csr = try MatrixMarket.read(string: wide, as: CSRMatrix<Double, Int64>.self).matrix
        #expect(csr.rows == 2 && csr.columns == 1_000_000_000_000)
        #expect(csr.pattern.offsets.map { Int($0) } == [0, 2, 3])
        #expect(csr.pattern.indices.map { Int($0) } == [6, 999_999_999_999, 0])
        #expect(Array(csr.values) == [-1, 1.5, 2])
        let bsr = try MatrixMarket.readBlockSparse(string: wide, blockRows: 2, blockColumns: 4, index: Int64.self)
        #expect(bsr.matrix.blockCount == 3 && bsr.matrix[0, 999_999_999_999] == 1.5 && bsr.matrix[1, 0] == 2)
        let tall = Self.coordinate + "1000000000000 2 3\n1000000000000 1 1.5\n1 2 2\n7 1 -1\n"
        let csc = try MatrixMarket.read(string: tall, as: CSCMatrix<Double, Int64>.self).matrix
        #expect(csc.pattern.offsets.map { Int($0) } == [0, 2, 3])
        #expect(csc.pattern.indices.map { Int($0) } == [6, 999_999_999_999, 0])
        #expect(Array(csc.values) == [-1, 1.5, 2])
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.read(string: tall, as: CSRMatrix<Double, Int64>.self) }
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.read(string: wide, as: CSCMatrix<Double, Int64>.self) }
    }

    /// Empty arrays in either orientation read back, as the writer writes them (0 × 4200 was refused as
    /// 4200 elements), and store no elements.
    @Test(arguments: [(0, 4200), (4200, 0), (0, 3), (0, 0)])
    func emptyArraysRoundTrip(rows: Int, columns: Int) throws {
        for layout in [DenseLayout.rowMajor, .columnMajor] {
            let d = DenseMatrix<Double>(rows: rows, columns: columns, layout: layout)
            let text = try MatrixMarket.string(d, format: .array)
            let back = try MatrixMarket.readDense(string: text, layout: layout).matrix
            #expect(back.rows == rows && back.columns == columns && back.elements.isEmpty,
                    "\(rows)×\(columns) \(layout)")
        }
        let file = Self.array + "\(rows) \(columns)\n"
        let back = try MatrixMarket.readDense(string: file, layout: .columnMajor).matrix
        #expect(back.elements.isEmpty)
    }

    /// A comment with CRLF, a lone CR or LF: each line break starts a comment line, so the file reads back.
    @Test func commentLineBreaks() throws {
        let a = try COOMatrix<Double, Int32>(rows: 2, columns: 2, rowIndices: [1], columnIndices: [0], values: [3])
        let text = try MatrixMarket.string(a, comment: "x\r\ny\rz\nw")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "% x" && lines[2] == "% y" && lines[3] == "% z" && lines[4] == "% w", "\(lines)")
        let back = try MatrixMarket.read(string: text, as: COOMatrix<Double, Int32>.self).matrix
        #expect(back.rows == 2 && back.storedCount == 1 && back.values[0] == 3)
    }

    /// A header read from a device ends: /dev/zero holds no banner (and no line break).
    @Test func headerFromAnEndlessDevice() {
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.readHeader(path: "/dev/zero") }
    }

    /// A whole read of /dev/zero ran until memory ran out (4 GB and more); it now stops at the first bytes
    /// that cannot begin a banner and reports the missing banner.
    @Test func wholeReadOfAnEndlessDeviceStopsAtTheBanner() {
        do {
            _ = try MatrixMarket.read(path: "/dev/zero")
            Issue.record("/dev/zero was read")
        } catch {
            guard case .missingBanner = error.kind else { Issue.record("\(error)"); return }
            #expect(error.line == 1)
        }
        #expect(!_mayStartWithBanner(Array("\0".utf8)) && !_mayStartWithBanner(Array("%%MatrixMarkeX".utf8)))
        #expect(_mayStartWithBanner(Array(" \t%%matrixMARKET matrix".utf8)) && _mayStartWithBanner(Array("%%Ma".utf8)))
        #expect(_mayStartWithBanner([]))
    }

    /// Callers' extremes: any thread count, and a block taller than the matrix.
    @Test func extremeArguments() throws {
        let file = Self.coordinate + "3 3 2\n1 1 1.5\n3 2 -2\n"
        let coo = try MatrixMarket.read(string: file, as: COOMatrix<Double, Int32>.self, threads: Int.max).matrix
        #expect(coo.storedCount == 2)
        #expect(throws: MatrixMarketError.self) {
            try MatrixMarket.readBlockSparse(string: file, blockRows: Int.max, blockColumns: 1)
        }
        let tall = try MatrixMarket.readBlockSparse(string: file, blockRows: 4, blockColumns: 4).matrix
        #expect(tall.blockCount == 1 && tall[2, 1] == -2)
    }

    /// The integer field takes all of Int64's range, −2^63 included, and refuses 2^63.
    @Test func integerFieldAtInt64Limits() throws {
        let low = try COOMatrix<Double, Int32>(rows: 1, columns: 2, rowIndices: [0, 0], columnIndices: [0, 1],
                                               values: [-0x1p63, 0x1p62])
        let text = try MatrixMarket.string(low, field: .integer)
        #expect(text.contains("-9223372036854775808"))
        let back = try MatrixMarket.read(string: text, as: COOMatrix<Double, Int32>.self).matrix
        #expect(Array(back.values) == [-0x1p63, 0x1p62])
        let high = try COOMatrix<Double, Int32>(rows: 1, columns: 1, rowIndices: [0], columnIndices: [0],
                                                values: [0x1p63])
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.string(high, field: .integer) }
    }
}
