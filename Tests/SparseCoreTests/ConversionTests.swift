import Testing
import SparseCore

@Suite("Conversions between every pair of formats")
struct ConversionTests {
    /// Builds every format from the dense reference, converts each to every other format, and checks every
    /// element against the reference — for both scalars and both index widths.
    func roundTrip<S: SparseScalar, I: SparseIndex>(_ c: MatrixCase, _: S.Type, _: I.Type) throws {
        let reference = c.dense(S.self)
        for (name, m) in try allFormats(of: reference, index: I.self) {
            #expect(m.rows == c.rows && m.columns == c.columns, "\(name) shape")
            #expect(elementwise(m) == reference, "\(name) subscript of \(c)")
            for (target, t) in try allConversions(of: m, index: I.self) {
                #expect(t.rows == c.rows && t.columns == c.columns, "\(name)\(target) shape of \(c)")
                #expect(t.dense(layout: .rowMajor) == reference, "\(name)\(target) values of \(c)")
            }
        }
    }

    @Test(arguments: MatrixCase.all)
    func doubleInt32(_ c: MatrixCase) throws { try roundTrip(c, Double.self, Int32.self) }

    @Test(arguments: MatrixCase.all)
    func floatInt64(_ c: MatrixCase) throws { try roundTrip(c, Float.self, Int64.self) }

    @Test(arguments: MatrixCase.all)
    func doubleInt64(_ c: MatrixCase) throws { try roundTrip(c, Double.self, Int64.self) }

    @Test(arguments: MatrixCase.all)
    func floatInt32(_ c: MatrixCase) throws { try roundTrip(c, Float.self, Int32.self) }

    /// CSR → X → CSR reproduces the arrays exactly (pattern and values), not just the elements.
    @Test(arguments: MatrixCase.all)
    func csrStructuralRoundTrip(_ c: MatrixCase) throws {
        let a = try c.dense(Double.self).csr()
        #expect(try a.csc().csr() == a)
        #expect(try a.coo().csr() == a)
        #expect(try a.dense().csr() == a)
        #expect(try a.dense(layout: .columnMajor).csr() == a)
        #expect(try a.coo(indexType: Int64.self).csr(indexType: Int32.self) == a)
        for (r, cc) in [(1, 1), (2, 3), (4, 4), (5, 2)] {
            #expect(try a.blockSparse(blockRows: r, blockColumns: cc).csr() == a, "BSR \(r)×\(cc)")
        }
        #expect(a.transposed().transposed() == a)
    }

    /// Transposes in every format agree with the dense transpose.
    @Test(arguments: MatrixCase.all)
    func transposes(_ c: MatrixCase) throws {
        let reference = c.dense(Double.self)
        let expected = DenseMatrix<Double>(rows: c.columns, columns: c.rows) { i, j in reference[j, i] }
        #expect(reference.transposed() == expected)
        #expect(try reference.coo().transposed().dense() == expected)
        #expect(try reference.csr().transposed().dense() == expected)
        #expect(try reference.csc().transposed().dense() == expected)
        #expect(try reference.csr().transposedAsCSC.dense() == expected)
        #expect(try reference.csc().transposedAsCSR.dense() == expected)
        for (r, cc) in [(2, 3), (4, 4)] {
            let t = try reference.blockSparse(blockRows: r, blockColumns: cc).transposed()
            #expect(t.blockRows == cc && t.blockColumns == r)
            #expect(t.dense() == expected, "BSR \(r)×\(cc) transpose")
        }
    }

    @Test func convertingInitializersDefaultToInt32() throws {
        let d = try DenseMatrix<Double>([[0, 1], [2, 0]])
        let a = try CSRMatrix(d)
        let b = try CSCMatrix(a)
        let c = try COOMatrix(b)
        let e = try BlockSparseMatrix(c, blockRows: 2, blockColumns: 2)
        #expect(type(of: a) == CSRMatrix<Double, Int32>.self)
        #expect(type(of: b) == CSCMatrix<Double, Int32>.self)
        #expect(type(of: c) == COOMatrix<Double, Int32>.self)
        #expect(type(of: e) == BlockSparseMatrix<Double, Int32>.self)
        let wide = try CSRMatrix<Double, Int64>(e)
        #expect(wide.dense() == d)
    }

    @Test func denseThresholdDropsSmallMagnitudes() throws {
        let d = try DenseMatrix<Double>([[0.5, -0.05, 0], [0.1, -0.1, .nan]])
        let a = try d.csr(threshold: 0.1)
        // |v| ≤ 0.1 is dropped; NaN is kept.
        #expect(a.storedCount == 2)
        #expect(a[0, 0] == 0.5)
        #expect(a[1, 2].isNaN)
        #expect(try d.csr().storedCount == 5)
    }
}

