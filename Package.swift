// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SwiftSparse",
    products: [
        .library(name: "SwiftSparse", targets: ["SwiftSparse"]),
        .executable(name: "sparse-bench", targets: ["sparse-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // OpenBLAS's cblas, found through pkg-config (Debian: libopenblas-dev).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Scalars, indices, the shared compressed pattern, the five formats,
        // conversions, memory footprints, errors and seeded generators.
        .target(name: "SparseCore"),
        // SpMV and SpMM for every format, row partitioning, the BLAS bridge.
        .target(name: "SparseKernels", dependencies: ["SparseCore", "CBLAS"]),
        // MatrixMarket reading and writing.
        .target(name: "SparseIO", dependencies: ["SparseCore"], exclude: ["Scripts"]),
        // Magnitude, block and N:M pruning of dense weights; reduced-precision conversion reports.
        .target(name: "SparsePruning", dependencies: ["SparseCore"]),
        // The umbrella module users import.
        .target(name: "SwiftSparse", dependencies: ["SparseCore", "SparseKernels", "SparseIO", "SparsePruning"]),
        // The benchmark CLI. Unsafe flags are allowed on an executable target and do not stop
        // other packages from depending on the library product; the kernels are @inlinable, so
        // they are compiled here for the host CPU (AVX2, FMA).
        .executableTarget(
            name: "sparse-bench",
            dependencies: [
                "SwiftSparse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/sparse-bench",
            swiftSettings: [.unsafeFlags(["-target-cpu", "native"])]
        ),
        .testTarget(name: "SparseCoreTests", dependencies: ["SparseCore", "SwiftSparse"]),
        .testTarget(name: "SparseKernelsTests", dependencies: ["SparseKernels", "SparseCore"]),
        .testTarget(name: "SparseIOTests", dependencies: ["SparseIO", "SparseCore"]),
        .testTarget(name: "SparsePruningTests", dependencies: ["SparsePruning", "SparseCore", "SparseKernels"]),
        .testTarget(name: "SparseBenchTests", dependencies: ["sparse-bench", "SwiftSparse"]),
    ],
    swiftLanguageModes: [.v6]
)
