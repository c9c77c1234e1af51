import Testing
import SparseCore
@testable import SparseIO

/// The hand-written valid files in Fixtures/edge/, each against the matrix worked out by hand.
@Suite struct MatrixMarketEdgeCaseTests {
    static let nan = Double.nan, inf = Double.infinity

    static let expected: [String: [[Double]]] = [
        "banner_case.mtx": [[1.5, 0, 0], [0, 0, -2]],
        "comments_blank_lines.mtx": [[1, 0], [2, 3]],
        "crlf.mtx": [[1.25, 0], [0, -4]],
        "no_final_newline.mtx": [[7, 0], [0, 8]],
        "spaces_tabs.mtx": [[1, 0], [0, 2], [3, 0]],
        "exponents.mtx": [[1e5], [1e5], [-0.0], [Double("1.5e-310")!], [0.015], [12], [0.5], [3], [1e-5],
                          [Double.leastNonzeroMagnitude], [Double.greatestFiniteMagnitude], [-2.5]],
        "symmetric.mtx": [[4, -1, 0], [-1, 0, -2], [0, -2, 5]],
        "skew_symmetric.mtx": [[0, -1.5, 2], [1.5, 0, 0], [-2, 0, 0]],
        "pattern_general.mtx": [[1, 0, 1], [0, 1, 0]],
        "pattern_symmetric.mtx": [[0, 1, 1], [1, 0, 0], [1, 0, 1]],
        "integer.mtx": [[-7, 12, 0], [Double("123456789012345678901234567890")!, 0, 9007199254740992]],
        "integer_skew.mtx": [[0, -4, 0], [4, 0, 6], [0, -6, 0]],
        "double_field.mtx": [[0.1]],
        "array_general.mtx": [[1, 4], [2, 5], [3, 6]],
        "array_symmetric.mtx": [[1, 2, 3], [2, 4, 5], [3, 5, 6]],
        "array_skew.mtx": [[0, -1, -2], [1, 0, -3], [2, 3, 0]],
        "array_integer.mtx": [[1, 0], [-2, 4]],
        "duplicates.mtx": [[3, 0], [0, 5]],
        "nan_inf.mtx": [[nan, -inf, inf], [nan, inf, nan]],
        "empty_matrix.mtx": [],
        "no_entries.mtx": Array(repeating: Array(repeating: 0, count: 5), count: 4),
        "explicit_zero.mtx": [[0, 0], [0, 0]],
    ]

    @Test func everyEdgeFileHasAnExpectation() {
        let names = Set(Fixture.names(in: "edge").map { String($0.dropFirst("edge/".count)) })
        #expect(names == Set(Self.expected.keys).union(["upper_triangle.mtx"]))
    }

