#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a kernel may run: passed explicitly to every product, never global state.
public struct KernelConfiguration: Hashable, Sendable {
    /// The most threads a product may use (at least 1).
    public var threads: Int
    /// Products with less work than this (stored entries × right-hand sides) run on one thread, where
    /// starting threads costs more than it saves.
    public var parallelThreshold: Int
    /// The most bytes of X one pass of a sparse × dense product reads (SpMM). When X is larger, its columns
    /// are cut into panels and the matrix is streamed once per panel, so that each panel of X stays in the
    /// last-level cache; the default, 8 MiB, is a quarter of a 32 MiB L3.
    public var spmmPanelBytes: Int

    /// A configuration; `threads` defaults to every online core.
    public init(threads: Int? = nil, parallelThreshold: Int = KernelConfiguration.defaultParallelThreshold,
                spmmPanelBytes: Int = 8 << 20) {
        self.threads = Swift.max(1, threads ?? KernelConfiguration.availableCores)
        self.parallelThreshold = parallelThreshold
        self.spmmPanelBytes = Swift.max(1, spmmPanelBytes)
    }

    /// The default ``parallelThreshold``, in stored entries × right-hand sides.
    public static var defaultParallelThreshold: Int { 1 << 15 }

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
