import Foundation

/// The machine's sustainable memory bandwidth, measured with the STREAM triad `a[i] = b[i] + s·c[i]` on
/// Double arrays, split into one contiguous chunk per thread.
///
/// Bytes counted per element: 24 (read b and c, write a), the STREAM convention (the write-allocate read of
/// `a` is not counted). Each array should be well beyond the last-level cache; the default is 4× its size
/// and at least 64 MiB. The sweep runs at least 10 passes (as STREAM does) and compares against the best.
struct TriadBandwidth: Sendable {
    /// Bytes of each of the three arrays.
    var arrayBytes: Int
    var threads: Int
    /// The timed repetitions of one triad pass.
    var timing: TimingSummary

    /// Bytes one pass moves.
    var bytesPerPass: Int { 3 * arrayBytes }
    /// GB/s of the fastest pass (STREAM reports the best rate).
    var bestGBps: Double { Double(bytesPerPass) / timing.min / 1e9 }
    /// GB/s of the median pass.
    var medianGBps: Double { Double(bytesPerPass) / timing.median / 1e9 }

    /// Measures the triad with arrays of `arrayBytes` each on `threads` threads.
    static func measure(arrayBytes: Int, threads: Int, policy: TimingPolicy) -> TriadBandwidth {
        let arrays = StreamArrays(arrayBytes: arrayBytes, threads: threads)
        let timing = policy.measure { arrays.triad() }
        arrays.checkTriad()
        return TriadBandwidth(arrayBytes: arrays.arrayBytes, threads: threads, timing: timing)
    }

    /// The default array size: 4× the last-level cache, at least 64 MiB.
    static var defaultArrayBytes: Int { Swift.max(64 << 20, 4 * (lastLevelCacheBytes ?? (32 << 20))) }

    /// The largest cache size Linux reports for CPU 0, or nil.
    static var lastLevelCacheBytes: Int? {
        var best: Int?
        for index in 0..<8 {
            let path = "/sys/devices/system/cpu/cpu0/cache/index\(index)/size"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let scale = t.hasSuffix("K") ? 1 << 10 : t.hasSuffix("M") ? 1 << 20 : 1
            guard let v = Int(t.filter(\.isNumber)) else { continue }
            best = Swift.max(best ?? 0, v * scale)
        }
        return best
    }
}

/// The three Double arrays of the STREAM kernels, each first touched by the thread that later uses its part:
/// the triad a[i] = b[i] + s·c[i] (24 bytes per element counted, STREAM's convention: the write-allocate read
/// of a is not) and a read-only dot product of b and c (16 bytes per element, no stores).
final class StreamArrays: @unchecked Sendable {
    let count: Int
    let threads: Int
    private let a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>, c: UnsafeMutablePointer<Double>
    /// The partial sums of the last ``dot()``, one per thread.
    private let partial: UnsafeMutablePointer<Double>

    /// Bytes of each array.
    var arrayBytes: Int { count * MemoryLayout<Double>.stride }
    /// Bytes one triad pass counts.
    var triadBytes: Int { 3 * arrayBytes }
    /// Bytes one dot pass reads.
    var dotBytes: Int { 2 * arrayBytes }

    init(arrayBytes: Int, threads: Int) {
        self.threads = Swift.max(1, threads)
        let count = Swift.max(self.threads, arrayBytes / MemoryLayout<Double>.stride)
        self.count = count
        // Like the library's large buffers (SparseBuffer): 2 MiB-aligned with transparent huge pages asked
        // for, so that the streams and the matrices are measured on the same kind of memory.
        func allocate() -> UnsafeMutablePointer<Double> {
            let bytes = count * MemoryLayout<Double>.stride
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 2 << 20)
            #if os(Linux)
            _ = madvise(raw, bytes, MADV_HUGEPAGE)
            #endif
            return raw.bindMemory(to: Double.self, capacity: count)
        }
        a = allocate(); b = allocate(); c = allocate()
        partial = .allocate(capacity: self.threads)
        partial.initialize(repeating: 0, count: self.threads)
        let (a, b, c) = (Pointer(a), Pointer(b), Pointer(c))
        parallel(threads: self.threads, count: count) { _, range in
            for i in range { a.p[i] = 0; b.p[i] = 1; c.p[i] = 2 }
        }
    }

    deinit {
        for p in [a, b, c] { UnsafeMutableRawPointer(p).deallocate() }
        partial.deallocate()
    }

    /// One triad pass on every thread.
    func triad() {
        let (a, b, c) = (Pointer(a), Pointer(b), Pointer(c))
        let s = 3.0
        parallel(threads: threads, count: count) { _, range in
            let pa = a.p, pb = b.p, pc = c.p
            var i = range.lowerBound
            let end = range.upperBound
            while i < end {
                pa[i] = pb[i] + s * pc[i]
                i &+= 1
            }
        }
    }

    /// Traps unless the triad computed 1 + 3·2 (keeps the passes observable, so they are not optimised away).
    func checkTriad() { precondition(a[count - 1] == 7, "triad produced a wrong value") }

    /// Traps unless the dot product is Σ 1·2 (exact in Double for any array this size).
    func checkDot() { precondition(dot() == 2 * Double(count), "the dot product produced a wrong value") }

    /// Σ b[i]·c[i] on every thread: two read streams and no stores.
    @discardableResult
    func dot() -> Double {
        let (b, c, partial) = (Pointer(b), Pointer(c), Pointer(partial))
        parallel(threads: threads, count: count) { part, range in
            let pb = b.p, pc = c.p
            // Four accumulators over 16 elements a step: the adds never wait on each other.
            var s0 = SIMD4<Double>(), s1 = s0, s2 = s0, s3 = s0
            var i = range.lowerBound
            let end = range.upperBound
            @inline(__always) func load(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
                UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
            }
            while i &+ 16 <= end {
                s0 += load(pb + i) * load(pc + i)
                s1 += load(pb + (i &+ 4)) * load(pc + (i &+ 4))
                s2 += load(pb + (i &+ 8)) * load(pc + (i &+ 8))
                s3 += load(pb + (i &+ 12)) * load(pc + (i &+ 12))
                i &+= 16
            }
            var s = ((s0 + s1) + (s2 + s3)).sum()
            while i < end { s += pb[i] * pc[i]; i &+= 1 }
            partial.p[part] = s
        }
        var total = 0.0
        for t in 0..<threads { total += self.partial[t] }
        return total
    }
}

/// A pointer that may cross into the parallel parts (each part touches its own range).
private struct Pointer: @unchecked Sendable {
    let p: UnsafeMutablePointer<Double>
    init(_ p: UnsafeMutablePointer<Double>) { self.p = p }
}

/// Runs `body(k, range)` for the `threads` contiguous chunks of `0..<count` concurrently (k: the chunk).
private func parallel(threads: Int, count: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
    let t = Swift.max(1, threads)
    if t == 1 { body(0, 0..<count); return }
    DispatchQueue.concurrentPerform(iterations: t) { k in
        body(k, (count * k / t)..<(count * (k + 1) / t))
    }
}
