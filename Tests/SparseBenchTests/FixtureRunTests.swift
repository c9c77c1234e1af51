import Foundation
import Testing
@testable import sparse_bench

/// The sweep on the repository's real MatrixMarket fixtures (Fixtures/, from SuiteSparse): the shape and entry
/// count it reports match a count made here from the file's own lines.
@Suite struct FixtureRunTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// (rows, columns, stored entries after symmetric expansion) counted from the text of a coordinate file.
    static func countByHand(_ path: String) throws -> (Int, Int, Int) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let symmetric = text.prefix(while: { $0 != "\n" }).lowercased().contains("symmetric")
        var lines = text.split(separator: "\n").filter { !$0.hasPrefix("%") && !$0.allSatisfy(\.isWhitespace) }[...]
        let size = lines.removeFirst().split(separator: " ").compactMap { Int($0) }
        var stored = 0
        for line in lines {
            let f = line.split(separator: " ")
            stored += symmetric && f[0] != f[1] ? 2 : 1
        }
        return (size[0], size[1], stored)
    }

    @Test(arguments: ["lp_afiro", "karate", "west0067"])
    func sweepReportsTheFilesTrueShapeAndEntries(_ name: String) throws {
        let path = Self.fixtures.appendingPathComponent("\(name).mtx").path
        let (rows, cols, stored) = try Self.countByHand(path)
        let report = try runSweep(["--matrix", path, "--rhs", "2", "--threads", "1"])
        let m = try #require(report.matrices.first)
        #expect(m.name == name)
        #expect((m.rows, m.cols, m.nnz) == (rows, cols, stored))
        #expect(report.records.allSatisfy { $0.rows == rows && $0.cols == cols && $0.nnz == stored })
        #expect(report.records.allSatisfy { $0.verified == true })
        let inspection = try InspectCommand.parse([path]).inspect()
        #expect((inspection.rows, inspection.cols, inspection.storedEntries) == (rows, cols, stored))
    }

    @Test func theReadersErrorsKeepTheirLine() throws {
        let path = Self.fixtures.appendingPathComponent("errors/too_few_tokens.mtx").path
        #expect {
            _ = try InspectCommand.parse([path]).inspect()
        } throws: { error in
            let line = SparseBench.errorLine(for: error)
            return line.contains("too_few_tokens.mtx: line ") && !line.contains("\n")
        }
    }
}
