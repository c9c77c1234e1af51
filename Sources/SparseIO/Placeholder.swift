import SparseCore
