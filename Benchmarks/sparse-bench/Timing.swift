#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a kernel is timed: `warmup` untimed calls, then timed calls until both `minReps` calls and `minTime`
/// seconds are reached.
struct TimingPolicy: Hashable, Sendable {
    var warmup: Int
    var minReps: Int
    var minTime: Double
}

/// The timed repetitions of one kernel, in seconds per call.
struct TimingSummary: Hashable, Sendable {
    /// One duration per timed call, in call order.
    var samples: [Double]

    init(samples: [Double]) {
        precondition(!samples.isEmpty, "a timing needs at least one sample")
        self.samples = samples
    }

    var reps: Int { samples.count }
    var min: Double { samples.min()! }
    var max: Double { samples.max()! }
    /// The middle sample (the mean of the two middle ones for an even count).
    var median: Double {
        let s = samples.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

/// A monotonic clock in seconds.
enum Stopwatch {
    @inline(__always)
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

extension TimingPolicy {
    /// Runs `body` `warmup` times untimed, then times one call at a time until the policy is met.
    func measure(_ body: () -> Void) -> TimingSummary {
        for _ in 0..<warmup { body() }
        var samples = [Double]()
        samples.reserveCapacity(minReps)
        var total = 0.0
        while samples.count < minReps || total < minTime {
            let t0 = Stopwatch.now()
            body()
            let dt = Stopwatch.now() - t0
            samples.append(dt)
            total += dt
        }
        return TimingSummary(samples: samples)
    }
}
