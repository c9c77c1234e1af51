import SparseCore
@testable import SparseKernels
import Testing

@Suite("SpMM reads a large X in panels of 128-byte rows")
struct GatherPanelTests {
    /// An X of `rows` × `columns` that is never read, for the decision alone.
    func view<T: BinaryFloatingPoint>(_ rows: Int, _ columns: Int, _: T.Type,
                                      layout: DenseLayout = .rowMajor) -> DenseMatrixView<T> {
        // A line-aligned base, so that the aligned-copy rule does not take part.
        DenseMatrixView(unsafeBaseAddress: UnsafePointer(bitPattern: 1 << 12)!, rows: rows, columns: columns,
                        layout: layout)
    }

    /// The rules, case by case, with the budget at 4096 bytes: 30 rows of 40 Double columns (9600 bytes) do
    /// not fit; a 16-column panel (3840 bytes) fits twice the budget.
    @Test func decision() {
        let c = KernelConfiguration(spmmPanelBytes: 4096)
        let x = view(30, 40, Double.self)
        // 20 reads a row (600 = 20 × 30): 16-column panels for the row kernel.
        #expect(_gatherPanelWidth(x, gatheredRows: 600, halfBlockPanels: true, configuration: c) == 16)
        // Fewer reads: in place.
        #expect(_gatherPanelWidth(x, gatheredRows: 599, halfBlockPanels: true, configuration: c) == nil)
        // BSR's and COO's rule: one register block (32 columns) a panel; in place with fewer reads, or when X is
        // no wider than a block.
        #expect(_gatherPanelWidth(x, gatheredRows: 600, halfBlockPanels: false, configuration: c) == 32)
        #expect(_gatherPanelWidth(x, gatheredRows: 599, halfBlockPanels: false, configuration: c) == nil)
        #expect(_gatherPanelWidth(view(130, 32, Double.self), gatheredRows: 2600, halfBlockPanels: false,
                                  configuration: c) == nil)
        // X that fits the budget (30 × 17 × 8 = 4080): in place.
        #expect(_gatherPanelWidth(view(30, 17, Double.self), gatheredRows: 600, halfBlockPanels: true,
                                  configuration: c) == nil)
        // No wider than a panel (16 columns, 3840 bytes): in place even with a smaller budget.
        #expect(_gatherPanelWidth(view(30, 16, Double.self), gatheredRows: 600, halfBlockPanels: true,
                                  configuration: KernelConfiguration(spmmPanelBytes: 1024)) == nil)
        // A 16-column panel larger than twice the budget (3840 > 2 × 1024): in place.
        #expect(_gatherPanelWidth(x, gatheredRows: 600, halfBlockPanels: true,
                                  configuration: KernelConfiguration(spmmPanelBytes: 1024)) == nil)
        // Float: 32 columns make 128 bytes; 30 × 40 × 4 = 4800 bytes do not fit.
        #expect(_gatherPanelWidth(view(30, 40, Float.self), gatheredRows: 600, halfBlockPanels: true,
                                  configuration: c) == 32)
        // Column-major X is always packed: in register-block panels with few reads, whole when it fits.
        #expect(_gatherPanelWidth(view(30, 40, Double.self, layout: .columnMajor), gatheredRows: 600,
                                  halfBlockPanels: true, configuration: c) == 16)
        #expect(_gatherPanelWidth(view(30, 40, Double.self, layout: .columnMajor), gatheredRows: 0,
                                  halfBlockPanels: true, configuration: c) == 32)
        #expect(_gatherPanelWidth(view(30, 17, Double.self, layout: .columnMajor), gatheredRows: 0,
                                  halfBlockPanels: true, configuration: c) == 17)
    }

    /// Products through panels against the dense reference, and one thread against two bit for bit: a 100 × 30
    /// matrix with about 27 entries a row, so that CSR's A·X and CSC's Aᵀ·X (128-byte panels), COO's A·X and
    /// BSR's for blocks of up to 5 rows (register-block panels) read each row of X at least 20 times;
    /// k = 40 and 129, X and Y in both layouts (a column-major X packed into the same panels). (Against X
    /// read in place the sums of a column can differ in the last bits: a 128-byte block adds two entries a
    /// step into two sets of accumulators, an eight-vector block one entry a step.)
    @Test(arguments: [FormatCase.csr, .csc, .cooCanonical, .cooShuffled, .bsr2x2, .bsr4x4, .bsr5x3, .bsr3x5])
    func products(format: FormatCase) throws {
        var rng = SplitMix64(seed: 23)
        let a = (0..<100).map { _ in (0..<30).map { _ in rng.nextUnit() < 0.9 ? rng.nextNonzeroValue() : 0 } }
        let c = KernelConfiguration(threads: 2, parallelThreshold: 1, spmmPanelBytes: 8192)
        let check = SpMMCheck(ks: [40, 129], layouts: [(.rowMajor, .rowMajor), (.rowMajor, .columnMajor)],
                              pairs: [(1.25, 0.5), (1, 0)], parallel: c,
                              serial: KernelConfiguration(threads: 1, spmmPanelBytes: 8192))
        try visit(format, a, Double.self, Int32.self, check)
        try visit(format, a, Float.self, Int64.self, check)
        var columnMajorX = check
        columnMajorX.layouts = [(.columnMajor, .rowMajor)]
        columnMajorX.pairs = [(1.25, 0.5)]
        try visit(format, a, Double.self, Int64.self, columnMajorX)
        try visit(format, a, Float.self, Int32.self, columnMajorX)
        // The gathers above do take the panels: X has 30 rows for A·X, 100 for Aᵀ·X; a BSR with 4-row blocks
        // stores all 25 × 8 blocks of 4 columns (every block has an entry), 25 reads of each row of X.
        let entries = a.joined().filter { $0 != 0 }.count
        #expect(entries >= 20 * 100)
        #expect(_gatherPanelWidth(view(30, 40, Double.self), gatheredRows: entries, halfBlockPanels: true,
                                  configuration: c) == 16)
        #expect(_gatherPanelWidth(view(100, 40, Float.self), gatheredRows: entries, halfBlockPanels: true,
                                  configuration: c) == 32)
        #expect(_gatherPanelWidth(view(30, 40, Double.self), gatheredRows: 25 * 8 * 4, halfBlockPanels: false,
                                  configuration: c) == 32)
    }
}
