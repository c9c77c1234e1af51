import CBLAS
import Dispatch

/// Wraps a value that is handed to worker threads by a kernel that guarantees the threads never write the
/// same memory (each writes only the output rows it owns).
@usableFromInline
struct _UncheckedSendable<T>: @unchecked Sendable {
    @usableFromInline let value: T
    @inlinable init(_ value: T) { self.value = value }
}

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
        guard threads > 1, work >= parallelThreshold, limit > 1 else { return 1 }
        return Swift.min(threads &* partsPerThread, limit)
    }
}

/// Runs `body(part)` for every part in `0..<parts`, in parallel when `parts > 1` (on libdispatch's worker
/// pool; the calling thread takes a part too), and returns when all have finished. `parts == 1` is a plain
/// call on the calling thread.
@inlinable
func _parallelFor(_ parts: Int, _ body: (Int) -> Void) {
    if parts <= 1 {
        body(0)
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let box = _UncheckedSendable(escapable)
        DispatchQueue.concurrentPerform(iterations: parts) { part in box.value(part) }
    }
}

/// Runs `body(part)` for every part in `0..<parts` on at most `threads` threads. With more parts than threads,
/// each thread takes the next untaken part from a shared counter until none is left, so a thread slowed by
/// other load on its core simply takes fewer parts. Which thread runs a part never changes what it computes.
@inlinable
func _parallelFor(_ parts: Int, threads: Int, _ body: (Int) -> Void) {
    if parts <= 1 || threads <= 1 {
        for part in 0..<parts { body(part) }
        return
    }
    if parts <= threads { return _parallelFor(parts, body) }
    withUnsafeTemporaryAllocation(of: CLong.self, capacity: 1) { counter in
        let next = counter.baseAddress!
        next.initialize(to: 0)
        _parallelFor(threads) { _ in
            while true {
                let part = Int(swiftsparse_fetch_add(next, 1))
                if part >= parts { break }
                body(part)
            }
        }
    }
}
