import CBLAS
import SwiftSparse

/// A scalar the bench can measure: stored and computed in the same type, with OpenBLAS's dense
/// matrix-vector and matrix-matrix products as the dense baseline.
protocol BenchScalar: SparseScalar & SIMDScalar & Codable where Arithmetic == Self {
    /// y ← A·x for a row-major `rows × columns` A with leading dimension `lda`.
    static func gemv(rows: Int, columns: Int, a: UnsafePointer<Self>, lda: Int, x: UnsafePointer<Self>,
                     y: UnsafeMutablePointer<Self>)
    /// Y ← A·X for a row-major `rows × columns` A, row-major X (`columns × k`) and Y (`rows × k`).
    static func gemm(rows: Int, columns: Int, k: Int, a: UnsafePointer<Self>, lda: Int, x: UnsafePointer<Self>,
                     y: UnsafeMutablePointer<Self>)
}

extension Double: BenchScalar {
    static func gemv(rows: Int, columns: Int, a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>,
                     y: UnsafeMutablePointer<Double>) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, blasint(rows), blasint(columns), 1, a, blasint(lda), x, 1, 0, y, 1)
    }

    static func gemm(rows: Int, columns: Int, k: Int, a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>,
                     y: UnsafeMutablePointer<Double>) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(rows), blasint(k), blasint(columns), 1,
                    a, blasint(lda), x, blasint(k), 0, y, blasint(k))
    }
}

extension Float: BenchScalar {
    static func gemv(rows: Int, columns: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                     y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, blasint(rows), blasint(columns), 1, a, blasint(lda), x, 1, 0, y, 1)
    }

    static func gemm(rows: Int, columns: Int, k: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
                     y: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(rows), blasint(k), blasint(columns), 1,
                    a, blasint(lda), x, blasint(k), 0, y, blasint(k))
    }
}

/// OpenBLAS's own thread pool, set to the bench's thread count so the baseline uses the same cores.
enum DenseBLAS {
    static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
