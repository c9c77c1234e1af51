import SparseCore

/// A shape and fill used to sweep conversions: density 0 (all zero), 1 (all dense), or in between; some cases
/// force empty rows and columns.
struct MatrixCase: CustomStringConvertible, Sendable {
    let rows: Int
    let columns: Int
    let density: Double
    let emptyRow: Int?
    let emptyColumn: Int?
    let seed: UInt64

    init(_ rows: Int, _ columns: Int, density: Double, emptyRow: Int? = nil, emptyColumn: Int? = nil, seed: UInt64 = 7) {
        self.rows = rows
        self.columns = columns
        self.density = density
        self.emptyRow = emptyRow
        self.emptyColumn = emptyColumn
        self.seed = seed
    }

    var description: String { "\(rows)×\(columns) density \(density)" }

    /// The reference: a dense matrix filled by an independent loop (not by the library's generators).
    func dense<S: SparseScalar>(_: S.Type = S.self) -> DenseMatrix<S> {
        var rng = SplitMix64(seed: seed)
        return DenseMatrix<S>(rows: rows, columns: columns) { i, j in
            let u = rng.nextUnit()
            if i == emptyRow || j == emptyColumn { return 0 }
            guard u < density else { return 0 }
            // Small integers and halves: exact in every scalar, and never zero.
            return S(Double(Int(rng.nextUnit() * 16) - 8) / 2 + (u < density / 2 ? 0.25 : 0.75))
        }
    }

    static let all: [MatrixCase] = [
        MatrixCase(0, 0, density: 0.5),
        MatrixCase(0, 5, density: 0.5),
        MatrixCase(4, 0, density: 0.5),
        MatrixCase(1, 9, density: 0.5),
        MatrixCase(9, 1, density: 0.5),
        MatrixCase(1, 1, density: 1),
        MatrixCase(7, 11, density: 0.3, emptyRow: 2, emptyColumn: 5),
        MatrixCase(13, 10, density: 0.15, emptyRow: 0, emptyColumn: 9),
        MatrixCase(16, 16, density: 1),
        MatrixCase(6, 10, density: 0),
        MatrixCase(17, 23, density: 0.4, seed: 99),
    ]
}

/// Every format of one matrix, built by conversions from its dense reference.
func allFormats<S: SparseScalar, I: SparseIndex>(
    of d: DenseMatrix<S>, index: I.Type
) throws -> [(name: String, matrix: any MatrixStorage<S>)] {
    let csr = try d.csr(indexType: I.self)
    var out: [(String, any MatrixStorage<S>)] = [
        ("dense", d),
        ("dense column-major", d.dense(layout: .columnMajor)),
        ("COO", try d.coo(indexType: I.self)),
        ("CSR", csr),
        ("CSC", try d.csc(indexType: I.self)),
    ]
    for (r, c) in [(1, 1), (2, 2), (3, 3), (4, 4), (2, 5), (8, 8)] {
        out.append(("BSR \(r)×\(c)", try d.blockSparse(blockRows: r, blockColumns: c, indexType: I.self)))
    }
    return out
}

/// Every target conversion of one matrix, as (name, converted matrix).
func allConversions<S: SparseScalar, I: SparseIndex>(
    of m: some MatrixStorage<S>, index: I.Type
) throws -> [(name: String, matrix: any MatrixStorage<S>)] {
    var out: [(String, any MatrixStorage<S>)] = [
        ("→dense", m.dense(layout: .rowMajor)),
        ("→dense column-major", m.dense(layout: .columnMajor)),
        ("→COO", try m.coo(indexType: I.self)),
        ("→CSR", try m.csr(indexType: I.self)),
        ("→CSC", try m.csc(indexType: I.self)),
    ]
    for (r, c) in [(1, 1), (3, 2), (4, 4)] {
        out.append(("→BSR \(r)×\(c)", try m.blockSparse(blockRows: r, blockColumns: c, indexType: I.self)))
    }
    return out
}

/// Reads every element through the subscript into a dense matrix.
func elementwise<S: SparseScalar>(_ m: some MatrixStorage<S>) -> DenseMatrix<S> {
    DenseMatrix<S>(rows: m.rows, columns: m.columns) { i, j in m[i, j] }
}
