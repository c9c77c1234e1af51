/// Choices a MatrixMarket reader makes about files that bend the format.
public struct MatrixMarketReadOptions: Hashable, Sendable {
    /// What to do with an entry above the diagonal (row < column) in a symmetric or skew-symmetric file.
    public enum UpperTrianglePolicy: Hashable, Sendable {
        /// Throw ``MatrixMarketError/Kind/upperTriangleEntry(row:column:symmetry:)`` (the default). The
        /// format stores only the lower triangle; a file that stores both triangles under a symmetric banner
        /// would otherwise be read with every off-diagonal value doubled, silently.
        case reject
        /// Accept the entry and mirror it like any other (the behaviour of SciPy's `mmread` and
        /// fast_matrix_market). An entry stored in both triangles is then summed with its mirror.
        case mirror
    }

    /// Upper-triangle entries in symmetric and skew-symmetric files.
    public var upperTriangle: UpperTrianglePolicy

    /// Below this many bytes of entry lines per chunk, a file is not split further (tests lower it to
    /// exercise the chunking on small inputs).
    var _minimumChunkBytes: Int = 1 << 20

    /// Options with the given policies.
    public init(upperTriangle: UpperTrianglePolicy = .reject) {
        self.upperTriangle = upperTriangle
    }
}
