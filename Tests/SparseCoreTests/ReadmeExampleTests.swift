import Testing
import SwiftSparse
import Foundation

/// The README's example, verbatim between the markers, so it keeps compiling and its printed claims stay true.
@Test func readmeExample() throws {
    // README example begins
    // A 4×4 matrix from (row, column, value) triplets; the repeated (2, 1) is summed.
    let coo = try COOMatrix<Double, Int32>(rows: 4, columns: 4, entries: [
        (0, 0, 4), (1, 1, 3), (2, 1, 1), (2, 1, 0.5), (2, 2, 5), (3, 0, -2), (3, 3, 1),
    ])
    let csr = try CSRMatrix(coo)                        // Int32 indices unless you ask for Int64
    let (bsr, fill) = try csr.blockSparseConversion(blockRows: 2, blockColumns: 2)
    let csc = try CSCMatrix<Double, Int64>(bsr)

    print(csr.footprint)   // CSR 4×4: 92 bytes (values 48, indices 24, offsets 20), 15.333 bytes/value, 0.719× dense
    print(fill)            // 2×2 blocks: 3 blocks, 12 values for 6 entries, fill ratio 2.0 (6 zeros, 48 bytes)
    print(csc.footprint)   // CSC 4×4: 136 bytes (values 48, indices 48, offsets 40), 22.667 bytes/value, 1.063× dense
    let estimate = MemoryFootprint.estimate(format: .coo, rows: 4, columns: 4, storedEntries: 6,
                                            scalar: Float.self, index: Int32.self)
    print(estimate.totalBytes)                          // 72: 6 × (4 + 2 × 4)
    let y = csr * [1, 1, 1, 1]                          // [4, 3, 6.5, -1]
    // README example ends

    #expect(csr.storedCount == 6 && csr[2, 1] == 1.5)
    #expect(csr.footprint.totalBytes == 92)
    #expect(fill.blockCount == 3 && fill.storedValues == 12 && fill.fillValues == 6 && fill.fillBytes == 48)
    #expect(csr.footprint.description
            == "CSR 4×4: 92 bytes (values 48, indices 24, offsets 20), 15.333 bytes/value, 0.719× dense")
    #expect(fill.description == "2×2 blocks: 3 blocks, 12 values for 6 entries, fill ratio 2.0 (6 zeros, 48 bytes)")
    #expect(csc.footprint.description
            == "CSC 4×4: 136 bytes (values 48, indices 48, offsets 40), 22.667 bytes/value, 1.063× dense")
    #expect(estimate.totalBytes == 72)
    #expect(y == [4, 3, 6.5, -1])
    #expect(csc.dense() == coo.dense())
}

/// The README shows the same code as ``readmeExample()``.
@Test func readmeShowsTheTestedExample() throws {
    let here = URL(fileURLWithPath: #filePath)
    let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    let test = try String(contentsOf: here, encoding: .utf8)
    let body = test.components(separatedBy: "// README example begins\n")[1]
        .components(separatedBy: "    // README example ends")[0]
    let code = body.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
        .joined(separator: "\n")
    #expect(readme.contains("import SwiftSparse\n\n" + code))
}
