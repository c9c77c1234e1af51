#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a kernel may run: passed explicitly to every product, never global state.
///
/// The thread count never changes a sparse product's result: every output element is computed by one thread
/// in an order that depends only on the matrix (see ``MatrixMultiplying``). It only changes how fast it comes.
public struct KernelConfiguration: Hashable, Sendable {
    /// The most threads a product may use (at least 1).
    public var threads: Int
    /// Products with less work than this (stored entries × right-hand sides; for dense products,
    /// multiply-adds) run on one thread, where handing out parts costs more than it saves.
    ///
    /// The default, 2^14 (16 384), was measured on the 2-core development machine with the kernels' worker pool
    /// (CSR, Float64, 20 entries per row, products repeated back to back, 1 thread against 2): two threads ran
    /// 1.3–1.5× faster at 16 K entries (about 10 µs on one core), 1.3–1.9× at 64 K, 1.7–1.9× at 256 K. (With
    /// libdispatch's `concurrentPerform` the second thread usually started too late to help below about
    /// 1 ms of work, which is why the kernels have their own pool.)
    public var parallelThreshold: Int
    /// The most bytes of X one pass of a sparse × dense product reads (SpMM). When X is larger and the product
    /// reads each row of X at least 20 times on average, its columns are cut into panels, each packed into a
    /// contiguous scratch block, and the matrix is streamed once per panel, so that each panel of X stays in
    /// the last-level cache: CSR's A·X and CSC's Aᵀ·X take panels of 128-byte rows (16 Double or 32 Float
    /// columns) when such a panel fits twice this budget, BSR's and COO's A·X the widest multiple of a register
    /// block (32 Double or 64 Float columns) within it; otherwise a row-major X is read in place. The default,
    /// 8 MiB, is a quarter of a 32 MiB L3. The products that update rows of Y at random (CSR's and BSR's Aᵀ·X,
    /// CSC's A·X, canonical COO's Aᵀ·X) cut a Y larger than four times this budget into panels of up to twice
    /// it, each added into in a scratch block. The thread count never changes a result, but this budget can:
    /// CSR's 128-byte panels sum each output's terms in another order than reading X in place does.
    public var spmmPanelBytes: Int
    /// Row-partitioned products (CSR, BSR and CSC-transposed gathers) cut their rows into
    /// `threads × partsPerThread` parts balanced by stored entries, which the threads take one
    /// at a time: a thread slowed by other load on its core takes fewer. 1 gives one static part per thread.
    /// Results do not depend on it.
    public var partsPerThread: Int
    /// SpMV prefetches the matrix's value and index streams about 4 KiB ahead when they are together larger than
    /// this many bytes (0: always; `Int.max`: never): CSR's A·x and CSC's Aᵀ·x, BSR's A·x, the chunked and
    /// halo scatters (CSR's Aᵀ·x and CSC's A·x with many entries per output, or on a banded matrix) and COO's
    /// A·x in canonical order. Results do not depend on it.
    ///
    /// The default, 1 MiB (one core's L2), was measured on the 2-core development machine (AMD Zen 5, 1 MiB L2 a
    /// core, 32 MiB L3, interleaved medians): the hardware prefetchers alone left SpMV waiting on the matrix
    /// from 1 MB up, even for matrices that fit in L3 (Float64, 1% of a square matrix: 1 MB 1.06–1.26× faster
    /// with prefetching, 3 MB 1.5–1.8×, 7.7 MB 1.4–1.8×, 48 MB 1.9×); Float32 at 0.7 MB, which stays in L2,
    /// ran 0.89–0.93× as fast with it, at 2 MB 0.87–1.04×, at 5 MB 0.87–1.13×.
    public var spmvPrefetchBytes: Int
    /// Gather SpMM (CSR's and BSR's A·X, CSC's Aᵀ·X) reads a row-major X from a line-aligned copy, instead of
    /// in place, when X is larger than this many bytes and no larger than ``spmmPanelBytes``, its rows straddle
    /// more 64-byte cache lines than the copy's rows would (a base address off a line, as a Swift array's
    /// usually is, or a leading dimension that is not a whole number of lines), and the product reads each row
    /// of X at least 32 times on average (0: whenever the rest holds; `Int.max`: never). Results do not depend
    /// on it: the copy holds the same values and the sums run in the same order.
    ///
    /// The default, 1 MiB (twice a 512 KiB L2), was measured on the 2-core development machine at n = 20000,
    /// 1% (200 entries a row), 2 threads, X one element off a line: in place it ran at 0.69–0.82× the speed of a
    /// line-aligned X, from the copy at 0.84–1.09× (Float64 k = 8, 16, 32; Float32 k = 16, 32, 64; BSR 4×4 at
    /// k = 32 gained 1.06–1.28×). Against reading in place, the copy ran at 0.6–0.75× with 4 and 8 entries a
    /// row, 0.9–1.1× with 16, 0.9–1.3× with 32 and 1.1–1.5× with 64 to 200: hence the 32 reads a row.
    public var spmmAlignedCopyBytes: Int

    /// A configuration; `threads` defaults to every online core.
    public init(threads: Int? = nil, parallelThreshold: Int = KernelConfiguration.defaultParallelThreshold,
                spmmPanelBytes: Int = 8 << 20, partsPerThread: Int = 4, spmvPrefetchBytes: Int = 1 << 20,
                spmmAlignedCopyBytes: Int = 1 << 20) {
        self.threads = Swift.max(1, threads ?? KernelConfiguration.availableCores)
        self.parallelThreshold = parallelThreshold
        self.spmmPanelBytes = Swift.max(1, spmmPanelBytes)
        self.partsPerThread = Swift.max(1, partsPerThread)
        self.spmvPrefetchBytes = Swift.max(0, spmvPrefetchBytes)
        self.spmmAlignedCopyBytes = Swift.max(0, spmmAlignedCopyBytes)
    }

    /// The default ``parallelThreshold``, in stored entries × right-hand sides.
    public static var defaultParallelThreshold: Int { 1 << 14 }

    /// All online cores.
    public static var `default`: KernelConfiguration { KernelConfiguration() }

    /// One thread.
    public static var serial: KernelConfiguration { KernelConfiguration(threads: 1) }

    /// The number of online cores.
    public static var availableCores: Int {
        Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// `op(A)` in a product: A itself or its transpose.
public enum MatrixOperation: Hashable, Sendable {
    /// y = A·x.
    case none
    /// y = Aᵀ·x.
    case transpose
}
