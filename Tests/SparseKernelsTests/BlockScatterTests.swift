import SparseCore
@testable import SparseKernels
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a copy of `values` placed so that it ends exactly where an inaccessible page begins (a write
/// past it faults: a crash, never a silently passing test), and returns the copy as `body` left it.
func withGuardPage<T: BitwiseCopyable>(_ values: [T], _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let bytes = values.count * MemoryLayout<T>.stride
    let dataPages = (bytes + page - 1) / page
    guard let base = mmap(nil, (dataPages + 1) * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          base != MAP_FAILED else { fatalError("mmap failed") }
    defer { munmap(base, (dataPages + 1) * page) }
    let guardPage = base + dataPages * page
    precondition(mprotect(guardPage, page, PROT_NONE) == 0)
    let start = (guardPage - bytes).bindMemory(to: T.self, capacity: values.count)
    let buffer = UnsafeMutableBufferPointer(start: start, count: values.count)
    _ = buffer.initialize(from: values)
    body(buffer)
    return Array(buffer)
}

/// BSR's Aᵀ·x through both of its paths (the chunked scatter, and block columns owned by threads), for block
/// shapes that take the block-row vector kernel (r ∈ {1, 2, 4} with c ∈ {2, 4, 8}), its block-by-block
/// fallback (r = 3, 8, 9 with c ∈ {2, 4, 8}) and the scalar loops (c = 3, 5), on matrices whose dimensions
/// the blocks do not divide (a partial last block row and block column): against a plain loop over the
/// stored entries, for every α ≠ 0 and β (NaN in y when β = 0), with y ending at a guard page, one thread
/// against two (equal).
@Suite struct BlockScatterTests {
    static let shapes = [(1, 4), (2, 2), (2, 8), (4, 4), (4, 2), (3, 4), (8, 8), (9, 2), (3, 3), (2, 5)]

    /// A seeded m × n CSR with about `density` of its entries stored.
    func matrix<S: SparseScalar>(_ m: Int, _ n: Int, density: Double, seed: UInt64, _: S.Type) throws
        -> CSRMatrix<S, Int32> {
        var rng = SplitMix64(seed: seed)
        let rows = (0..<m).map { _ in (0..<n).map { _ in rng.nextUnit() < density ? rng.nextNonzeroValue() : 0 } }
        return try csrMatrix(rows, S.self, Int32.self)
    }

    func check<S: SparseScalar>(_ a: CSRMatrix<S, Int32>, chunked: Bool, _ label: String) throws
    {
        typealias T = S.Arithmetic
        let x = seededRows(a.rows, 1, seed: 31).map { $0[0] }, y0 = seededRows(a.columns, 1, seed: 32).map { $0[0] }
        for (r, c) in Self.shapes {
            let b = try a.blockSparse(blockRows: r, blockColumns: c)
            // The path the matrix takes (the stored values, padding included, against the outputs).
            #expect((_scatterChunkCount(entries: b.values.count, outputs: a.columns) > 1) == chunked,
                    "\(label) \(r)×\(c): not the intended path")
            for (alpha, beta) in alphaBetas where alpha != 0 {
                let expected = try entryLoopProduct(a, op: .transpose, alpha: alpha, x: x, beta: beta, y0: y0)
                var results: [[T]] = []
                for configuration in [oneThread, twoThreads] {
                    let xs = x.map { T($0) }
                    // y ends at a guard page: a partial last block column must not be stored whole.
                    let y = withGuardPage(y0.map { beta == 0 ? T.nan : T($0) }) { yp in
                        xs.withUnsafeBufferPointer { xp in
                            b.multiply(.transpose, alpha: T(alpha), x: xp, beta: T(beta), y: yp,
                                       configuration: configuration)
                        }
                    }
                    let wrong = (0..<a.columns).filter { !close(y[$0], expected.value[$0], expected.magnitude[$0]) }
                    #expect(wrong.isEmpty, "\(label) \(r)×\(c) α \(alpha) β \(beta): outputs \(wrong.prefix(5)) wrong")
                    results.append(y)
                }
                #expect(results[0] == results[1], "\(label) \(r)×\(c): one thread and two differ")
            }
        }
    }

    /// 61 × 67 at 60%: many stored values per output, so the chunked scatter into partial vectors.
    @Test func chunkedPath() throws {
        try check(try matrix(61, 67, density: 0.6, seed: 1, Double.self), chunked: true, "Double")
        try check(try matrix(61, 67, density: 0.6, seed: 2, Float.self), chunked: true, "Float")
    }

    /// 203 × 197 with 19 entries (every twelfth row, and two in the last column): few per output even as
    /// 8×8 blocks, so each thread owns a range of block columns; 197 is prime, so the last block column is
    /// partial for every c.
    @Test func ownedBlockColumns() throws {
        var rows = [[Double]](repeating: [Double](repeating: 0, count: 197), count: 203)
        var rng = SplitMix64(seed: 3)
        for i in stride(from: 0, to: 203, by: 12) { rows[i][(i &* 37) % 197] = rng.nextNonzeroValue() }
        rows[0][196] = rng.nextNonzeroValue()
        rows[202][196] = rng.nextNonzeroValue()
        try check(try csrMatrix(rows, Double.self, Int32.self), chunked: false, "Double")
        try check(try csrMatrix(rows, Float.self, Int32.self), chunked: false, "Float")
    }
}
