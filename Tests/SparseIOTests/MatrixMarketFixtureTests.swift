import Testing
import SparseCore
@testable import SparseIO

/// The real matrices in Fixtures/: shapes, counts and values anyone can check by reading the files.
@Suite struct MatrixMarketFixtureTests {
    @Test func west0067() throws {
        let (header, a) = try MatrixMarket.read(path: Fixture.path("west0067.mtx"))
        #expect(header == MatrixMarketHeader(format: .coordinate, field: .real, symmetry: .general,
                                             rows: 67, columns: 67, entries: 294))
        #expect(a.rows == 67 && a.columns == 67 && a.storedCount == 294)
        // The first three entry lines: "5 1 -.2788416", "6 1 -.2680186", "7 1 -.2323717".
        #expect(a[4, 0] == -0.2788416 && a[5, 0] == -0.2680186 && a[6, 0] == -0.2323717)
        #expect(a.rowIndices[0] == 4 && a.columnIndices[0] == 0 && a.values[0] == -0.2788416)
    }

    @Test func lfat5IsMirrored() throws {
        let (header, a) = try MatrixMarket.read(path: Fixture.path("LFAT5.mtx"), as: CSRMatrix<Double, Int32>.self)
        #expect(header.symmetry == .symmetric && header.entries == 30)
        #expect(a.rows == 14 && a.columns == 14 && a.storedCount == 46)
        #expect(a[0, 0] == 1.57088)
        #expect(a[3, 0] == -94.2528 && a[0, 3] == -94.2528)
        #expect(a[1, 1] == 1.25664e7)
        #expect(a.dense() == a.transposed().dense())
    }

    @Test func karatePattern() throws {
        let (header, a) = try MatrixMarket.read(path: Fixture.path("karate.mtx"), scalar: Float.self)
        #expect(header.field == .pattern && header.entries == 78)
        #expect(a.storedCount == 156)
        let d = a.dense()
        #expect((0..<34).allSatisfy { d[$0, $0] == 0 })
        let degree = (0..<34).map { i in (0..<34).reduce(Float(0)) { $0 + d[i, $1] } }
        #expect(degree[33] == 17 && degree[0] == 16)
        #expect(a.values.allSatisfy { $0 == 1 })
    }

    @Test func lpAfiroIsRectangular() throws {
        let (_, a) = try MatrixMarket.read(path: Fixture.path("lp_afiro.mtx"), as: CSCMatrix<Double, Int64>.self)
        #expect(a.rows == 27 && a.columns == 51 && a.storedCount == 102)
        // First and last entry lines: "3 1 1", "16 51 1".
        #expect(a[2, 0] == 1 && a[15, 50] == 1 && a[26, 49] == 1)
    }

    @Test func nistFreeFormat() throws {
        let (header, a) = try MatrixMarket.read(path: Fixture.path("nist_ex1_freeformat.mtx"), as: DenseMatrix<Double>.self)
        #expect(header.rows == 5 && header.entries == 8)
        let expected: [[Double]] = [[1, 0, 0, 6, 0], [0, 10.5, 0, 0, 0], [0, 0, 0.015, 0, 0],
                                    [0, 250.5, 0, -280, 33.32], [0, 0, 0, 0, 12]]
        #expect(denseRows(a) == expected)
    }

    @Test func lfat5AsTwoByTwoBlocks() throws {
        let (_, b) = try MatrixMarket.readBlockSparse(path: Fixture.path("LFAT5.mtx"), blockRows: 2, blockColumns: 2)
        let (_, csr) = try MatrixMarket.read(path: Fixture.path("LFAT5.mtx"), as: CSRMatrix<Double, Int32>.self)
        #expect(b.rows == 14 && b.hasSameElements(as: csr))
    }

    /// Every real fixture, in every format and both scalars, against the independent reference reader.
    @Test(arguments: Fixture.names(in: ""))
    func matchesReference(name: String) throws {
        let text = String(decoding: Fixture.bytes(name), as: UTF8.self)
        let expected = referenceDense(text)
        let path = Fixture.path(name)
        #expect(denseRows(try MatrixMarket.read(path: path).matrix) == expected)
        #expect(denseRows(try MatrixMarket.read(path: path, as: CSRMatrix<Double, Int64>.self).matrix) == expected)
        #expect(denseRows(try MatrixMarket.read(path: path, as: CSCMatrix<Double, Int32>.self).matrix) == expected)
        #expect(denseRows(try MatrixMarket.readDense(path: path, layout: .columnMajor).matrix) == expected)
        #expect(denseRows(try MatrixMarket.readBlockSparse(path: path, blockRows: 3, blockColumns: 2).matrix) == expected)
        let single = denseRows(try MatrixMarket.read(path: path, scalar: Float.self).matrix)
        #expect(single == referenceDense(text, as: Float.self))
        #expect(try MatrixMarket.readHeader(path: path) == MatrixMarket.read(path: path).header)
    }
}
