import Foundation
import SwiftSparse

/// The bench's only door to MatrixMarket files, so that moving to SparseIO's reader changes this file alone.
///
/// It mirrors the agreed SparseIO API: `MatrixMarket.readHeader(path:)` and
/// `MatrixMarket.read(path:scalar:index:threads:)` (symmetric files expanded, duplicates summed), with the
/// reader's error (line and cause) passed through. Until SparseIO lands, a TEMPORARY minimal reader below
/// stands in for it.
enum MatrixInput {
    /// The header and size line of a file.
    struct Header: Sendable, Equatable {
        /// `coordinate` or `array`.
        var format: String
        /// `real`, `double`, `integer`, `pattern` or `complex`.
        var field: String
        /// `general`, `symmetric`, `skew-symmetric` or `hermitian`.
        var symmetry: String
        var rows: Int
        var columns: Int
        /// Entries the size line announces (before symmetric expansion).
        var entries: Int
    }

    /// Why a file could not be read: the file and the reader's message (with its line).
    struct ReadError: Error, Sendable, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path): \(message)" }
    }

    /// The header and size line, without reading the entries.
    static func readHeader(path: String) throws(ReadError) -> Header {
        try TemporaryMatrixMarketReader(path: path).header
    }

    /// The whole matrix as COO, symmetric files expanded and duplicates summed.
    static func read<S: SparseScalar, I: SparseIndex>(
        path: String, scalar: S.Type, index: I.Type, threads: Int
    ) throws(ReadError) -> (header: Header, matrix: COOMatrix<S, I>) {
        let reader = try TemporaryMatrixMarketReader(path: path)
        return (reader.header, try reader.matrix(scalar: S.self, index: I.self))
    }

    /// The name a file is reported under: its base name without the `.mtx` extension.
    static func displayName(path: String) -> String {
        let base = (path as NSString).lastPathComponent
        return base.hasSuffix(".mtx") ? String(base.dropLast(4)) : base
    }
}

// MARK: - TEMPORARY reader: delete when SparseIO's MatrixMarket lands on main.

/// TEMPORARY minimal MatrixMarket reader for testing the bench until SparseIO lands: coordinate and array
/// formats, real/double/integer/pattern fields, general/symmetric/skew-symmetric. Not tuned; not for the
/// library.
private struct TemporaryMatrixMarketReader {
    let path: String
    let header: MatrixInput.Header
    private let lines: [Substring]
    /// Index in `lines` of the first line after the size line.
    private let bodyStart: Int

    init(path: String) throws(MatrixInput.ReadError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MatrixInput.ReadError(path: path, message: "cannot open the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func fail(_ line: Int, _ message: String) -> MatrixInput.ReadError {
            MatrixInput.ReadError(path: path, message: "line \(line): \(message)")
        }
        guard let first = lines.first, first.lowercased().hasPrefix("%%matrixmarket") else {
            throw fail(1, "missing the %%MatrixMarket header")
        }
        let words = first.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard words.count == 5, words[1] == "matrix" else {
            throw fail(1, "expected '%%MatrixMarket matrix <format> <field> <symmetry>'")
        }
        let format = String(words[2]), field = String(words[3]), symmetry = String(words[4])
        guard ["coordinate", "array"].contains(format) else { throw fail(1, "unknown format '\(format)'") }
        guard ["real", "double", "integer", "pattern", "complex"].contains(field) else {
            throw fail(1, "unknown field '\(field)'")
        }
        guard ["general", "symmetric", "skew-symmetric", "hermitian"].contains(symmetry) else {
            throw fail(1, "unknown symmetry '\(symmetry)'")
        }
        var k = 1
        while k < lines.count, Self.isSkippable(lines[k]) { k += 1 }
        guard k < lines.count else { throw fail(k, "missing the size line") }
        let size = Self.fields(lines[k]).map { Int($0) }
        let expected = format == "coordinate" ? 3 : 2
        guard size.count == expected, size.allSatisfy({ $0 != nil && $0! >= 0 }) else {
            throw fail(k + 1, "expected a size line of \(expected) non-negative integers")
        }
        let rows = size[0]!, columns = size[1]!
        let entries = format == "coordinate" ? size[2]! : (symmetry == "general" ? rows * columns : rows * (rows + 1) / 2)
        header = MatrixInput.Header(format: format, field: field, symmetry: symmetry, rows: rows, columns: columns,
                                    entries: entries)
        bodyStart = k + 1
    }

