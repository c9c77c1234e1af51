import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SwiftSparse
import Testing
@testable import sparse_bench

@Suite struct SweepOutputTests {
    static let tiny = ["--size", "48", "--densities", "0.05,0.3", "--rhs", "3", "--threads", "1"]

    @Test func tinyRunVerifiesAndTimesEveryFormat() throws {
        let report = try runSweep(Self.tiny)
        // 7 formats × 2 densities × 2 operations.
        #expect(report.records.count == 28)
        for r in report.records {
            #expect(r.verified == true, "\(r.format) \(r.operation) \(r.note ?? "")")
            #expect(r.timing?.reps == 1)
        }
        // The generator, run independently, gives the same matrices.
        for (d, m) in zip([0.05, 0.3], report.matrices) {
            let a = try MatrixGenerator.uniform(rows: 48, columns: 48, density: d, seed: 1, scalar: Double.self,
                                                index: Int32.self)
            #expect(m.nnz == a.storedCount)
            #expect(m.density == Double(a.storedCount) / (48 * 48))
            #expect(m.targetDensity == d)
        }
    }

    @Test func jsonHasEveryDocumentedFieldWithConsistentValues() throws {
        let report = try runSweep(Self.tiny)
        let text = ReportJSON.render(report)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["schema_version"] as? Int == 1)
        let triad = try #require(root["triad"] as? [String: Any])
        #expect((triad["gbps"] as? Double ?? 0) > 0)
        let records = try #require(root["records"] as? [[String: Any]])
        #expect(records.count == report.records.count)
        let names = BenchRecord.fields.map(\.name)
        let required = ["matrix", "rows", "cols", "density", "nnz", "format", "block", "scalar", "index_bits",
                        "threads", "bytes", "bytes_ratio_dense", "spmv_gflops", "spmv_gbps", "spmm_gflops", "rhs",
                        "median_s", "min_s", "max_s", "verified"]
        #expect(Set(required).isSubset(of: Set(names)))
        for rec in records {
            #expect(Set(rec.keys) == Set(names))
        }
        // One CSR SpMV record, checked against values computed here.
        let csr = try #require(records.first { $0["format"] as? String == "csr" && $0["operation"] as? String == "spmv" })
        let nnz = try #require(csr["nnz"] as? Int)
        #expect(csr["bytes"] as? Int == nnz * (8 + 4) + 49 * 4)
        let ratio = try #require(csr["bytes_ratio_dense"] as? Double)
        #expect(abs(ratio - Double(nnz * 12 + 49 * 4) / Double(48 * 48 * 8)) <= 1e-12)
        #expect(csr["block"] is NSNull)
        #expect(csr["spmm_gflops"] is NSNull)
        #expect(csr["rhs"] as? Int == 1)
        #expect(csr["scalar"] as? String == "Float64")
        #expect(csr["index_bits"] as? Int == 32)
        let median = try #require(csr["median_s"] as? Double)
        let gflops = try #require(csr["spmv_gflops"] as? Double)
        #expect(abs(gflops - 2 * Double(nnz) / median / 1e9) <= 1e-9 * gflops)
        let gbps = try #require(csr["spmv_gbps"] as? Double)
        let moved = Double(nnz * 12 + 49 * 4 + (48 + 48) * 8)
        #expect(abs(gbps - moved / median / 1e9) <= 1e-9 * gbps)
        let minS = try #require(csr["min_s"] as? Double), maxS = try #require(csr["max_s"] as? Double)
        #expect(minS <= median && median <= maxS)
        // The SpMM record of BSR 4×4 counts flops on the original entries only, not on the fill.
        let bsr = try #require(records.first {
            $0["format"] as? String == "bsr" && $0["block"] as? Int == 4 && $0["operation"] as? String == "spmm"
        })
        let bnnz = try #require(bsr["nnz"] as? Int), bmedian = try #require(bsr["median_s"] as? Double)
        #expect(bsr["rhs"] as? Int == 3)
        #expect(abs(try #require(bsr["spmm_gflops"] as? Double) - 6 * Double(bnnz) / bmedian / 1e9) <= 1e-6)
        #expect(try #require(bsr["fill_ratio"] as? Double) >= 1)
        // Dense is its own baseline.
        for d in records where d["format"] as? String == "dense" { #expect(d["speedup_dense"] as? Double == 1) }
        let crossovers = try #require(root["crossovers"] as? [[String: Any]])
        #expect(!crossovers.isEmpty)
        for c in crossovers {
            #expect(["crossed", "wins_throughout", "never_wins"].contains(c["status"] as? String ?? ""))
        }
    }

    @Test func csvHasAHeaderOfEveryFieldAndOneLinePerRecord() throws {
        let report = try runSweep(Self.tiny)
        let rows = parseCSV(ReportCSV.render(report))
        #expect(rows.first == BenchRecord.fields.map(\.name))
        #expect(rows.count == 1 + report.records.count)
        for row in rows.dropFirst() { #expect(row.count == BenchRecord.fields.count) }
        let header = rows[0]
        let nnz = header.firstIndex(of: "nnz")!, format = header.firstIndex(of: "format")!
        for (row, r) in zip(rows.dropFirst(), report.records) {
            #expect(Int(row[nnz]) == r.nnz)
            #expect(row[format] == r.format.kind.rawValue)
        }
    }

    @Test func csvQuotesTextThatNeedsIt() {
        #expect(ReportCSV.cell(.string("a,b")) == "\"a,b\"")
        #expect(ReportCSV.cell(.string("say \"hi\"")) == "\"say \"\"hi\"\"\"")
        #expect(ReportCSV.cell(.string("plain")) == "plain")
        #expect(ReportCSV.cell(.null) == "")
        #expect(parseCSV("x,\"a,b\",\"q\"\"\"\n") == [["x", "a,b", "q\""]])
    }

    @Test func jsonStringsRoundTrip() throws {
        let tricky = "quote \" backslash \\ tab \t newline \n bell \u{07} é ∑"
        let text = JSONValue.array([.string(tricky), .number(1e-7), .number(.nan), .int(-3)]).rendered()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any])
        #expect(parsed[0] as? String == tricky)
        #expect(parsed[1] as? Double == 1e-7)
        #expect(parsed[2] is NSNull)
        #expect(parsed[3] as? Int == -3)
    }

    @Test func tableHasARowPerFormatAndTheCrossovers() throws {
        let report = try runSweep(Self.tiny)
        let table = ReportTable.render(report)
        for name in ["dense", "CSR", "CSC", "COO", "BSR 2×2", "BSR 4×4", "BSR 8×8"] {
            #expect(table.components(separatedBy: "\n").filter { $0.hasPrefix(name + " ") }.count == 2, "\(name)")
        }
        #expect(table.contains("Crossovers"))
        #expect(table.contains("memory"))
        #expect(table.contains("SpMV time"))
    }

    @Test func svgIsWellFormedXMLWithALinePerFormatAndPanel() throws {
        var report = try runSweep(Self.tiny)
        for i in report.records.indices { report.records[i].matrix = "a&b <\"c\">" }
        let svg = SVGPlot.render(report)
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.elements.first == "svg")
        // 7 formats × 3 panels, two densities each.
        #expect(collector.elements.filter { $0 == "polyline" }.count == 21)
        #expect(collector.elements.filter { $0 == "circle" }.count == 42)
    }

    @Test func formatsOverTheMemoryCapAreSkippedNotRun() throws {
        // Dense 400×400 Float64 is 1.28 MB, over 1 MiB; CSR at 1% is 24 kB.
        let report = try runSweep(["--size", "400", "--densities", "0.01", "--formats", "dense,csr",
                                   "--max-matrix-mib", "1", "--threads", "1"])
        let dense = report.records.filter { $0.format.kind == .dense }
        #expect(dense.count == 2)
        for r in dense {
            #expect(r.verified == nil)
            #expect(r.timing == nil)
            #expect(r.note?.contains("skipped") == true)
            #expect(r.bytes == 400 * 400 * 8)
        }
        for r in report.records where r.format.kind == .csr {
            #expect(r.verified == true)
            #expect(r.speedupDense == nil)
        }
    }

    @Test func stencilsHaveTheirOwnDensity() throws {
        // A 4×4 grid: 16 points, 16 diagonal entries + 48 neighbour links.
        let report = try runSweep(["--pattern", "stencil2d", "--size", "16", "--densities", "0.1,0.2",
                                   "--formats", "csr", "--threads", "1"])
        #expect(report.matrices.count == 1)
        #expect(report.matrices[0].rows == 16)
        #expect(report.matrices[0].nnz == 64)
        #expect(report.matrices[0].targetDensity == nil)
        #expect(report.records.allSatisfy { $0.verified == true })
    }

    @Test func blocksPatternFillsItsOwnBlocksExactly() throws {
        let report = try runSweep(["--pattern", "blocks", "--size", "32", "--block-sizes", "4,2",
                                   "--densities", "0.25", "--formats", "bsr", "--threads", "2",
                                   "--precision", "float", "--index", "64"])
        let bsr4 = try #require(report.records.first { $0.format.block == 4 })
        #expect(bsr4.fillRatio == 1)
        #expect(bsr4.nnz % 16 == 0)
        #expect(bsr4.scalar == "Float32")
        #expect(bsr4.indexBits == 64)
        #expect(report.records.allSatisfy { $0.verified == true })
    }
}

