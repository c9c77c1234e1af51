import Testing
import SparseCore
@testable import SparseIO

/// Splitting a file across threads changes nothing: the same entries in the same order, the same errors
/// at the same lines, whatever the chunk boundaries.
@Suite struct MatrixMarketParallelTests {
    /// A generated file with comments and blank lines between entries, CRLF endings on some lines and no
    /// final newline.
    static func generatedFile(symmetric: Bool) throws -> [UInt8] {
        let a = try MatrixGenerator.uniform(rows: 300, columns: 300, density: 0.03, seed: 11, scalar: Double.self, index: Int32.self)
        let m = symmetric ? try (a.coo()).csr(indexType: Int32.self) : a
        let sym = symmetric ? try CSRMatrix<Double, Int32>(DenseMatrix(rows: 300, columns: 300) { i, j in
            i == j ? 2 : (abs(i - j) == 7 ? -1 : 0)
        }) : m
        let text = try MatrixMarket.string(sym, symmetry: symmetric ? .symmetric : .general)
        var out = ""
        for (k, line) in text.split(separator: "\n").enumerated() {
            out += line + (k % 5 == 0 ? "\r\n" : "\n")
            if k % 37 == 3 { out += "% comment\n\n" }
        }
        out.removeLast()
        return Array(out.utf8)
    }

    @Test(arguments: [false, true])
    func chunkingIsInvisible(symmetric: Bool) throws {
        let bytes = try Self.generatedFile(symmetric: symmetric)
        let serial = try MatrixMarket.read(bytes: bytes, threads: 1).matrix
        for threads in [2, 3, 7] {
            for chunk in [1, 100, 4096] {
                var options = MatrixMarketReadOptions()
                options._minimumChunkBytes = chunk
                let parallel = try MatrixMarket.read(bytes: bytes, threads: threads, options: options).matrix
                #expect(parallel == serial, "threads \(threads), chunk \(chunk)")
            }
        }
        #expect(serial.storedCount > 0)
    }

    /// A file whose entry lines are exactly the declared count takes the path where every chunk parses
    /// straight into its window of the result.
    @Test func directWindowsMatchSerial() throws {
        let a = try MatrixGenerator.uniform(rows: 400, columns: 300, density: 0.05, seed: 5, scalar: Double.self, index: Int32.self)
        let bytes = try MatrixMarket.bytes(a.coo())
        let serial = try MatrixMarket.read(bytes: bytes, threads: 1).matrix
        #expect(serial == (try a.coo()))
        for chunk in [1, 50, 1000] {
            var options = MatrixMarketReadOptions()
            options._minimumChunkBytes = chunk
            #expect(try MatrixMarket.read(bytes: bytes, threads: 3, options: options).matrix == serial)
            #expect(try MatrixMarket.read(bytes: Array(bytes.dropLast()), threads: 3, options: options).matrix == serial)
        }
    }

    @Test func errorLinesAcrossChunks() throws {
        // Split on the byte 0x0A (a Swift String would treat "\r\n" as one character).
        var lines = try Self.generatedFile(symmetric: false).split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let bad = lines.count - 40
        lines[bad] = "1 1 0x10"
        let bytes = Array(lines.joined(separator: "\n").utf8)
        var options = MatrixMarketReadOptions()
        options._minimumChunkBytes = 64
        let want = MatrixMarketError(line: bad + 1, .notANumber(token: "0x10", expected: .real))
        #expect(throws: want) { try MatrixMarket.read(bytes: bytes, threads: 1) }
        #expect(throws: want) { try MatrixMarket.read(bytes: bytes, threads: 4, options: options) }
        // One entry too many, near the end: the first extra entry's line, however the file was split.
        var extra = lines
        extra[bad] = "1 1 1"
        extra.insert("2 2 2", at: 3)
        let header = try MatrixMarket.readHeader(string: extra.joined(separator: "\n"))
        let entryLines = extra.indices.filter { k in
            k > 1 && !extra[k].hasPrefix("%") && extra[k].utf8.contains { $0 > 0x20 }
        }
        let wantExtra = MatrixMarketError(line: entryLines[header.entries] + 1, .tooManyEntries(expected: header.entries))
        #expect(throws: wantExtra) { try MatrixMarket.read(string: extra.joined(separator: "\n"), threads: 1) }
        #expect(throws: wantExtra) { try MatrixMarket.read(string: extra.joined(separator: "\n"), threads: 4, options: options) }
    }
}
