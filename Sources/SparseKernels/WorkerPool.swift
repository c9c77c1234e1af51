import CBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The threads that run the parts of a parallel product.
///
/// libdispatch's `concurrentPerform` wakes its workers too late for sparse products: measured here, the second
/// thread started 90–300 µs after the call, and in 27 of 40 back-to-back calls of 2 × 300 µs the calling thread
/// ran both parts itself. This pool keeps its workers spinning for a while after each product (then they sleep
/// on a condition variable), so a product that follows another one starts on all threads within microseconds.
///
/// One product at a time: a second caller that finds the pool busy (another thread's product, or a product
/// started from inside a part) runs its parts on its own thread. Which thread runs a part never changes what the
/// part computes.
@usableFromInline
final class _WorkerPool: @unchecked Sendable {
    /// The process-wide pool (an execution resource, like libdispatch's; what runs on it is configured per call).
    @usableFromInline static let shared = _WorkerPool()

    /// How long an idle worker spins before it sleeps.
    @usableFromInline static let spinNanoseconds: UInt64 = 200_000

    // Shared words, accessed only through the atomic helpers.
    @usableFromInline let words: UnsafeMutablePointer<CLong>
    @usableFromInline var generation: UnsafeMutablePointer<CLong> { words }       // job number
    @usableFromInline var nextPart: UnsafeMutablePointer<CLong> { words + 8 }     // next untaken part
    @usableFromInline var finished: UnsafeMutablePointer<CLong> { words + 16 }    // parts done
    @usableFromInline var busy: UnsafeMutablePointer<CLong> { words + 24 }        // a product is running
    @usableFromInline var active: UnsafeMutablePointer<CLong> { words + 32 }      // workers inside a job

    // The current job (written by the submitter before the generation is published).
    @usableFromInline var body: ((Int) -> Void)? = nil
    @usableFromInline var parts = 0
    @usableFromInline var helpers = 0

    // Heap-allocated so that their addresses are stable (pthread objects must not move).
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let condition: UnsafeMutablePointer<pthread_cond_t>
    @usableFromInline var workerCount = 0

    @usableFromInline init() {
        words = UnsafeMutablePointer<CLong>.allocate(capacity: 40)
        words.initialize(repeating: 0, count: 40)
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// Runs `body(part)` for every part in `0..<parts` on the calling thread and up to `threads - 1` workers,
    /// parts taken one at a time from a shared counter. Returns when all parts have finished.
    @usableFromInline
    func run(parts: Int, threads: Int, _ body: (Int) -> Void) {
        let helpers = Swift.min(threads, parts) &- 1
        // One product at a time; a busy pool means run here.
        if helpers <= 0 || swiftsparse_fetch_add_acq_rel(busy, 1) != 0 {
            if helpers > 0 { _ = swiftsparse_fetch_add_acq_rel(busy, -1) }
            for part in 0..<parts { body(part) }
            return
        }
        ensureWorkers(helpers)
        withoutActuallyEscaping(body) { escapable in
            // The generation is odd while a job is open and even when it is closed. Job fields are written
            // only while no worker is inside a job (`active == 0`) and published by opening.
            self.body = escapable
            self.parts = parts
            self.helpers = helpers
            swiftsparse_store_release(nextPart, 0)
            swiftsparse_store_release(finished, 0)
            pthread_mutex_lock(mutex)
            _ = swiftsparse_fetch_add_acq_rel(generation, 1)  // open
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
            work()
            while swiftsparse_load_acquire(finished) < parts { swiftsparse_pause() }
            _ = swiftsparse_fetch_add_acq_rel(generation, 1)  // close: late workers skip the job
            while swiftsparse_load_acquire(active) > 0 { swiftsparse_pause() }
            self.body = nil
        }
        _ = swiftsparse_fetch_add_acq_rel(busy, -1)
    }

    /// Takes and runs parts until none is left.
    @usableFromInline
    func work() {
        guard let body else { return }
        let parts = self.parts
        while true {
            let part = Int(swiftsparse_fetch_add_acq_rel(nextPart, 1))
            if part >= parts { return }
            body(part)
            _ = swiftsparse_fetch_add_acq_rel(finished, 1)
        }
    }

    /// Starts workers until there are at least `count`.
    @usableFromInline
    func ensureWorkers(_ count: Int) {
        if workerCount >= count { return }
        pthread_mutex_lock(mutex)
        while workerCount < count {
            let index = workerCount
            workerCount &+= 1
            let context = Unmanaged.passRetained(_WorkerStart(pool: self, index: index)).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t? = nil
            #else
            var thread = pthread_t()
            #endif
            pthread_create(&thread, nil, { raw in
                let pointer: UnsafeMutableRawPointer? = raw
                let start = Unmanaged<_WorkerStart>.fromOpaque(pointer!).takeRetainedValue()
                start.pool.workerLoop(index: start.index)
                return nil
            }, context)
            #if canImport(Darwin)
            if let thread { pthread_detach(thread) }
            #else
            pthread_detach(thread)
            #endif
        }
        pthread_mutex_unlock(mutex)
    }

    /// A worker: waits for a new job (spinning, then sleeping), helps with it if its index is among the job's
    /// helpers, and goes back to waiting.
    @usableFromInline
    func workerLoop(index: Int) {
        var seen = swiftsparse_load_acquire(generation)
        while true {
            // Spin for a while, then sleep until the generation moves.
            var spins = 0
            var deadline: UInt64 = 0
            while swiftsparse_load_acquire(generation) == seen {
                swiftsparse_pause()
                spins &+= 1
                if spins & 255 == 0 {
                    let t = _monotonicNanoseconds()
                    if deadline == 0 { deadline = t &+ _WorkerPool.spinNanoseconds }
                    if t > deadline {
                        pthread_mutex_lock(mutex)
                        while swiftsparse_load_acquire(generation) == seen { pthread_cond_wait(condition, mutex) }
                        pthread_mutex_unlock(mutex)
                        break
                    }
                }
            }
            let current = swiftsparse_load_acquire(generation)
            seen = current
            if current & 1 == 0 { continue }  // a close, not an open
            _ = swiftsparse_fetch_add_acq_rel(active, 1)
            // Still the same open job? Then its fields are valid until this worker leaves.
            if swiftsparse_load_acquire(generation) == current && index < helpers { work() }
            _ = swiftsparse_fetch_add_acq_rel(active, -1)
        }
    }
}

@usableFromInline
final class _WorkerStart {
    @usableFromInline let pool: _WorkerPool
    @usableFromInline let index: Int
    @usableFromInline init(pool: _WorkerPool, index: Int) { self.pool = pool; self.index = index }
}

@usableFromInline
func _monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
