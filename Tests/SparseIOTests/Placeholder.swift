// Placeholder so the target builds; replaced by the module's real suites.
import Testing
@testable import SparseIO
