// The umbrella module: `import SwiftSparse` brings in the formats, the kernels, MatrixMarket IO and pruning.
@_exported import SparseCore
@_exported import SparseIO
@_exported import SparseKernels
@_exported import SparsePruning
