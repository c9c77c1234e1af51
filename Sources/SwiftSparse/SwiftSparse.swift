// The umbrella module: `import SwiftSparse` brings in the formats, the kernels and MatrixMarket IO.
@_exported import SparseCore
@_exported import SparseIO
@_exported import SparseKernels
