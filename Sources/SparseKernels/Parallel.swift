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
