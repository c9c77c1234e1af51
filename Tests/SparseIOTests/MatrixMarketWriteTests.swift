import Foundation
import Testing
import SparseCore
@testable import SparseIO

/// Writing, and write-then-read giving back exactly what was written.
@Suite struct MatrixMarketWriteTests {
    /// A COO matrix whose values are random bit patterns (every exponent, subnormals, ±0, ±inf, NaN).
    static func randomBits<S: SparseScalar>(_: S.Type, seed: UInt64, bits: (UInt64) -> S) throws -> COOMatrix<S, Int32> {
        var rng = SplitMix64(seed: seed)
        let rows = 37, columns = 23, n = 600
        let r = (0..<n).map { _ in Int32(rng.next() % UInt64(rows)) }
        let c = (0..<n).map { _ in Int32(rng.next() % UInt64(columns)) }
        let v = (0..<n).map { _ in bits(rng.next()) }
        return try COOMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
    }

    static func identical<S: SparseScalar>(_ a: CSRMatrix<S, Int32>, _ b: CSRMatrix<S, Int32>) -> Bool {
        identical(try! a.coo(), try! b.coo())
    }

    static func identical<S: SparseScalar>(_ a: COOMatrix<S, Int32>, _ b: COOMatrix<S, Int32>) -> Bool {
        a.rows == b.rows && a.columns == b.columns && a.rowIndices == b.rowIndices && a.columnIndices == b.columnIndices
            && zip(a.values, b.values).allSatisfy { x, y in x == y && x.sign == y.sign || x.isNaN && y.isNaN }
            && a.values.count == b.values.count
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func doubleRoundTripIsExact(seed: UInt64) throws {
        let a = try Self.randomBits(Double.self, seed: seed) { Double(bitPattern: $0) }
        let back = try MatrixMarket.read(bytes: MatrixMarket.bytes(a), threads: 1).matrix
        #expect(Self.identical(a, back))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func floatRoundTripIsExact(seed: UInt64) throws {
        let a = try Self.randomBits(Float.self, seed: seed) { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }
        let back = try MatrixMarket.read(bytes: MatrixMarket.bytes(a), scalar: Float.self).matrix
        #expect(Self.identical(a, back))
    }

    @Test func float16RoundTripIsExactForEveryValue() throws {
        let all = (0..<UInt16.max).map { Float16(bitPattern: $0) } + [Float16(bitPattern: .max)]
        let a = try DenseMatrix<Float16>(rows: all.count, columns: 1, elements: all)
        let back = try MatrixMarket.readDense(string: MatrixMarket.string(a), scalar: Float16.self).matrix
        #expect(zip(a.elements, back.elements).allSatisfy { $0.bitPattern == $1.bitPattern || $0.isNaN && $1.isNaN })
    }

    /// Swift's `description` is the shortest decimal that reads back (checked against `strtod`/`strtof`
    /// through `Double(String)`/`Float(String)`, independent of SparseIO): the correctly rounded decimal with
    /// one significant digit fewer never reads back to the same value.
    @Test func descriptionIsShortestRoundTrip() {
        func significantDigits(_ text: String) -> Int {
            var digits = String(text.split(separator: "e")[0].filter(\.isNumber).drop { $0 == "0" })
            while digits.hasSuffix("0") { digits.removeLast() }
            return digits.count
        }
        var rng = SplitMix64(seed: 9)
        for _ in 0..<3000 {
            let x = Double(bitPattern: rng.next())
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            if x.isFinite {
                let d = significantDigits(x.description)
                #expect(Double(x.description) == x && d <= 17)
                #expect(d == 1 || Double(String(format: "%.\(d - 2)e", x)) != x, "\(x)")
            }
            if f.isFinite {
                let d = significantDigits(f.description)
                #expect(Float(f.description) == f && d <= 9)
                #expect(d == 1 || Float(String(format: "%.\(d - 2)e", Double(f))) != f, "\(f)")
            }
        }
    }

    @Test func formatting() throws {
        let a = try COOMatrix<Double, Int32>(rows: 2, columns: 3, entries: [
            (0, 0, 1.0), (0, 2, -0.0), (1, 1, 0.1), (1, 2, 1e-5), (1, 0, 2.5e300), (0, 1, .infinity),
            (1, 1, -.infinity), (0, 0, .nan), (1, 2, 123456789),
        ])
        let text = try MatrixMarket.string(a, comment: "two lines\nof comment")
        #expect(text == """
            %%MatrixMarket matrix coordinate real general
            % two lines
            % of comment
            2 3 9
            1 1 1
            1 3 -0
            2 2 0.1
            2 3 1e-05
            2 1 2.5e+300
            1 2 inf
            2 2 -inf
            1 1 nan
            2 3 123456789

            """)
    }

    @Test func symmetricWriting() throws {
        let (_, a) = try MatrixMarket.read(path: Fixture.path("LFAT5.mtx"), as: CSRMatrix<Double, Int32>.self)
        let text = try MatrixMarket.string(a, symmetry: .symmetric)
        #expect(try MatrixMarket.readHeader(string: text).entries == 30)
        let back = try MatrixMarket.read(string: text, as: CSRMatrix<Double, Int32>.self).matrix
        #expect(back == a)
        // Not symmetric: one mirrored value differs.
        let b = try COOMatrix<Double, Int32>(rows: 2, columns: 2, entries: [(0, 1, 1), (1, 0, 2)])
        #expect(throws: MatrixMarketError(line: nil, .notSymmetric(row: 0, column: 1, symmetry: .symmetric))) {
            try MatrixMarket.string(b, symmetry: .symmetric)
        }
        #expect(throws: MatrixMarketError(line: nil, .nonSquareSymmetric(rows: 27, columns: 51, symmetry: .symmetric))) {
            try MatrixMarket.string(MatrixMarket.read(path: Fixture.path("lp_afiro.mtx")).matrix, symmetry: .symmetric)
        }
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.string(a, symmetry: .hermitian) }
    }

    @Test func skewSymmetricWriting() throws {
        let (_, a) = try MatrixMarket.read(path: Fixture.path("edge/skew_symmetric.mtx"))
        let text = try MatrixMarket.string(a, symmetry: .skewSymmetric)
        #expect(text.hasPrefix("%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 2\n"))
        #expect(denseRows(try MatrixMarket.read(string: text).matrix) == denseRows(a))
        let (_, s) = try MatrixMarket.read(path: Fixture.path("edge/symmetric.mtx"))
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.string(s, symmetry: .skewSymmetric) }
    }

    @Test func arrayWriting() throws {
        let d = try DenseMatrix<Double>([[1, 2], [3, 4], [5, 6.5]])
        let text = try MatrixMarket.string(d)
        #expect(text == "%%MatrixMarket matrix array real general\n3 2\n1\n3\n5\n2\n4\n6.5\n")
        #expect(try MatrixMarket.readDense(string: text).matrix == d)
        let s = try DenseMatrix<Float>([[1, 2, 3], [2, 4, 5], [3, 5, 6]])
        let sym = try MatrixMarket.string(s, symmetry: .symmetric)
        #expect(sym == String(decoding: Fixture.bytes("edge/array_symmetric.mtx"), as: UTF8.self))
        #expect(try MatrixMarket.readDense(string: sym, scalar: Float.self).matrix == s)
        // A dense matrix can be written in coordinate format: its non-zeros.
        let coordinate = try MatrixMarket.string(d, format: .coordinate)
        #expect(try MatrixMarket.readHeader(string: coordinate).entries == 6)
    }

    @Test func integerAndPatternFields() throws {
        let a = try COOMatrix<Double, Int32>(rows: 2, columns: 2, entries: [(0, 0, 3), (1, 0, -4e15)])
        let text = try MatrixMarket.string(a, field: .integer)
        #expect(text == "%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 3\n2 1 -4000000000000000\n")
        #expect(try MatrixMarket.read(string: text).matrix == a)
        let half = try COOMatrix<Double, Int32>(rows: 1, columns: 1, entries: [(0, 0, 0.5)])
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.string(half, field: .integer) }
        let pattern = try MatrixMarket.string(a, field: .pattern)
        #expect(pattern == "%%MatrixMarket matrix coordinate pattern general\n2 2 2\n1 1\n2 1\n")
        #expect(throws: MatrixMarketError(line: nil, .complexNotSupported)) { try MatrixMarket.string(a, field: .complex) }
    }

    /// Every fixture, read, written in each format it can take and read back: the same matrix.
    @Test(arguments: Fixture.names(in: "") + Fixture.names(in: "edge").filter { !$0.contains("upper") })
    func fixturesRoundTrip(name: String) throws {
        let (header, coo) = try MatrixMarket.read(path: Fixture.path(name))
        let again = try MatrixMarket.read(bytes: MatrixMarket.bytes(coo)).matrix
        #expect(Self.identical(coo, again))
        let csr = try coo.csr()
        #expect(Self.identical(try MatrixMarket.read(bytes: MatrixMarket.bytes(csr), as: CSRMatrix<Double, Int32>.self).matrix, csr))
        if header.symmetry != .general {
            // Element-wise: a stored zero on a skew-symmetric diagonal is not written.
            let text = try MatrixMarket.bytes(csr, symmetry: header.symmetry)
            #expect(sameBits(denseRows(try MatrixMarket.read(bytes: text, as: CSRMatrix<Double, Int32>.self).matrix), denseRows(csr)))
        }
        if name.hasSuffix("exponents.mtx") { return }   // holds a value beyond Float's range
        let single = try MatrixMarket.read(path: Fixture.path(name), scalar: Float.self, threads: 1).matrix
        let back = try MatrixMarket.read(bytes: MatrixMarket.bytes(single), scalar: Float.self).matrix
        #expect(Self.identical(single, back))
    }

    @Test func writesFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swiftsparse-\(getpid()).mtx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, a) = try MatrixMarket.read(path: Fixture.path("west0067.mtx"))
        try MatrixMarket.write(a, to: path)
        #expect(Self.identical(try MatrixMarket.read(path: path).matrix, a))
        #expect(throws: MatrixMarketError.self) { try MatrixMarket.write(a, to: "/nonexistent/dir/a.mtx") }
    }
}
