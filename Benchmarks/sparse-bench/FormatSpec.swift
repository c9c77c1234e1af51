import SwiftSparse

/// One measured storage: a format and, for BSR, its square block size.
struct FormatSpec: Hashable, Sendable, CustomStringConvertible {
    var kind: FormatKind
    /// b for b×b blocks (BSR only).
    var block: Int?

    init(kind: FormatKind, block: Int? = nil) {
        self.kind = kind
        self.block = kind == .bsr ? block : nil
    }

    /// The name in tables and plots: `dense`, `CSR`, `BSR 4×4`.
    var description: String {
        switch kind {
        case .dense: return "dense"
        case .csr: return "CSR"
        case .csc: return "CSC"
        case .coo: return "COO"
        case .bsr: return "BSR \(block ?? 0)×\(block ?? 0)"
        }
    }

    /// The core's name for the format.
    var storageFormat: StorageFormat {
        switch kind {
        case .dense: return .dense
        case .csr: return .csr
        case .csc: return .csc
        case .coo: return .coo
        case .bsr: return .blockSparse(blockRows: block ?? 1, blockColumns: block ?? 1)
        }
    }

    var isSparse: Bool { kind != .dense }
}
