import Testing
import SparseCore
@testable import SparseIO

/// The hand-written invalid files in Fixtures/errors/, each with the error it must give.
@Suite struct MatrixMarketErrorTests {
    typealias E = MatrixMarketError
    static let value = "row, column, value"

    static let expected: [String: MatrixMarketError] = [
        "empty.mtx": E(line: 1, .missingBanner(found: "")),
        "no_banner.mtx": E(line: 1, .missingBanner(found: "3 3 1")),
        "banner_short.mtx": E(line: 1, .malformedBanner(wordCount: 4)),
        "banner_long.mtx": E(line: 1, .malformedBanner(wordCount: 6)),
        "unknown_object.mtx": E(line: 1, .unknownWord(.object, found: "vector")),
        "unknown_format.mtx": E(line: 1, .unknownWord(.format, found: "sparse")),
        "unknown_field.mtx": E(line: 1, .unknownWord(.field, found: "float")),
        "unknown_symmetry.mtx": E(line: 1, .unknownWord(.symmetry, found: "upper")),
        "complex.mtx": E(line: 1, .complexNotSupported),
        "hermitian_real.mtx": E(line: 1, .invalidCombination(reason: "hermitian symmetry requires the complex field, found real")),
        "pattern_array.mtx": E(line: 1, .invalidCombination(reason: "the pattern field requires the coordinate format")),
        "pattern_skew.mtx": E(line: 1, .invalidCombination(reason: "the pattern field cannot be skew-symmetric (its entries have no sign)")),
        "missing_size_line.mtx": E(line: 3, .missingSizeLine),
        "size_line_two_numbers.mtx": E(line: 3, .badSizeLine(format: .coordinate, found: "3 3")),
        "size_line_negative.mtx": E(line: 2, .badSizeLine(format: .coordinate, found: "-3 3 1")),
        "size_line_not_integer.mtx": E(line: 2, .badSizeLine(format: .coordinate, found: "3 3.0 1")),
        "size_claims_too_much.mtx": E(line: 4, .tooFewEntries(expected: 1_000_000_000_000, found: 2)),
        "short_file_short_line.mtx": E(line: 4, .wrongTokenCount(expected: 3, found: 2, layout: value)),
        "size_number_overflow.mtx": E(line: 2, .sizeNumberTooLarge(token: "99999999999999999999")),
        "nonsquare_symmetric.mtx": E(line: 2, .nonSquareSymmetric(rows: 2, columns: 3, symmetry: .symmetric)),
        "index_zero.mtx": E(line: 4, .indexOutOfRange(.row, token: "0", size: 3)),
        "index_beyond.mtx": E(line: 4, .indexOutOfRange(.column, token: "4", size: 3)),
        "index_huge.mtx": E(line: 3, .indexOutOfRange(.row, token: "99999999999999999999999", size: 3)),
        "index_not_integer.mtx": E(line: 3, .notANumber(token: "1.0", expected: .index)),
        "too_few_entries.mtx": E(line: 5, .tooFewEntries(expected: 3, found: 2)),
        "too_many_entries.mtx": E(line: 6, .tooManyEntries(expected: 2)),
        "hex_float.mtx": E(line: 4, .notANumber(token: "0x1p3", expected: .real)),
        "fortran_exponent.mtx": E(line: 3, .notANumber(token: "1.5D+03", expected: .real)),
        "decimal_in_integer.mtx": E(line: 4, .notANumber(token: "1.5", expected: .integer)),
        "exponent_in_integer.mtx": E(line: 3, .notANumber(token: "1e3", expected: .integer)),
        "nan_in_integer.mtx": E(line: 3, .notANumber(token: "nan", expected: .integer)),
        "value_overflow.mtx": E(line: 3, .valueOutOfRange(token: "1e400", scalarType: "Float64")),
        "too_few_tokens.mtx": E(line: 4, .wrongTokenCount(expected: 3, found: 2, layout: value)),
        "too_many_tokens.mtx": E(line: 3, .wrongTokenCount(expected: 3, found: 4, layout: value)),
        "pattern_with_value.mtx": E(line: 3, .wrongTokenCount(expected: 2, found: 3, layout: "row, column")),
        "upper_triangle.mtx": E(line: 4, .upperTriangleEntry(row: 1, column: 3, symmetry: .symmetric)),
        "skew_nonzero_diagonal.mtx": E(line: 4, .nonzeroSkewDiagonal(index: 2, token: "4")),
        "array_two_values_on_a_line.mtx": E(line: 3, .wrongTokenCount(expected: 1, found: 2, layout: "value")),
        "array_too_few.mtx": E(line: 6, .tooFewEntries(expected: 4, found: 3)),
        "array_too_many.mtx": E(line: 5, .tooManyEntries(expected: 2)),
        "array_claims_too_much.mtx": E(line: 3, .tooFewEntries(expected: 10_000_000_000, found: 1)),
        "trailing_garbage.mtx": E(line: 3, .notANumber(token: "2.5x", expected: .real)),
    ]

