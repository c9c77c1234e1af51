/// How a MatrixMarket file lays out its values: the banner's third word.
public enum MatrixMarketFormat: String, Hashable, Sendable, CaseIterable {
    /// One line per stored entry: `row column [value]`, 1-based.
    case coordinate
    /// Every element, one value per line, column by column (a dense matrix).
    case array
}

/// The kind of value a MatrixMarket file stores: the banner's fourth word.
public enum MatrixMarketField: String, Hashable, Sendable, CaseIterable {
    /// Decimal floating-point values.
    case real
    /// A synonym of `real` that some writers use.
    case double
    /// Decimal integers; read into the floating-point scalar by correct rounding.
    case integer
    /// No value column: every stored entry is 1 (coordinate format only).
    case pattern
    /// Two values (real and imaginary) per entry. Not supported by this library's real scalars.
    case complex
}

/// Which part of the matrix a MatrixMarket file stores: the banner's fifth word.
public enum MatrixMarketSymmetry: String, Hashable, Sendable, CaseIterable {
    /// Every stored entry is in the file.
    case general
    /// A(i, j) = A(j, i); the file holds the lower triangle with the diagonal (row ≥ column).
    case symmetric
    /// A(i, j) = −A(j, i) with a zero diagonal; the file holds the strict lower triangle (row > column).
    case skewSymmetric = "skew-symmetric"
    /// A(i, j) = conj(A(j, i)); only meaningful with the complex field.
    case hermitian
}

/// What a MatrixMarket file's banner and size line declare.
public struct MatrixMarketHeader: Hashable, Sendable, CustomStringConvertible {
    /// Coordinate (sparse) or array (dense).
    public var format: MatrixMarketFormat
    /// The value type.
    public var field: MatrixMarketField
    /// The stored triangle and how to mirror it.
    public var symmetry: MatrixMarketSymmetry
    /// Rows of the matrix.
    public var rows: Int
    /// Columns of the matrix.
    public var columns: Int
    /// The number of entry lines the file declares: the size line's third number in coordinate format;
    /// in array format the number of values the file holds (rows × columns for `general`,
    /// n(n+1)/2 for `symmetric`, n(n−1)/2 for `skew-symmetric`). Symmetric files expand to more stored
    /// entries than this when read.
    public var entries: Int

    /// A header with the given fields.
    public init(format: MatrixMarketFormat, field: MatrixMarketField, symmetry: MatrixMarketSymmetry,
                rows: Int, columns: Int, entries: Int)
    {
        self.format = format
        self.field = field
        self.symmetry = symmetry
        self.rows = rows
        self.columns = columns
        self.entries = entries
    }

    /// The banner line, `%%MatrixMarket matrix <format> <field> <symmetry>`, without a newline.
    public var banner: String {
        "%%MatrixMarket matrix \(format.rawValue) \(field.rawValue) \(symmetry.rawValue)"
    }

    public var description: String {
        "\(banner) (\(rows)×\(columns), \(entries) entries declared)"
    }
}
