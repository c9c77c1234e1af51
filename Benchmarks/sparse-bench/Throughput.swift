import SwiftSparse

/// Which product a record measures.
enum Operation: String, CaseIterable, Sendable {
    /// y = A·x.
    case spmv
    /// Y = A·X with k right-hand sides.
    case spmm

    var title: String { self == .spmv ? "SpMV" : "SpMM" }
}

/// How throughput is counted: the same for every format, so rates compare like times.
///
/// - **Flops**: 2 per stored non-zero of the *original* matrix, times k for SpMM. Fill zeros that BSR or
///   dense store are not counted: a format that multiplies zeros does useless work, and its GFLOP/s shows it.
/// - **Bytes moved** (effective GB/s): the compulsory traffic of one product — every byte the matrix holds
///   (its exact `footprint`: values, indices, offsets, BSR fill included), plus x read once and y written once:
///   `footprint + k·(columns + rows)·scalar bytes` (k = 1 for SpMV). Re-reads of x through the cache, the read
///   of y that CSC and COO scatter into, and write-allocate traffic are not counted, so this is a lower bound
///   on the real traffic and the GB/s a lower bound on the bandwidth used.
enum Throughput {
    /// Useful floating-point operations of one product.
    static func flops(nonzeros: Int, rhs: Int) -> Double { 2 * Double(nonzeros) * Double(rhs) }

    /// Compulsory bytes of one product.
    static func bytesMoved(footprintBytes: Int, rows: Int, columns: Int, rhs: Int, scalarBytes: Int) -> Double {
        Double(footprintBytes) + Double(rhs) * Double(rows + columns) * Double(scalarBytes)
    }
}
