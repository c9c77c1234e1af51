import SwiftSparse
print("sparse-bench")