    func matrix<S: SparseScalar, I: SparseIndex>(scalar: S.Type, index: I.Type) throws(MatrixInput.ReadError)
        -> COOMatrix<S, I>
    {
        func fail(_ line: Int, _ message: String) -> MatrixInput.ReadError {
            MatrixInput.ReadError(path: path, message: "line \(line): \(message)")
        }
        let h = header
        guard h.field != "complex", h.symmetry != "hermitian" else {
            throw fail(1, "complex and hermitian files are not supported")
        }
        let symmetric = h.symmetry != "general"
        let sign: Double = h.symmetry == "skew-symmetric" ? -1 : 1
        var ri = [I](), ci = [I](), vals = [S]()
        let reserve = Swift.min(h.entries, 1 << 20) * (symmetric ? 2 : 1)
        ri.reserveCapacity(reserve); ci.reserveCapacity(reserve); vals.reserveCapacity(reserve)
        func add(_ i: Int, _ j: Int, _ v: Double) {
            ri.append(I(truncatingIfNeeded: i)); ci.append(I(truncatingIfNeeded: j)); vals.append(S(v))
            if symmetric && i != j {
                ri.append(I(truncatingIfNeeded: j)); ci.append(I(truncatingIfNeeded: i)); vals.append(S(sign * v))
            }
        }
        var read = 0
        var k = bodyStart
        // Array files list columns top to bottom; symmetric ones only the lower triangle.
        var arrayRow = 0, arrayColumn = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            if Self.isSkippable(line) { continue }
            guard read < h.entries else { throw fail(k, "more entries than the \(h.entries) the size line announces") }
            let f = Self.fields(line)
            if h.format == "coordinate" {
                let want = h.field == "pattern" ? 2 : 3
                guard f.count == want else { throw fail(k, "expected \(want) fields, found \(f.count)") }
                guard let i = Int(f[0]), let j = Int(f[1]) else { throw fail(k, "the row or column is not an integer") }
                guard i >= 1 && i <= h.rows && j >= 1 && j <= h.columns else {
                    throw fail(k, "entry (\(i), \(j)) is outside the \(h.rows)×\(h.columns) matrix")
                }
                let v: Double
                if h.field == "pattern" { v = 1 } else {
                    guard let x = Double(f[2]) else { throw fail(k, "'\(f[2])' is not a number") }
                    v = x
                }
                if symmetric && j > i { throw fail(k, "entry (\(i), \(j)) is above the diagonal of a \(h.symmetry) file") }
                add(i - 1, j - 1, v)
            } else {
                guard f.count == 1, let v = Double(f[0]) else { throw fail(k, "expected one number") }
                add(arrayRow, arrayColumn, v)
                arrayRow += 1
                if arrayRow == h.rows { arrayColumn += 1; arrayRow = symmetric ? arrayColumn : 0 }
            }
            read += 1
        }
        guard read == h.entries else {
            throw fail(k, "the size line announces \(h.entries) entries, the file has \(read)")
        }
        do {
            return try COOMatrix<S, I>(rows: h.rows, columns: h.columns, rowIndices: SparseBuffer(ri),
                                       columnIndices: SparseBuffer(ci), values: SparseBuffer(vals)).canonicalized()
        } catch {
            throw MatrixInput.ReadError(path: path, message: error.description)
        }
    }

    private static func isSkippable(_ line: Substring) -> Bool {
        line.first == "%" || line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
    }

    private static func fields(_ line: Substring) -> [Substring] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    }
}
