// Splitting a product into parts and running the parts on threads (see `WorkerPool.swift`).
extension KernelConfiguration {
    /// How many parts (threads) a product with `work` units (stored entries × right-hand sides) runs on:
    /// 1 below ``parallelThreshold`` or with one thread, otherwise `threads`, never more than `limit`
    /// (the number of output rows there are to share out).
    @inlinable
    func _parts(work: Int, limit: Int) -> Int {
        guard threads > 1, work >= parallelThreshold, limit > 1 else { return 1 }
        return Swift.min(threads, limit)
    }

    /// Parts for a row-partitioned product that threads take dynamically: `threads × partsPerThread` above
    /// the threshold (at most `limit`), 1 below it.
    @inlinable
    func _dynamicParts(work: Int, limit: Int) -> Int {
        if _parts(work: work, limit: limit) == 1 { return 1 }
        // Saturating: a configuration may ask for Int.max threads, or set partsPerThread below 1.
        let (parts, overflow) = threads.multipliedReportingOverflow(by: Swift.max(1, partsPerThread))
        return overflow ? limit : Swift.min(parts, limit)
    }
}

/// Runs `body(part)` for every part in `0..<parts`, one part per thread, on the calling thread and the
/// kernels' worker pool (``_WorkerPool``), and returns when all have finished. `parts == 1` is a plain call.
@inlinable
func _parallelFor(_ parts: Int, _ body: (Int) -> Void) {
    _parallelFor(parts, threads: parts, body)
}

/// Runs `body(part)` for every part in `0..<parts` on at most `threads` threads (the caller and pool workers).
/// Threads take the next untaken part from a shared counter until none is left, so a thread slowed by other
/// load on its core simply takes fewer parts. Which thread runs a part never changes what it computes.
@inlinable
func _parallelFor(_ parts: Int, threads: Int, _ body: (Int) -> Void) {
    if parts <= 1 || threads <= 1 {
        for part in 0..<parts { body(part) }
        return
    }
    _WorkerPool.shared.run(parts: parts, threads: threads, body)
}
