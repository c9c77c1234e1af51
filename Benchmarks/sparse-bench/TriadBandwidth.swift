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
        let n = Swift.max(threads, arrayBytes / MemoryLayout<Double>.stride)
        let a = Chunked(count: n), b = Chunked(count: n), c = Chunked(count: n)
        defer { a.free(); b.free(); c.free() }
        // First touch by the thread that will use each chunk.
        parallel(threads: threads, count: n) { range in
            for i in range { a.base[i] = 0; b.base[i] = 1; c.base[i] = 2 }
        }
        let s = 3.0
        let timing = policy.measure {
            parallel(threads: threads, count: n) { range in
                let pa = a.base, pb = b.base, pc = c.base
                var i = range.lowerBound
                let end = range.upperBound
                while i < end {
                    pa[i] = pb[i] + s * pc[i]
                    i &+= 1
                }
            }
        }
        // Keep the result observable so the passes are not optimised away.
        precondition(a.base[n - 1] == 7, "triad produced a wrong value")
        return TriadBandwidth(arrayBytes: n * MemoryLayout<Double>.stride, threads: threads, timing: timing)
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

/// A 64-byte aligned Double array shared by the triad's threads.
private struct Chunked: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>

    init(count: Int) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Double>.stride, alignment: 64)
        base = raw.bindMemory(to: Double.self, capacity: count)
    }

    func free() { UnsafeMutableRawPointer(base).deallocate() }
}

/// Runs `body` on `threads` contiguous chunks of `0..<count` concurrently.
private func parallel(threads: Int, count: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let t = Swift.max(1, threads)
    if t == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: t) { k in
        body((count * k / t)..<(count * (k + 1) / t))
    }
}