/// Collects element names in document order.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements = [String]()
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(elementName)
    }
}

@Suite struct PruneSweepTests {
    static let tiny = ["--size", "32", "--densities", "0.1,0.5", "--rhs", "3", "--threads", "1", "--block-sizes", "4"]

    @Test func pruneSeriesAreVerifiedAndMatchTheLibrary() throws {
        let report = try runSweep(Self.tiny + ["--prune", "magnitude,block,nm"])
        // 3 methods × 2 densities, each with the pruned format and the dense baseline, 2 operations each.
        #expect(report.matrices.count == 6)
        #expect(report.records.count == 6 * 2 * 2)
        for r in report.records { #expect(r.verified == true, "\(r.matrix) \(r.format) \(r.operation)") }
        // The dense source, rebuilt here, pruned by the library directly, gives the same matrices.
        var rng = SplitMix64(seed: 1)
        let dense = DenseMatrix<Double>(rows: 32, columns: 32) { _, _ in rng.nextNonzeroValue() }
        for m in report.matrices {
            let p = try #require(m.pruning)
            let d = try #require(m.targetDensity)
            let expected: Int
            switch p.method {
            case .magnitude: expected = try Pruning.magnitude(dense, density: d).matrix.storedCount
            case .block:
                expected = try Pruning.blocks(dense, blockRows: 4, blockColumns: 4, density: d).report.keptEntries
            case .nm:
                let (n, mm) = PruneMethod.nOfM(density: d)
                expected = try Pruning.nOfM(dense, n: n, m: mm).matrix.storedCount
            }
            #expect(m.nnz == expected, "\(m.name) at \(d)")
            let sparse = report.records(of: m).filter { $0.format.kind != .dense }
            #expect(sparse.allSatisfy { $0.pruning?.rule == p.rule && $0.pattern == "pruned" })
            #expect(sparse.allSatisfy { $0.format.kind == (p.method == .block ? .bsr : .csr) })
        }
        #expect(PruneMethod.nOfM(density: 0.5) == (2, 4))
        #expect(PruneMethod.nOfM(density: 0.1) == (1, 10))
        // Below 2⁻⁶³, 1/d no longer converts to Int; it trapped.
        #expect(PruneMethod.nOfM(density: 1e-19) == (1, 1 << 62))
        #expect(PruneMethod.nOfM(density: 1e-308) == (1, 1 << 62))
        // The JSON carries the pruning fields.
        let text = ReportJSON.render(report)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let records = try #require(root["records"] as? [[String: Any]])
        let nm = try #require(records.first { $0["prune"] as? String == "nm" && $0["target_density"] as? Double == 0.5 })
        #expect(nm["prune_rule"] as? String == "2:4")
        let removed = try #require(nm["prune_removed_norm"] as? Double)
        #expect(removed > 0 && removed < 1)
    }

    @Test func halfPrecisionStoresFloat16AgainstAFloatBaseline() throws {
        let report = try runSweep(["--size", "40", "--densities", "0.2", "--rhs", "2", "--threads", "1",
                                   "--precision", "half", "--formats", "dense,csr,bsr", "--block-sizes", "2"])
        #expect(report.scalar == "Float16")
        for r in report.records { #expect(r.verified == true, "\(r.format) \(r.operation)") }
        let csr = try #require(report.records.first { $0.format.kind == .csr })
        // Float16 values (2 bytes) and Int32 indices, against a Float32 dense baseline.
        #expect(csr.bytes == csr.nnz * (2 + 4) + 41 * 4)
        #expect(abs(csr.bytesRatioDense - Double(csr.bytes) / Double(40 * 40 * 4)) < 1e-12)
        let dense = try #require(report.records.first { $0.format.kind == .dense })
        #expect(dense.bytes == 40 * 40 * 4)
    }
}
