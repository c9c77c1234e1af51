@testable import SparseKernels
import Testing

@Suite("Parallel parts")
struct ParallelTests {
    /// Every part runs exactly once, for part counts below, at and above the thread count, and a product
    /// started from inside a part (the pool is busy) still runs all its parts.
    @Test(arguments: [1, 2, 3, 8, 37])
    func everyPartOnce(parts: Int) {
        for _ in 0..<50 {
            let counts = UnsafeMutablePointer<Int>.allocate(capacity: parts)
            counts.initialize(repeating: 0, count: parts)
            defer { counts.deallocate() }
            let nested = UnsafeMutablePointer<Int>.allocate(capacity: parts * 3)
            nested.initialize(repeating: 0, count: parts * 3)
            defer { nested.deallocate() }
            _parallelFor(parts, threads: 2) { part in
                counts[part] += 1
                _parallelFor(3, threads: 2) { q in nested[part * 3 + q] += 1 }
            }
            #expect((0..<parts).allSatisfy { counts[$0] == 1 })
            #expect((0..<(parts * 3)).allSatisfy { nested[$0] == 1 })
        }
    }
}
