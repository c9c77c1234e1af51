import Testing
import SparseCore

@Test func smokeConversions() throws {
    let d = try DenseMatrix<Double>([[1, 0, 2], [0, 0, 3], [4, 5, 0]])
    let a = try d.csr()
    #expect(a.storedCount == 5)
    #expect(try a.csc().dense() == d)
    #expect(try a.coo().dense() == d)
    #expect(try a.blockSparse(blockRows: 2, blockColumns: 2).dense() == d)
    #expect(a.transposed().dense() == d.transposed())
    print(a.footprint)
}
