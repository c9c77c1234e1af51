import SparseCore

/// Why a MatrixMarket file could not be read or a matrix could not be written.
///
/// ``line`` is the 1-based line of the file at fault when there is one (lines end at `\n`; a `\r` before it
/// is part of the line ending). ``kind`` says what was wrong and what was expected; ``description`` reads
/// like `line 12: expected 3 tokens (row, column, value), found 2`.
public struct MatrixMarketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line at fault, or `nil` when the problem is not on one line (a file that cannot be
    /// opened, a matrix that cannot be written).
    public var line: Int?
    /// What went wrong, with its specifics.
    public var kind: Kind

    /// An error of `kind` at `line`.
    public init(line: Int?, _ kind: Kind) {
        self.line = line
        self.kind = kind
    }

    /// A word of the banner line.
    public enum BannerWord: String, Hashable, Sendable {
        case object, format, field, symmetry
    }

    /// The coordinate an index belongs to.
    public enum Axis: String, Hashable, Sendable {
        case row, column
    }

    /// What a token should have been.
    public enum Expected: String, Hashable, Sendable {
        /// A positive decimal integer (a row or column index).
        case index = "an index (a positive integer)"
        /// A decimal integer, as the `integer` field requires.
        case integer = "an integer"
        /// A decimal real number, `nan` or `inf`.
        case real = "a real number"
    }

    /// The ways a file can be wrong, or a matrix unwritable.
    public enum Kind: Equatable, Sendable {
        /// The file could not be opened or read (`reason` is the system's message).
        case cannotRead(path: String, reason: String)
        /// The file could not be created or written.
        case cannotWrite(path: String, reason: String)
        /// The first line does not start with `%%MatrixMarket` (`found` is that line, shortened).
        case missingBanner(found: String)
        /// The banner does not have its five words `%%MatrixMarket matrix <format> <field> <symmetry>`.
        case malformedBanner(wordCount: Int)
        /// A banner word is not one the format defines.
        case unknownWord(BannerWord, found: String)
        /// The banner words are known but do not go together (say, `real hermitian`, `array pattern`).
        case invalidCombination(reason: String)
        /// The file stores complex values, which the real scalar types cannot hold.
        case complexNotSupported
        /// A symmetric, skew-symmetric or hermitian file declares a non-square shape.
        case nonSquareSymmetric(rows: Int, columns: Int, symmetry: MatrixMarketSymmetry)
        /// The file ends before its size line.
        case missingSizeLine
        /// The size line is not `rows columns entries` (coordinate) or `rows columns` (array) as
        /// non-negative integers; `found` is the line, shortened.
        case badSizeLine(format: MatrixMarketFormat, found: String)
        /// A size-line number has only digits but does not fit a 64-bit `Int` (`token`, shortened).
        case sizeNumberTooLarge(token: String)
        /// The declared shape or entry count does not fit the index type (or a dense matrix's element
        /// count overflows).
        case shapeTooLarge(rows: Int, columns: Int, entries: Int, indexType: String)
        /// Reading into the requested format would allocate more than the file's length or the machine's
        /// memory justifies (`bytes` needed, `limit` allowed).
        case allocationTooLarge(rows: Int, columns: Int, format: String, bytes: Int, limit: Int)
        /// Converting the file's matrix to the requested format failed (a block size below 1×1, say).
        case conversion(SparseError)
        /// An entry line has the wrong number of tokens; `layout` names them (`row, column, value`).
        case wrongTokenCount(expected: Int, found: Int, layout: String)
        /// A token is not, in full, the number it should be.
        case notANumber(token: String, expected: Expected)
        /// A finite number is too large in magnitude for the scalar type (it would round to infinity).
        case valueOutOfRange(token: String, scalarType: String)
        /// A row or column index is 0 or beyond the declared size.
        case indexOutOfRange(Axis, token: String, size: Int)
        /// A symmetric or skew-symmetric file stores an entry above the diagonal (row < column); the format
        /// stores the lower triangle only. ``MatrixMarketReadOptions/upperTriangle`` can accept such entries.
        case upperTriangleEntry(row: Int, column: Int, symmetry: MatrixMarketSymmetry)
        /// A skew-symmetric file stores a non-zero value on the diagonal.
        case nonzeroSkewDiagonal(index: Int, token: String)
        /// The file ends after `found` entries, fewer than the `expected` declared.
        case tooFewEntries(expected: Int, found: Int)
        /// The file holds more entries than the `expected` declared (reported at the first extra one).
        case tooManyEntries(expected: Int)
        /// Writing with a symmetry the matrix does not have; (`row`, `column`) is a 0-based element at fault.
        case notSymmetric(row: Int, column: Int, symmetry: MatrixMarketSymmetry)
        /// Writing with a field or symmetry this library cannot write for real matrices.
        case unsupportedWrite(reason: String)
    }

    public var description: String {
        let message: String
        switch kind {
        case let .cannotRead(path, reason):
            message = "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason):
            message = "cannot write \(path): \(reason)"
        case let .missingBanner(found):
            message = "expected the banner `%%MatrixMarket matrix <format> <field> <symmetry>`, found \"\(found)\""
        case let .malformedBanner(wordCount):
            message = "expected 5 words in the banner (%%MatrixMarket matrix <format> <field> <symmetry>), found \(wordCount)"
        case let .unknownWord(word, found):
            let allowed: String
            switch word {
            case .object: allowed = "matrix"
            case .format: allowed = "coordinate or array"
            case .field: allowed = "real, double, integer, pattern or complex"
            case .symmetry: allowed = "general, symmetric, skew-symmetric or hermitian"
            }
            message = "unknown \(word.rawValue) \"\(found)\" in the banner: expected \(allowed)"
        case let .invalidCombination(reason):
            message = "invalid banner: \(reason)"
        case .complexNotSupported:
            message = "complex values are not supported (the scalar types are real: Float, Double)"
        case let .nonSquareSymmetric(rows, columns, symmetry):
            message = "a \(symmetry.rawValue) matrix must be square, but the size line declares \(rows)×\(columns)"
        case let .badSizeLine(format, found):
            let expected = format == .coordinate
                ? "3 non-negative integers (rows, columns, entries)" : "2 non-negative integers (rows, columns)"
            message = "expected the size line with \(expected), found \"\(found)\""
        case .missingSizeLine:
            message = "the file ends before the size line"
        case let .sizeNumberTooLarge(token):
            message = "the size line's \(token) does not fit a 64-bit integer"
        case let .shapeTooLarge(rows, columns, entries, indexType):
            message = "a \(rows)×\(columns) matrix with \(entries) entries does not fit the index type \(indexType)"
        case let .allocationTooLarge(rows, columns, format, bytes, limit):
            message = "a \(rows)×\(columns) \(format) matrix needs \(bytes) bytes, more than the \(limit) allowed"
        case let .conversion(error):
            message = "cannot convert the matrix: \(error)"
        case let .wrongTokenCount(expected, found, layout):
            message = "expected \(expected) token\(expected == 1 ? "" : "s") (\(layout)), found \(found)"
        case let .notANumber(token, expected):
            message = "expected \(expected.rawValue), found \"\(token)\""
        case let .valueOutOfRange(token, scalarType):
            message = "\"\(token)\" is out of the range of \(scalarType)"
        case let .indexOutOfRange(axis, token, size):
            message = "\(axis.rawValue) index \(token) is outside 1...\(size)"
        case let .upperTriangleEntry(row, column, symmetry):
            message = "entry (\(row), \(column)) is above the diagonal, but a \(symmetry.rawValue) file stores "
                + "only the lower triangle (row ≥ column)"
        case let .nonzeroSkewDiagonal(index, token):
            message = "a skew-symmetric matrix has a zero diagonal, found \(token) at (\(index), \(index))"
        case let .tooFewEntries(expected, found):
            message = "the file ends after \(found) entries, but the size line declares \(expected)"
        case let .tooManyEntries(expected):
            message = "more entries than the \(expected) the size line declares"
        case let .notSymmetric(row, column, symmetry):
            message = "the matrix is not \(symmetry.rawValue): element (\(row), \(column)) does not match its mirror"
        case let .unsupportedWrite(reason):
            message = "cannot write: \(reason)"
        }
        if let line { return "line \(line): \(message)" }
        return message
    }
}

/// A token or line, shortened for an error message and with control characters made visible.
@inline(never)
func _errorExcerpt(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, limit: Int = 40) -> String {
    var s = ""
    var p = start
    while p < end && p - start < limit {
        let b = base[p]
        if b >= 0x20 && b < 0x7F {
            s.unicodeScalars.append(Unicode.Scalar(b))
        } else if b == 0x09 {
            s += "\\t"
        } else if b == 0x0D {
            s += "\\r"
        } else {
            let hex = String(b, radix: 16, uppercase: true)
            s += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
        p += 1
    }
    if p < end { s += "…" }
    return s
}
