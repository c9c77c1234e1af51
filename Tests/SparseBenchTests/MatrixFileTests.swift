import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SwiftSparse
import Testing
@testable import sparse_bench

@Suite struct MatrixFileTests {
    @Test func readerExpandsTheSymmetricFixture() throws {
        let path = try writeFile("fixture.mtx", fixtureText)
        let (header, coo) = try MatrixInput.read(path: path, scalar: Double.self, index: Int32.self, threads: 1)
        #expect(header == MatrixInput.Header(format: "coordinate", field: "real", symmetry: "symmetric", rows: 5,
                                             columns: 5, entries: 7))
        #expect(coo.storedCount == 10)
        let d = coo.dense()
        #expect(d[0, 0] == 4)
        #expect(d[1, 0] == -1 && d[0, 1] == -1)
        #expect(d[3, 1] == 2.5 && d[1, 3] == 2.5)
        #expect(d[4, 0] == 3 && d[0, 4] == 3)
        #expect(d[3, 3] == -2 && d[4, 4] == 1 && d[2, 2] == 0)
    }

    @Test func sweepOnAFileReportsItsTrueShapeAndEntries() throws {
        let path = try writeFile("fixture.mtx", fixtureText)
        let report = try runSweep(["--matrix", path, "--block-sizes", "2,4", "--rhs", "2", "--threads", "1"])
        #expect(report.matrices.count == 1)
        let m = report.matrices[0]
        #expect(m.name == "fixture")
        #expect(m.pattern == "file")
        #expect((m.rows, m.cols, m.nnz) == (5, 5, 10))
        #expect(m.density == 0.4)
        // Hand count: 2×2 blocks (0,0) (0,1) (0,2) (1,0) (1,1) (2,0) (2,2); 4×4 blocks (0,0) (0,1) (1,0) (1,1).
        #expect(m.blockFills.map(\.blockCount) == [7, 4])
        // 2×2: 28·8 + 7·4 + 4·4 = 268 bytes; 4×4: 64·8 + 4·4 + 3·4 = 540: 2×2 is measured.
        #expect(m.measuredBlocks == [2])
        #expect(report.records.allSatisfy { $0.rows == 5 && $0.cols == 5 && $0.nnz == 10 && $0.matrix == "fixture" })
        #expect(report.records.allSatisfy { $0.verified == true })
        #expect(Set(report.records.compactMap(\.format.block)) == [2])
        let bytes = Dictionary(report.records.filter { $0.operation == .spmv }.map { ($0.format.description, $0.bytes) },
                               uniquingKeysWith: { a, _ in a })
        #expect(bytes == ["dense": 200, "CSR": 144, "CSC": 144, "COO": 160, "BSR 2×2": 268])
        // JSON names the file too.
        let root = try #require(try JSONSerialization.jsonObject(with: Data(ReportJSON.render(report).utf8))
            as? [String: Any])
        let matrices = try #require(root["matrices"] as? [[String: Any]])
        #expect(matrices[0]["path"] as? String == path)
        #expect(matrices[0]["nnz"] as? Int == 10)
    }

    @Test func inspectReportsHeaderEntriesZerosFootprintsAndFill() throws {
        let path = try writeFile("fixture.mtx", fixtureText)
        let report = try InspectCommand.parse([path, "--block-sizes", "2,4"]).inspect()
        #expect(report.header.symmetry == "symmetric")
        #expect(report.header.entries == 7)
        #expect((report.rows, report.cols, report.storedEntries, report.explicitZeros) == (5, 5, 10, 1))
        func bytes(_ kind: FormatKind, _ bits: Int, block: Int? = nil) -> Int? {
            report.footprints.first { $0.format == FormatSpec(kind: kind, block: block) && $0.indexBits == bits }?.bytes
        }
        #expect(bytes(.dense, 32) == 200)
        #expect(bytes(.csr, 32) == 10 * 12 + 6 * 4)
        #expect(bytes(.csr, 64) == 10 * 16 + 6 * 8)
        #expect(bytes(.coo, 64) == 10 * 24)
        #expect(bytes(.bsr, 32, block: 2) == 268)
        #expect(bytes(.bsr, 64, block: 4) == 64 * 8 + 4 * 8 + 3 * 8)
        #expect(report.fills.map(\.fillValues) == [28 - 10, 64 - 10])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.renderedJSON().utf8))
            as? [String: Any])
        #expect(json["stored_entries"] as? Int == 10)
        #expect(json["explicit_zeros"] as? Int == 1)
        #expect((json["header"] as? [String: Any])?["field"] as? String == "real")
        #expect((json["bsr_fill"] as? [[String: Any]])?.first?["blocks"] as? Int == 7)
        let table = report.renderedTable()
        #expect(table.contains("coordinate real symmetric"))
        #expect(table.contains("BSR 2×2"))
    }

    @Test func anUnreadableFileIsAOneLineErrorNamingTheFile() throws {
        let missing = try temporaryDirectory().appendingPathComponent("missing.mtx").path
        do {
            try InspectCommand.parse([missing]).run()
            Issue.record("a missing file was accepted")
        } catch {
            let line = SparseBench.errorLine(for: error)
            #expect(!line.contains("\n"))
            #expect(line.contains(missing))
            #expect(SparseBench.exitCode(for: error) != .success)
        }
    }

    @Test func aMalformedFileGivesTheLineAndCause() throws {
        let path = try writeFile("bad.mtx", """
            %%MatrixMarket matrix coordinate real general
            3 3 2
            1 1 1.0
            2 x 1.0

            """)
        #expect {
            _ = try SweepCommand.parse(["--matrix", path] + tinyTiming).makeReport()
        } throws: { error in
            let line = SparseBench.errorLine(for: error)
            return line.contains("bad.mtx") && line.contains("line 4") && !line.contains("\n")
        }
        #expect {
            _ = try InspectCommand.parse([path]).inspect()
        } throws: { error in
            "\(error)".contains("line 4")
        }
    }

    /// The built binary: a bad file or a bad option exits non-zero with one line on stderr and nothing on stdout.
    /// A size line of 10¹² × 10¹² with no entries reads as COO, but compressing it needs 32 TB of row
    /// offsets: inspect and the sweep refuse it naming the file, instead of failing to allocate.
    @Test func aShapeTooLargeToCompressIsRefusedNamingTheFile() throws {
        let path = NSTemporaryDirectory() + "sparse-bench-huge-\(getpid()).mtx"
        try "%%MatrixMarket matrix coordinate real general\n1000000000000 1000000000000 0\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for run in [{ _ = try InspectCommand.parse([path]).inspect() },
                    { _ = try SweepCommand.parse(["--matrix", path, "--index", "64"] + tinyTiming).makeReport() }] {
            do {
                try run()
                Issue.record("the 10¹² × 10¹² file was accepted")
            } catch {
                #expect("\(error)".contains(path) && "\(error)".contains("to compress"), "\(error)")
            }
        }
    }

    /// A file whose operands would outgrow --max-matrix-mib (1 × 10¹³ with one entry: x alone is 80 TB) is
    /// reported as skipped, with a note, and measures nothing.
    @Test func operandsBeyondTheBudgetAreSkipped() throws {
        let path = NSTemporaryDirectory() + "sparse-bench-wide-\(getpid()).mtx"
        try "%%MatrixMarket matrix coordinate real general\n1 10000000000000 1\n1 1 2.5\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try SweepCommand.parse(["--matrix", path, "--index", "64", "--formats", "csr"] + tinyTiming)
            .makeReport()
        #expect(report.records.isEmpty)
        #expect(report.matrices.first?.notes.contains { $0.contains("operands") } == true)
    }

    @Test func theBinaryFailsWithOneLine() throws {
        let missing = try temporaryDirectory().appendingPathComponent("nope.mtx").path
        for arguments in [["inspect", missing], ["--matrix", missing, "--quiet"], ["--bogus"], ["--densities", "2"]] {
            let (status, stdout, stderr) = try runBinary(arguments)
            #expect(status != 0, "\(arguments)")
            #expect(stdout.isEmpty, "\(arguments)")
            let lines = stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(stderr)")
            #expect(lines.first?.hasPrefix("Error: ") == true)
        }
    }

    /// The built binary writes a plot that parses, and JSON on stdout.
    @Test func theBinaryWritesJSONAndAPlot() throws {
        let plot = try temporaryDirectory().appendingPathComponent("p.svg").path
        let (status, stdout, _) = try runBinary(["--size", "32", "--densities", "0.1", "--formats", "csr",
                                                 "--format", "json", "--plot", plot] + tinyTiming)
        #expect(status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        #expect((root["records"] as? [Any])?.count == 2)
        let svg = try #require(FileManager.default.contents(atPath: plot))
        #expect(XMLParser(data: svg).parse())
    }
}