    @Test func everyErrorFileHasAnExpectation() {
        let names = Set(Fixture.names(in: "errors").map { String($0.dropFirst("errors/".count)) })
        #expect(names == Set(Self.expected.keys))
    }

    /// The same error from a path, from bytes, through every format, and on one or many threads with tiny
    /// chunks (line numbers must not depend on how the file was split).
    @Test(arguments: expected.keys.sorted())
    func givesItsError(name: String) {
        let want = Self.expected[name]!
        let path = Fixture.path("errors/" + name)
        var tiny = MatrixMarketReadOptions()
        tiny._minimumChunkBytes = 1
        #expect(throws: want) { try MatrixMarket.read(path: path) }
        #expect(throws: want) { try MatrixMarket.read(bytes: Fixture.bytes("errors/" + name), threads: 1) }
        #expect(throws: want) { try MatrixMarket.read(path: path, threads: 5, options: tiny) }
        #expect(throws: want) { try MatrixMarket.read(path: path, as: CSRMatrix<Double, Int64>.self) }
        #expect(throws: want) { try MatrixMarket.readDense(path: path) }
    }

    @Test func descriptions() {
        #expect(E(line: 2, .sizeNumberTooLarge(token: "99999999999999999999")).description
            == "line 2: the size line's 99999999999999999999 does not fit a 64-bit integer")
        #expect(E(line: 4, .wrongTokenCount(expected: 3, found: 2, layout: Self.value)).description
            == "line 4: expected 3 tokens (row, column, value), found 2")
        #expect(E(line: 4, .indexOutOfRange(.row, token: "0", size: 3)).description == "line 4: row index 0 is outside 1...3")
        #expect(E(line: 1, .complexNotSupported).description.contains("complex values are not supported"))
        #expect(E(line: 3, .notANumber(token: "0x1p3", expected: .real)).description
            == "line 3: expected a real number, found \"0x1p3\"")
        #expect(E(line: nil, .cannotRead(path: "x", reason: "No such file or directory")).description
            == "cannot read x: No such file or directory")
    }

    @Test func missingFile() {
        #expect(throws: E(line: nil, .cannotRead(path: "/nonexistent/a.mtx", reason: "No such file or directory"))) {
            try MatrixMarket.read(path: "/nonexistent/a.mtx")
        }
        #expect(throws: E.self) { try MatrixMarket.readHeader(path: Fixture.root.path) }
    }

    @Test func indexTypeTooSmall() throws {
        let text = "%%MatrixMarket matrix coordinate real general\n3000000000 1 1\n1 1 1\n"
        #expect(throws: E(line: 2, .shapeTooLarge(rows: 3_000_000_000, columns: 1, entries: 1, indexType: "Int32"))) {
            try MatrixMarket.read(string: text)
        }
        #expect(try MatrixMarket.read(string: text, index: Int64.self).matrix.rows == 3_000_000_000)
    }

    @Test func hugeShapesAreNotAllocated() throws {
        // A tiny file whose shape would need petabytes as dense storage, or as row offsets.
        let text = "%%MatrixMarket matrix coordinate real general\n4000000000000000 4000000000000000 1\n1 1 1\n"
        #expect(throws: E.self) { try MatrixMarket.readDense(string: text) }
        #expect(throws: E.self) { try MatrixMarket.read(string: text, as: CSRMatrix<Double, Int64>.self) }
        #expect(try MatrixMarket.read(string: text, index: Int64.self).matrix.storedCount == 1)
        // An empty-shaped array file cannot claim unbounded columns either.
        #expect(throws: E.self) { try MatrixMarket.read(string: "%%MatrixMarket matrix array real general\n0 999999999999\n") }
    }

    @Test func badBlockSize() {
        #expect(throws: E(line: nil, .conversion(.invalidBlockSize(rows: 0, columns: 2)))) {
            try MatrixMarket.readBlockSparse(path: Fixture.path("LFAT5.mtx"), blockRows: 0, blockColumns: 2)
        }
    }
}