    @Test(arguments: expected.keys.sorted())
    func readsAsWorkedOut(name: String) throws {
        let want = Self.expected[name]!
        let path = Fixture.path("edge/" + name)
        let (_, coo) = try MatrixMarket.read(path: path)
        #expect(sameBits(denseRows(coo), want), "COO \(name)")
        #expect(sameBits(denseRows(try MatrixMarket.read(path: path, as: CSRMatrix<Double, Int32>.self).matrix), want))
        #expect(sameBits(denseRows(try MatrixMarket.read(path: path, as: CSCMatrix<Double, Int64>.self).matrix), want))
        #expect(sameBits(denseRows(try MatrixMarket.readDense(path: path, layout: .columnMajor).matrix), want))
        #expect(sameValues(denseRows(try MatrixMarket.readBlockSparse(path: path, blockRows: 2, blockColumns: 2).matrix), want))
        // The independent reference reader agrees.
        #expect(sameValues(referenceDense(String(decoding: Fixture.bytes("edge/" + name), as: UTF8.self)), want))
        // Float: correctly rounded from the text (Float(String) is), not via Double.
        if name == "exponents.mtx" {
            // 1.7976931348623157e308 is beyond Float's range.
            #expect(throws: MatrixMarketError(line: 13, .valueOutOfRange(token: "1.7976931348623157e308", scalarType: "Float32"))) {
                try MatrixMarket.read(path: path, scalar: Float.self)
            }
            return
        }
        let single = try MatrixMarket.read(path: path, scalar: Float.self).matrix
        let text = String(decoding: Fixture.bytes("edge/" + name), as: UTF8.self)
        #expect(sameValues(denseRows(single), referenceDense(text, as: Float.self)))
    }

    @Test func storedCounts() throws {
        func count(_ name: String) throws -> Int { try MatrixMarket.read(path: Fixture.path("edge/" + name)).matrix.storedCount }
        #expect(try count("symmetric.mtx") == 6)          // 4 in the file, 2 diagonal: 4 + 2 mirrors
        #expect(try count("skew_symmetric.mtx") == 5)     // the explicit zero diagonal is kept, not mirrored
        #expect(try count("pattern_symmetric.mtx") == 5)
        #expect(try count("duplicates.mtx") == 4)         // COO keeps duplicates...
        #expect(try MatrixMarket.read(path: Fixture.path("edge/duplicates.mtx"), as: CSRMatrix<Double, Int32>.self)
            .matrix.storedCount == 2)                     // ...conversions sum them
        #expect(try count("explicit_zero.mtx") == 2)
        #expect(try count("array_integer.mtx") == 3)      // a dense file keeps its non-zeros in sparse formats
        #expect(try count("no_entries.mtx") == 0)
    }

    @Test func signsAndSubnormals() throws {
        let (_, a) = try MatrixMarket.read(path: Fixture.path("edge/exponents.mtx"))
        #expect(a.values[2] == 0 && a.values[2].sign == .minus)
        #expect(a.values[3] == Double("1.5e-310")! && a.values[3].isSubnormal)
        let (_, b) = try MatrixMarket.read(path: Fixture.path("edge/nan_inf.mtx"))
        #expect(b.values[5].isNaN && b.values[5].sign == .minus)
    }

    @Test func symmetricExpansionOrder() throws {
        // The file's entries first, in file order, then the mirrors of the off-diagonal ones.
        let (_, a) = try MatrixMarket.read(path: Fixture.path("edge/skew_symmetric.mtx"), index: Int64.self)
        #expect(a.rowIndices.array == [1, 2, 2, 0, 0])
        #expect(a.columnIndices.array == [0, 0, 2, 1, 2])
        #expect(a.values.array == [1.5, -2, 0, -1.5, 2])
    }

    @Test func upperTrianglePolicy() throws {
        let path = Fixture.path("edge/upper_triangle.mtx")
        #expect(throws: MatrixMarketError(line: 4, .upperTriangleEntry(row: 1, column: 3, symmetry: .symmetric))) {
            try MatrixMarket.read(path: path)
        }
        let (_, a) = try MatrixMarket.read(path: path, options: MatrixMarketReadOptions(upperTriangle: .mirror))
        #expect(denseRows(a) == [[2, 0, 7], [0, 3, 0], [7, 0, 0]])
    }

    @Test func integersBeyondTheSignificand() throws {
        // 2^53 + 1 rounds to even; in Float, 2^24 + 1 does too.
        let (_, a) = try MatrixMarket.read(path: Fixture.path("edge/integer.mtx"))
        #expect(a[1, 2] == 9007199254740992)
        let text = "%%MatrixMarket matrix coordinate integer general\n1 2 2\n1 1 16777217\n1 2 -16777219\n"
        let (_, f) = try MatrixMarket.read(string: text, scalar: Float.self)
        #expect(f[0, 0] == 16777216 && f[0, 1] == -16777220)
        #expect(throws: MatrixMarketError(line: 3, .valueOutOfRange(token: "1" + String(repeating: "0", count: 39), scalarType: "Float32"))) {
            try MatrixMarket.read(string: "%%MatrixMarket matrix coordinate integer general\n1 1 1\n1 1 1\(String(repeating: "0", count: 39))\n",
                                  scalar: Float.self)
        }
    }

    @Test func floatRange() throws {
        let text = "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1e39\n"
        #expect(throws: MatrixMarketError(line: 3, .valueOutOfRange(token: "1e39", scalarType: "Float32"))) {
            try MatrixMarket.read(string: text, scalar: Float.self)
        }
        #expect(try MatrixMarket.read(string: text).matrix.values[0] == 1e39)
    }

    @Test func inMemorySourcesAgree() throws {
        let bytes = Fixture.bytes("LFAT5.mtx")
        let fromBytes = try MatrixMarket.read(bytes: bytes).matrix
        let fromString = try MatrixMarket.read(string: String(decoding: bytes, as: UTF8.self)).matrix
        let fromPath = try MatrixMarket.read(path: Fixture.path("LFAT5.mtx")).matrix
        #expect(fromBytes == fromPath && fromString == fromPath)
        let array = "%%MatrixMarket matrix array real symmetric\n4 4\n" + String(repeating: "1\n", count: 10)
        #expect(try MatrixMarket.readHeader(string: array)
            == MatrixMarketHeader(format: .array, field: .real, symmetry: .symmetric, rows: 4, columns: 4, entries: 10))
        #expect(try MatrixMarket.readDense(string: array).matrix == DenseMatrix(rows: 4, columns: 4, repeating: 1))
    }

    @Test func canonicalFlag() throws {
        let sorted = "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 2 1\n2 1 2\n"
        #expect(try MatrixMarket.read(string: sorted).matrix.isCanonical)
        #expect(try !MatrixMarket.read(path: Fixture.path("edge/duplicates.mtx")).matrix.isCanonical)
    }
}
