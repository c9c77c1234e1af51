import Testing
import SparseCore

/// Conversions of matrices with far more columns (or rows) than entries: they sort instead of counting per
/// column, so a 2 × 3·10⁹ matrix with a few entries converts without gigabytes of scratch. Each result is
/// checked against a reference built by hand from the entries, and against the counting path on a narrower
/// matrix with the same entries.
@Suite("Conversions of wide and tall hypersparse matrices")
struct WideShapeConversionTests {
    /// Shuffled entries with repeats (summed in order: −0.0 first stays −0.0 only when alone).
    static func entries(rows: Int, columnsUsed: Int, count: Int, seed: UInt64) -> [(row: Int, column: Int, value: Double)] {
        var rng = SplitMix64(seed: seed)
        var out = [(row: Int, column: Int, value: Double)]()
        for _ in 0..<count {
            let i = Int(rng.next() % UInt64(rows)), j = Int(rng.next() % UInt64(columnsUsed))
            out.append((i, j, Double(Int(rng.next() % 15) - 7) / 4))
            if rng.next() % 4 == 0 { out.append((i, j, Double(Int(rng.next() % 9) - 4))) }  // a duplicate
        }
        out.shuffle(using: &rng)
        return out
    }

    /// The CSR arrays the entries should give, from a dictionary that sums repeats in their order.
    static func referenceCSR(rows: Int, _ entries: [(row: Int, column: Int, value: Double)])
        -> (offsets: [Int], columns: [Int], values: [Double])
    {
        var sums = [Int: Double](), order = [Int]()
        for e in entries {
            let key = e.row &* (1 << 40) &+ e.column
            if let s = sums[key] { sums[key] = s + e.value } else { sums[key] = e.value; order.append(key) }
        }
        var offsets = [Int](repeating: 0, count: rows + 1), columns = [Int](), values = [Double]()
        for key in order.sorted() {
            offsets[key >> 40 + 1] += 1
            columns.append(key & ((1 << 40) - 1))
            values.append(sums[key]!)
        }
        for i in 0..<rows { offsets[i + 1] += offsets[i] }
        return (offsets, columns, values)
    }

    static func arrays<I: SparseIndex>(_ m: CSRMatrix<Double, I>) -> (offsets: [Int], columns: [Int], values: [Double]) {
        (m.pattern.offsets.map { Int($0) }, m.pattern.indices.map { Int($0) }, Array(m.values))
    }

    /// 3 × 60000 takes the sorting path, 3 × 4000 the counting one; both match the reference, bit for bit.
    @Test(arguments: [UInt64(1), 2, 3])
    func wideCOOToCSRAndCSC(seed: UInt64) throws {
        let e = Self.entries(rows: 3, columnsUsed: 4000, count: 40, seed: seed)
        let reference = Self.referenceCSR(rows: 3, e)
        for columns in [4000, 60000] {
            let coo = try COOMatrix<Double, Int32>(rows: 3, columns: columns, entries: e)
            let csr = try coo.csr()
            #expect(Self.arrays(csr) == reference, "\(columns) columns")
            #expect(csr.values.map(\.bitPattern) == reference.values.map(\.bitPattern))
            #expect(try coo.canonicalized().csr() == csr)
            // CSC compresses the transpose; converting the reference CSR by its own path must agree.
            let csc = try coo.csc()
            #expect(csc == (try csr.csc()), "\(columns) columns")
            // Tall: the transpose's CSC is the wide CSR's arrays.
            let tall = try coo.transposed().csc()
            #expect(tall.pattern.offsets.map { Int($0) } == reference.offsets)
            #expect(tall.pattern.indices.map { Int($0) } == reference.columns)
            #expect(Array(tall.values) == reference.values)
        }
    }

    /// 3·10⁹ columns (or rows) and a few entries, with Int64 indices: the counting sort's scratch would be
    /// 24 GB; these finish at once with the values the entries give.
    @Test func hypersparseShapesConvert() throws {
        let wide = 3_000_000_000
        let e: [(row: Int, column: Int, value: Double)] = [
            (1, wide - 1, 5), (0, 2_999_999_000, 1), (1, 7, 2), (0, 2_999_999_000, 0.5), (0, 3, -1),
        ]
        let coo = try COOMatrix<Double, Int64>(rows: 2, columns: wide, entries: e)
        let csr = try coo.csr(indexType: Int64.self)
        #expect(Self.arrays(csr) == ([0, 2, 4], [3, 2_999_999_000, 7, wide - 1], [-1, 1.5, 2, 5]))
        #expect(csr[0, 2_999_999_000] == 1.5 && csr[1, wide - 1] == 5 && csr[1, 8] == 0)

        let tall = try coo.transposed().csc(indexType: Int64.self)
        #expect(tall.rows == wide && tall.columns == 2)
        #expect(tall[2_999_999_000, 0] == 1.5 && tall[7, 1] == 2 && tall.storedCount == 4)

        // Blocks: 1000 × … columns; entries (0, 2_999_999_000) and (1, wide − 1) share a 2 × 1000 block.
        let bsr = try csr.blockSparse(blockRows: 2, blockColumns: 1000, indexType: Int64.self)
        #expect(bsr.blockCount == 2)
        #expect(bsr.pattern.indices.map { Int($0) } == [0, 2_999_999])
        #expect(bsr[0, 2_999_999_000] == 1.5 && bsr[1, wide - 1] == 5 && bsr[1, 7] == 2 && bsr[0, 3] == -1)
        #expect(bsr[0, 2_999_999_001] == 0)
        #expect(try csr.blockFill(blockRows: 1, blockColumns: 1).blockCount == 4)
        #expect(try bsr.csr(indexType: Int64.self) == csr)
    }

    /// A 5 × 40000 CSR with ~60 entries takes the sorting path for every block size; 5 × 400 the marker path.
    /// Each conversion keeps every element, stores exactly the distinct blocks its entries touch, in sorted
    /// order (the checked init accepts its arrays), and reports that count as its fill.
    @Test(arguments: [(1, 1), (2, 3), (4, 4), (3, 7), (5, 1), (1, 64), (8, 8)])
    func wideCSRToBlockSparse(r: Int, c: Int) throws {
        for columns in [400, 40000] {
            let e = Self.entries(rows: 5, columnsUsed: columns, count: 60, seed: UInt64(r * 100 + c))
            let csr = try COOMatrix<Double, Int32>(rows: 5, columns: columns, entries: e).csr()
            let bsr = try csr.blockSparse(blockRows: r, blockColumns: c)
            let sameElements = bsr.dense(layout: .rowMajor) == csr.dense(layout: .rowMajor)
            #expect(sameElements, "\(r)×\(c), \(columns) columns")
            var touched = Set<Int>()
            csr.forEachStoredEntry { i, j, _ in touched.insert((i / r) * 1_000_000 + j / c) }
            #expect(bsr.blockCount == touched.count, "\(r)×\(c), \(columns) columns")
            #expect(try csr.blockFill(blockRows: r, blockColumns: c).blockCount == touched.count)
            _ = try BlockSparseMatrix<Double, Int32>(
                rows: 5, columns: columns, blockRows: r, blockColumns: c,
                blockRowOffsets: Array(bsr.pattern.offsets), blockColumnIndices: Array(bsr.pattern.indices),
                values: Array(bsr.values))
        }
    }
}