@Suite("Explicit zeros and duplicates")
struct ZerosAndDuplicatesTests {
    @Test func explicitZerosSurviveSparseConversionsAndDropOnRequest() throws {
        let a = try CSRMatrix<Double, Int32>(rows: 2, columns: 3, rowOffsets: [0, 2, 3], columnIndices: [0, 2, 1],
                                             values: [1, 0, 2])
        #expect(a.storedCount == 3)
        #expect(try a.csc().storedCount == 3)
        #expect(try a.coo().storedCount == 3)
        #expect(try a.csc().csr() == a)
        // Dense and block-sparse store zeros as layout: converting back keeps only the non-zero values.
        #expect(try a.dense().csr().storedCount == 2)
        #expect(try a.blockSparse(blockRows: 2, blockColumns: 2).csr().storedCount == 2)
        let dropped = a.droppingZeros()
        #expect(dropped.storedCount == 2)
        #expect(dropped.values.count == 2 && dropped.columnIndices.count == 2)
        #expect(dropped.dense() == a.dense())
        #expect(try a.csc().droppingZeros().storedCount == 2)
        #expect(try a.coo().droppingZeros().storedCount == 2)
    }

    @Test func cooDuplicatesAreSummedInOrder() throws {
        let coo = try COOMatrix<Double, Int32>(
            rows: 3, columns: 3,
            entries: [(2, 1, 1.5), (0, 2, 1), (2, 1, 2.25), (0, 0, -1), (0, 2, 4), (2, 1, -0.75)])
        #expect(!coo.isCanonical)
        #expect(coo.storedCount == 6)
        #expect(coo[2, 1] == 3)
        #expect(coo[0, 2] == 5)
        let csr = try coo.csr()
        #expect(csr.storedCount == 3)
        #expect(csr.rowOffsets.array == [0, 2, 2, 3])
        #expect(csr.columnIndices.array == [0, 2, 1])
        #expect(csr.values.array == [-1, 5, 3])
        let canonical = coo.canonicalized()
        #expect(canonical.isCanonical)
        #expect(canonical.rowIndices.array == [0, 0, 2])
        #expect(canonical.columnIndices.array == [0, 2, 1])
        #expect(canonical.values.array == [-1, 5, 3])
        #expect(coo.dense() == csr.dense())
        #expect(try coo.csc().dense() == csr.dense())
    }

    @Test func canonicalFlagIsDetected() throws {
        let sorted = try COOMatrix<Float, Int32>(rows: 2, columns: 2, rowIndices: [0, 0, 1], columnIndices: [0, 1, 1],
                                                 values: [1, 2, 3])
        #expect(sorted.isCanonical)
        #expect(sorted[0, 1] == 2 && sorted[1, 0] == 0)
        let repeated = try COOMatrix<Float, Int32>(rows: 2, columns: 2, rowIndices: [0, 0], columnIndices: [1, 1],
                                                   values: [1, 2])
        #expect(!repeated.isCanonical)
        #expect(!sorted.transposed().isCanonical)
    }
}

@Suite("Storage-only Float16")
struct Float16StorageTests {
    @Test(arguments: MatrixCase.all)
    func roundTripsInHalfPrecision(_ c: MatrixCase) throws {
        // The case values are small multiples of 1/4: exact in Float16.
        let reference = c.dense(Float16.self)
        for (name, m) in try allFormats(of: reference, index: Int32.self) {
            for (target, t) in try allConversions(of: m, index: Int32.self) {
                #expect(t.dense() == reference, "\(name)\(target) of \(c)")
            }
        }
        let csr = try reference.csr()
        #expect(csr.footprint.valueBytes == 2 * csr.storedCount)
    }

    @Test func duplicatesAreSummedInTheArithmeticType() throws {
        // 2048 + 1 + 1 in Float16 steps of 2 would round each addition away; in Float the sum is exact.
        let coo = try COOMatrix<Float16, Int32>(rows: 1, columns: 1, entries: [(0, 0, 2048), (0, 0, 1), (0, 0, 1)])
        #expect(try coo.csr()[0, 0] == 2050)
    }
}

/// A non-canonical COO's subscript sums duplicates from the first one, as its conversions do: a stored −0.0
/// reads back as −0.0 (it read +0.0, while `dense()` and `csr()` kept the sign).
@Suite("COO subscript of a signed zero")
struct COONegativeZeroTests {
    @Test func negativeZeroKeepsItsSign() throws {
        let a = try COOMatrix<Double, Int32>(rows: 2, columns: 2, rowIndices: [1, 0, 1], columnIndices: [0, 1, 0],
                                             values: [2, -0.0, 3])
        #expect(!a.isCanonical)
        #expect(a[0, 1] == 0 && a[0, 1].sign == .minus)
        #expect(a[1, 0] == 5 && a[0, 0] == 0 && a[0, 0].sign == .plus)
        #expect(a.dense(layout: .rowMajor)[0, 1].sign == .minus)
    }
}
