import Foundation
import SwiftSparse

/// The bench's only door to MatrixMarket files: SparseIO's reader, with its errors (line and cause) kept and
/// the file's path added, and duplicates summed.
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
        /// Entries the file declares (before symmetric expansion).
        var entries: Int

        init(format: String, field: String, symmetry: String, rows: Int, columns: Int, entries: Int) {
            (self.format, self.field, self.symmetry) = (format, field, symmetry)
            (self.rows, self.columns, self.entries) = (rows, columns, entries)
        }

        init(_ h: MatrixMarketHeader) {
            self.init(format: h.format.rawValue, field: h.field.rawValue, symmetry: h.symmetry.rawValue,
                      rows: h.rows, columns: h.columns, entries: h.entries)
        }
    }

    /// Why a file could not be read: the file and the reader's message (with its line).
    struct ReadError: Error, Sendable, CustomStringConvertible {
        var path: String
        var message: String
        /// `path: line 4: …`; the path is not repeated when the reader's message already names it.
        var description: String { message.contains(path) ? message : "\(path): \(message)" }
    }

    /// The header and size line, without reading the entries.
    static func readHeader(path: String) throws(ReadError) -> Header {
        do {
            return Header(try MatrixMarket.readHeader(path: path))
        } catch {
            throw ReadError(path: path, message: error.description)
        }
    }

    /// The whole matrix as canonical COO: symmetric files expanded, duplicates summed.
    static func read<S: SparseScalar, I: SparseIndex>(
        path: String, scalar: S.Type, index: I.Type, threads: Int
    ) throws(ReadError) -> (header: Header, matrix: COOMatrix<S, I>) {
        let header: MatrixMarketHeader, coo: COOMatrix<S, I>
        do {
            (header, coo) = try MatrixMarket.read(path: path, scalar: S.self, index: I.self, threads: threads)
        } catch {
            throw ReadError(path: path, message: error.description)
        }
        // Summing duplicates and compressing take about 32 bytes a row and 24 an entry of scratch; the rows
        // come from the file's size line, so check them before allocating.
        let scratch = 32 * Double(coo.rows) + 24 * Double(coo.storedCount)
        guard scratch <= Double(MachineMemory.bytes) else {
            throw ReadError(path: path, message: "a \(coo.rows)×\(coo.columns) matrix with \(coo.storedCount) "
                            + "entries needs about \(_bytesText(scratch)) to compress, more "
                            + "than this machine's \(Format.bytes(MachineMemory.bytes))")
        }
        return (Header(header), coo.canonicalized())
    }

    /// The name a file is reported under: its base name without the `.mtx` extension.
    static func displayName(path: String) -> String {
        let base = (path as NSString).lastPathComponent
        return base.hasSuffix(".mtx") ? String(base.dropLast(4)) : base
    }
}
